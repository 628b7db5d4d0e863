"""First start: `python app.py` on an empty store until the first page is served, step by step.

Starts the real thing (demo files written, ingested into one snapshot, gunicorn with its
workers' warm-up) on an empty temporary data folder, and polls `/` every 50 ms until it
answers 200. `python app.py` listens on port 8050; when that port is taken (another engineer's
server on a shared machine), the same start runs as `python -m dashboard serve --port P`
(app.py calls the same `serve`).

Each step is read from the server's own log (MONITOR_LOG_FORMAT=json): when it ended, in
seconds since the start, and the CPU seconds the whole process tree (the start, its demo
load and writers, gunicorn and its workers) had used by then, sampled from /proc every 0.1 s. After the
first page the run follows the log until every worker has drawn every page in the background
(at most --follow seconds).

Usage: .venv/bin/python bench/bench_first_start.py [REPEATS] [--follow S]   (default 1, 60)
Prints the steps per start and the demo's row counts (the same every time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import free_port  # noqa: E402

APP_PORT = 8050
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CPU_SAMPLE_SECONDS = 0.1

# (step, logger, start of the message): the first matching line ends the step.
STEPS = (
    ("checks and imports", "dashboard.serving", "Geen gegevens in"),
    ("gunicorn listening", "gunicorn.error", "Listening at"),
    ("a worker drew the first page", "dashboard.warm", "/ voorverwarmd"),
)
# The line after the ingest, with the seconds of writing and of checking and ingesting.
INGESTED = "demobestanden geschreven in"
CHECKED = ", gecontroleerd en ingelezen in "
# A worker after the first, beginning to build the app once the demo load has ended.
LATER_WORKER = re.compile(r"^worker \d+ bouwt de app na de demodata")


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def tree_cpu(root: int) -> float:
    """CPU seconds of process `root` and its descendants (reaped ones counted in their parent)."""
    parents, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        pid = int(entry)
        parents[pid] = int(fields[1])
        cpu[pid] = sum(int(x) for x in fields[11:15]) / CLOCK_TICKS  # utime stime cutime cstime
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


@dataclass
class Start:
    command: str
    data: Path
    first_page: float = 0.0
    steps: list[tuple[str, float]] = field(default_factory=list)  # (step, seconds since start)
    cpu: list[tuple[float, float]] = field(default_factory=list)  # (seconds since start, CPU seconds)
    written_after: float | None = None
    background: list[float] = field(default_factory=list)  # each worker's "every page drawn"
    later_workers: list[float] = field(default_factory=list)  # a worker after the first begins building

    def cpu_at(self, seconds: float) -> float:
        before = [c for t, c in sorted(self.cpu) if t <= seconds]
        return before[-1] if before else 0.0


def follow_log(stream, started_wall: float, start: Start) -> None:
    """Note each step's time from the server's JSON log lines."""
    seen = set()
    for line in stream:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        at = dt.datetime.fromisoformat(record["tijd"]).timestamp() - started_wall
        logger, message = record.get("logger"), record.get("bericht", "")
        if logger == "dashboard.serving" and INGESTED in message:
            ingested = message.partition(CHECKED)[2]
            start.written_after = at - float(ingested.split()[0])
            start.steps.append(("checked and ingested", at))
            continue
        if logger == "gunicorn.error" and LATER_WORKER.search(message):
            start.later_workers.append(at)
        if logger == "dashboard.warm" and message.startswith("figuren voorverwarmd"):
            start.background.append(at)
        for step, step_logger, prefix in STEPS:
            if step not in seen and logger == step_logger and message.startswith(prefix):
                seen.add(step)
                start.steps.append((step, at))


def first_start(timeout: float = 300, follow: float = 60, workers: int = 2) -> Start:
    """Start on an empty store; the steps, the first 200 on `/`, the background warm-up."""
    data = Path(tempfile.mkdtemp(prefix="bench-first-start-"))
    if port_free(APP_PORT):
        port, command = APP_PORT, [sys.executable, "app.py"]
    else:
        port = free_port()
        command = [sys.executable, "-m", "dashboard", "serve", "--port", str(port)]
    env = {**os.environ, "MONITOR_DATA_DIR": str(data / "store"), "MONITOR_LOG_FORMAT": "json"}
    env.pop("MONITOR_DEBUG", None)
    start = Start(" ".join(command[1:]), data)
    started, started_wall = time.perf_counter(), time.time()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    reader = threading.Thread(target=follow_log, args=(proc.stderr, started_wall, start), daemon=True)
    reader.start()
    done = threading.Event()

    def sample_cpu():
        # In a thread of its own: a poll of / blocks while gunicorn listens and no worker serves yet.
        while not done.wait(CPU_SAMPLE_SECONDS):
            start.cpu.append((time.perf_counter() - started, tree_cpu(proc.pid)))

    threading.Thread(target=sample_cpu, daemon=True).start()
    try:
        while not start.first_page:
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"no page within {timeout} s")
            if proc.poll() is not None:
                raise RuntimeError(f"{' '.join(command)} stopped with exit code {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
                    if r.status == 200:
                        start.first_page = time.perf_counter() - started
                        start.cpu.append((start.first_page, tree_cpu(proc.pid)))
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        while len(start.background) < workers and time.perf_counter() - started < start.first_page + follow:
            time.sleep(0.1)
        return start
    finally:
        done.set()
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        reader.join(timeout=10)  # the log to its end


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


def table(start: Start) -> list[str]:
    """The steps in order: when each ended (s since start), how long it took, CPU used by then."""
    rows = sorted(start.steps, key=lambda s: s[1])
    if start.written_after is not None:
        rows.append(("demo files written", start.written_after))
    rows.append(("first page: / answers 200", start.first_page))
    rows.sort(key=lambda s: s[1])
    lines = [f"  {'step':34s} {'ends at s':>9s} {'takes s':>8s} {'CPU s by then':>14s}"]
    before = 0.0
    for step, at in rows:
        lines.append(f"  {step:34s} {at:9.1f} {at - before:8.1f} {start.cpu_at(at):14.1f}")
        before = at
    for at in start.later_workers:
        lines.append(f"  {'(beside) a later worker starts building':34s} {at:9.1f} {'':8s} {start.cpu_at(at):14.1f}")
    if start.background:
        last = max(start.background)
        lines.append(f"  {'(after) every page drawn, per worker':34s} {last:9.1f} {'':8s} {start.cpu_at(last):14.1f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description="First start: python app.py on an empty store until / answers.")
    parser.add_argument("repeats", nargs="?", type=int, default=1, help="how many starts (default 1)")
    parser.add_argument("--follow", type=float, default=60,
                        help="seconds to follow the background warm-up after the first page (default 60)")
    args = parser.parse_args()
    for _ in range(args.repeats):
        load = os.getloadavg()[0]
        start = first_start(follow=args.follow)
        try:
            leveringen, accepted, cases = demo_counts(start.data)
        finally:
            shutil.rmtree(start.data, ignore_errors=True)
        print(f"{start.command}: first page after {start.first_page:.1f} s "
              f"({leveringen} deliveries, {accepted} accepted, {cases:,} case rows; load {load:.1f} at the start)")
        print("\n".join(table(start)))


if __name__ == "__main__":
    main()
