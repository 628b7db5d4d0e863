"""First start: `python app.py` on an empty store until the first page is served.

Starts the real thing (demo files written, ingested into one snapshot, gunicorn with its
workers' warm-up) on an empty temporary data folder, and polls `/` every 50 ms until it
answers 200. `python app.py` listens on port 8050; when that port is taken (another engineer's
server on a shared machine), the same start runs as `python -m dashboard serve --port P`
(app.py calls the same `serve`).

Usage: .venv/bin/python bench/bench_first_start.py [REPEATS]   (default 1)
Prints the seconds per start and the demo's row counts (the same every time).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import free_port  # noqa: E402

APP_PORT = 8050


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def first_start(timeout: float = 300) -> tuple[float, str, Path]:
    """Seconds from starting the process to the first 200 on `/`; the command; the data folder."""
    data = Path(tempfile.mkdtemp(prefix="bench-first-start-"))
    if port_free(APP_PORT):
        port, command = APP_PORT, [sys.executable, "app.py"]
    else:
        port = free_port()
        command = [sys.executable, "-m", "dashboard", "serve", "--port", str(port)]
    env = {**os.environ, "MONITOR_DATA_DIR": str(data / "store")}
    env.pop("MONITOR_DEBUG", None)
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        while time.perf_counter() - started < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"{' '.join(command)} stopped with exit code {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    if r.status == 200:
                        return time.perf_counter() - started, " ".join(command[1:]), data
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.05)
        raise TimeoutError(f"no page within {timeout} s")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def demo_counts(data: Path) -> tuple[int, int, int]:
    """(deliveries in the log, accepted, case rows) of the store the start made."""
    import duckdb

    store = data / "store"
    snap = store / "snapshots" / (store / "CURRENT").read_text().strip()
    con = duckdb.connect(str(snap), read_only=True)
    try:
        return con.execute("""SELECT (SELECT count(*) FROM leveringen),
                                     (SELECT count(*) FROM leveringen WHERE status = 'geaccepteerd'),
                                     (SELECT count(*) FROM casussen)""").fetchall()[0]
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="First start: python app.py on an empty store until / answers.")
    parser.add_argument("repeats", nargs="?", type=int, default=1, help="how many starts (default 1)")
    repeats = parser.parse_args().repeats
    for _ in range(repeats):
        seconds, command, data = first_start()
        try:
            leveringen, accepted, cases = demo_counts(data)
        finally:
            shutil.rmtree(data, ignore_errors=True)
        print(f"{command}: first page after {seconds:.1f} s "
              f"({leveringen} deliveries, {accepted} accepted, {cases:,} case rows)")


if __name__ == "__main__":
    main()
