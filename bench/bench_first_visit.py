"""A new browser's first visit to one view: this tree next to other checkouts, taking turns.

Each checkout's gunicorn (2 workers, the app's own worker class) serves the same store; in each
round a new headless Chromium (empty cache) opens the view on every server in turn, so the
machine's load falls on all of them alike. Per checkout: the time from navigation until the
page is fully drawn (bench_scale.drawn_ms: no loading marker, every graph drawn, unchanged over
five polls) and Chromium's own main-thread time for that page (Performance.getMetrics:
TaskDuration, of which ScriptDuration), which the shared machine's load disturbs less. The
server draws the view cold in the first round and from its page cache after that.

Usage:
  .venv/bin/python bench/bench_first_visit.py --data-dir STORE [--rounds 10]
        [--view "/?tranche=2&van=2024-Q1"] [--compare NAME=CHECKOUT ...] [--quick]
A CHECKOUT is another clone with its own .venv (for example main before a change). Writes the
table to stdout and bench/results/first-visit.txt (not with --quick).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
from bench_scale import chromium, drawn_ms  # noqa: E402
from common import free_port, report  # noqa: E402


def start(checkout: Path, data_dir: Path, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    env.update(MONITOR_DATA_DIR=str(data_dir), MONITOR_SMALL_CELL_THRESHOLD="5")
    python = checkout / ".venv" / "bin" / "python"
    proc = subprocess.Popen(
        [str(python), "-m", "gunicorn", "--chdir", str(checkout), "--workers", "2", "--worker-class",
         "dashboard.serving.Worker", "--threads", "16", "--bind", f"127.0.0.1:{port}", "--no-control-socket",
         "dashboard.wsgi:server"],
        cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    return proc, port


def wait_ready(port: int, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"server on port {port} not ready within {seconds} s")


def visit(url: str) -> tuple[float, float, float, list]:
    """(drawn ms, main-thread task ms, script ms, severe console lines) of one new browser."""
    driver = chromium()
    try:
        driver.execute_cdp_cmd("Performance.enable", {})
        ms = drawn_ms(driver, url)
        metrics = {m["name"]: m["value"] for m in driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]}
        severe = [line for line in driver.get_log("browser") if line["level"] == "SEVERE"]
        return ms, 1000 * metrics["TaskDuration"], 1000 * metrics["ScriptDuration"], severe
    finally:
        driver.quit()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--view", default="/?tranche=2&van=2024-Q1")
    parser.add_argument("--compare", action="append", default=[], metavar="NAME=CHECKOUT")
    parser.add_argument("--settle", type=float, default=20, help="seconds for the warm-up after start")
    parser.add_argument("--quick", action="store_true", help="keep no result file (the test suite)")
    args = parser.parse_args(argv)
    checkouts = {"deze": ROOT, **{n: Path(p).resolve() for n, p in (c.split("=", 1) for c in args.compare)}}
    logs = Path(os.environ.get("TMPDIR", "/tmp"))
    servers = {name: start(path, args.data_dir.resolve(), logs / f"first-visit-{name}-{os.getpid()}.log")
               for name, path in checkouts.items()}
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in servers}
    errors: dict[str, list] = {name: [] for name in servers}
    try:
        for _, port in servers.values():
            wait_ready(port)
        time.sleep(args.settle)  # the warm-up draws every page's default view
        for _ in range(args.rounds):
            for name, (_, port) in servers.items():
                *numbers, severe = visit(f"http://127.0.0.1:{port}{args.view}")
                results[name].append(tuple(numbers))
                errors[name] += severe
    finally:
        for proc, _ in servers.values():
            proc.terminate()
        for proc, _ in servers.values():
            proc.wait(30)
    lines = [f"# first visit of {args.view}, new Chromium each time, {args.rounds} rounds taking turns; "
             f"load {os.getloadavg()[0]:.1f} at the end on {os.cpu_count()} cores",
             f"{'checkout':12s} {'drawn median':>12s} {'min':>6s} {'max':>6s} {'tasks median':>12s} "
             f"{'script median':>13s} {'console errors':>14s}"]
    for name, rows in results.items():
        drawn, tasks, script = zip(*rows)
        lines.append(f"{name:12s} {statistics.median(drawn):12.0f} {min(drawn):6.0f} {max(drawn):6.0f} "
                     f"{statistics.median(tasks):12.0f} {statistics.median(script):13.0f} {len(errors[name]):14d}")
    report(lines, None if args.quick else "first-visit")


if __name__ == "__main__":
    main()
