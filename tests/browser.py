"""Helpers shared by the browser tests (dash_duo)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent

def wait_until(condition, timeout: float = 15, message: str = "condition not met"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(message)


def search(dash_duo) -> str:
    return urlparse(dash_duo.driver.current_url).query


def click(dash_duo, by: str, selector: str):
    # Bootstrap turns on smooth scrolling; Selenium would click while the page still moves.
    element = dash_duo.driver.find_element(by, selector)
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    element.click()


def wait_for_file(path: Path, timeout: float = 15) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and not path.with_name(path.name + ".crdownload").exists():
            data = path.read_bytes()
            if data:
                return data
        time.sleep(0.1)
    found = sorted(p.name for p in path.parent.iterdir()) if path.parent.exists() else []
    raise AssertionError(f"{path.name} not downloaded; download folder holds {found}")


def cli_export(data_dir: Path, out: Path, figure_id: str, *args: str) -> bytes:
    subprocess.run(
        [sys.executable, "-m", "dashboard", "export", figure_id, *args, "--out", str(out), "--data-dir", str(data_dir)],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )
    return out.read_bytes()
