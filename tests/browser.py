"""Helpers shared by the browser tests (dash_duo)."""

from __future__ import annotations

import json
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


# --- accessibility (axe-core) -----------------------------------------------------------------

# axe-selenium-python 2.1.6 (the last release for Python 3.11) bundles axe-core 3.1.1, which
# predates rules the programme is judged on (nested-interactive, aria-hidden-focus as now
# defined); its Axe class runs the axe-core 4.x build vendored next to these tests instead.
AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def wait_drawn(dash_duo, timeout: float = 30) -> None:
    """Until Dash has drawn everything: no loading marker, every graph on the page drawn (plotly
    loads asynchronously, after the page), and the number of drawn charts unchanged over a few
    polls (a page adds its graphs one callback at a time)."""
    driver = dash_duo.driver
    script = ("return [document.querySelectorAll('._dash-loading, ._dash-loading-callback').length,"
              " document.querySelectorAll('.js-plotly-plot .main-svg').length,"
              " document.readyState,"
              " Array.from(document.querySelectorAll('.dash-graph')).every(g => g.querySelector('.main-svg'))];")
    deadline = time.monotonic() + timeout
    last, stable = None, 0
    while time.monotonic() < deadline:
        loading, charts, ready, all_drawn = driver.execute_script(script)
        state = (loading, charts, ready)
        stable = stable + 1 if state == last and loading == 0 and ready == "complete" and all_drawn else 0
        last = state
        if stable >= 4:
            return
        time.sleep(0.15)
    raise AssertionError(f"page not drawn within {timeout} s (loading, charts, readyState) = {last}")


def axe_violations(dash_duo) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations of the page as drawn: [{id, impact, count, targets}]."""
    from axe_selenium_python import Axe

    wait_drawn(dash_duo)
    axe = Axe(dash_duo.driver, script_url=str(AXE_SCRIPT))
    axe.inject()
    options = '{"runOnly": {"type": "tag", "values": %s}, "resultTypes": ["violations"]}' % json.dumps(AXE_TAGS)
    results = axe.run(options=options)
    return [{"id": v["id"], "impact": v["impact"], "count": len(v["nodes"]),
             "targets": [" ".join(map(str, n["target"])) for n in v["nodes"][:5]]}
            for v in results["violations"]]


def blocking(violations: list[dict]) -> list[dict]:
    """The serious and critical ones: the programme may not go live with any of them."""
    return [v for v in violations if v["impact"] in BLOCKING]
