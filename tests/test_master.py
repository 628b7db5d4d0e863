"""dashboard.master: gunicorn stops with exit code 3 when its workers fail to boot one after another.

The race that CI met (tests/test_first_start.py), made to happen every time: the first worker
fails to boot at once, the second a second later, while the arbiter is halting for the first."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

APP = textwrap.dedent("""
    import os, sys, time

    try:  # the first worker to get here fails at once
        os.close(os.open(os.path.join(os.path.dirname(__file__), "first"), os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        time.sleep(1.0)  # the second fails while the arbiter is halting for the first
    sys.exit(3)  # gunicorn's boot-error code, as dashboard.serving.wait_for_demo uses it
""")


def run(master: str, folder: Path) -> subprocess.CompletedProcess:
    (folder / "boot.py").write_text(APP)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    return subprocess.run([sys.executable, "-m", master, "--workers", "2", "--bind", "127.0.0.1:0",
                           "--no-control-socket", "--chdir", str(folder), "boot:app"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_two_workers_that_fail_to_boot_stop_gunicorn_with_exit_code_3(tmp_path):
    r = run("dashboard.master", tmp_path)
    assert r.returncode == 3, r.stderr
    assert r.stderr.count("exited with code 3") == 2, r.stderr  # both workers were reaped
    assert "Reason: Worker failed to boot." in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("master", ["gunicorn"])
def test_gunicorn_itself_dies_with_a_traceback_in_that_race(tmp_path, master):
    """Why dashboard.master exists: when this starts to fail, gunicorn has fixed it."""
    r = run(master, tmp_path)
    assert r.returncode == 1 and "HaltServer" in r.stderr, r.stderr
