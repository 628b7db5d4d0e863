"""Ingest of the 11 proeftuinen's casussen files: the Proeftuinmonitor next to its peers, in one run.

The files come from bench/scale.py (one per proeftuin, plain UTF-8 CSV, the demo's
distributions). Each peer runs as its own command, as a user would run it, on the same files
in the same run, taking turns per repeat:

  * duckdb-read-only: DuckDB's CSV reader, reading the files into a table (the floor: no checks);
  * pandas-peer: bench/pandas_peer.py (read, the contract's main checks, three fixed figures);
  * monitor-ingest-1: `python -m dashboard ingest` of the largest file alone, into an empty store;
  * monitor-ingest: `python -m dashboard ingest` of all 11 files (one batch, one snapshot), into
    an empty store: read, validate, privacy gate, archive, snapshot build and publish;
  * monitor-ingest@<name> (with --compare): the same, run from another checkout of the project
    (e.g. `git archive <commit> | tar -x -C /tmp/before`): before and after in one run.

Usage: .venv/bin/python bench/bench_ingest.py [--rows N] [--repeats R] [--files DIR] [--compare DIR] [--quick]
  --rows     case rows over the 11 files (default 1000000); files written to a temp folder
  --files    use the files bench/scale.py wrote there before (e.g. the same 1M set every time)
  --compare  a checkout of another version, whose ingest runs as one more peer
  --quick    10,000 rows, one repeat (the test suite runs this so the benchmark cannot rot)
Prints a table (wall and CPU seconds, rows per second) and writes bench/results/ingest-<rows>.txt
(not in --quick).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import scale  # noqa: E402
from common import report  # noqa: E402

DUCKDB_READ = """
import sys, duckdb
con = duckdb.connect()
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, header = true, all_varchar = true, union_by_name = true)",
            [sys.argv[1:]])
"""


def run(command: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its threads); raises when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} ... exit {done.returncode}: {done.stdout[-500:]}{done.stderr[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def versions() -> str:
    import duckdb
    import pandas

    return f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, pandas {pandas.__version__}"


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--files", type=Path)
    parser.add_argument("--compare", type=Path)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.repeats = 10_000, 1
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        folder = args.files or work / "bestanden"
        if args.files is None:
            scale.write_scale(folder, args.rows)
        files = [str(p) for p in scale.casussen_files(folder)]
        rows = sum(sum(1 for _ in open(p, "rb")) - 1 for p in files)
        size_mb = sum(Path(p).stat().st_size for p in files) / 1e6
        largest = max(files, key=lambda p: Path(p).stat().st_size)
        python = sys.executable
        stores = itertools.count()

        def ingest(paths: list[str]) -> list[str]:
            return [python, "-m", "dashboard", "--data-dir", str(work / f"store-{next(stores)}"), "ingest",
                    "--ontvangen", "2026-10-10", *paths]

        peers = {
            "duckdb-read-only": lambda: [python, "-c", DUCKDB_READ, *files],
            "pandas-peer": lambda: [python, str(BENCH / "pandas_peer.py"), *files],
            "monitor-ingest-1": lambda: ingest([largest]),
            "monitor-ingest": lambda: ingest(files),
        }
        cwd = {name: ROOT for name in peers}
        if args.compare is not None:
            # `python -m dashboard` imports the package of its working folder first.
            name = f"monitor-ingest@{args.compare.resolve().name}"
            peers[name], cwd[name] = peers["monitor-ingest"], args.compare.resolve()
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in peers}
        load = os.getloadavg()[0]
        for _ in range(args.repeats):
            for name, command in peers.items():
                times[name].append(run(command(), cwd[name]))
        largest_rows = sum(1 for _ in open(largest, "rb")) - 1
        lines = [f"# ingest of {len(files)} casussen files: {rows:,} case rows, {size_mb:.0f} MB plain UTF-8 CSV; "
                 f"{os.cpu_count()} cores, load {load:.1f} at the start; {versions()}; "
                 f"{dt.datetime.now():%Y-%m-%d %H:%M}, median of {args.repeats}",
                 f"{'what':24} {'wall s':>8} {'CPU s':>7} {'rows/s':>12}"]
        for name, results in times.items():
            wall = statistics.median(w for w, _ in results)
            cpu = statistics.median(c for _, c in results)
            n = largest_rows if name == "monitor-ingest-1" else rows
            lines.append(f"{name:24} {wall:8.2f} {cpu:7.2f} {n / wall:12,.0f}")
        pandas_wall = statistics.median(w for w, _ in times["pandas-peer"])
        ingest_wall = statistics.median(w for w, _ in times["monitor-ingest"])
        lines.append(f"monitor-ingest / pandas-peer: {pandas_wall / ingest_wall:.2f}x the peer's speed "
                     f"(monitor-ingest-1: {Path(largest).name}, {largest_rows:,} rows)")
        return report(lines, None if args.quick else f"ingest-{rows}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
