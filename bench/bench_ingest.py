"""Ingest of one big casussen delivery: the Proeftuinmonitor next to its peers, in one run.

Peers on the same file, same machine, same run:
  * duckdb-read-only: DuckDB's own CSV reader, reading the file into a table (a floor: no checks);
  * pandas-read: pandas.read_csv with dtype=str (what a pandas-based validator would start with);
  * monitor-validate: read + the full SQL validation (python -m dashboard validate, in-process);
  * monitor-ingest: validate + archive + new snapshot + publish (python -m dashboard ingest, in-process).

Usage: .venv/bin/python bench/bench_ingest.py [ROWS] [REPEATS]   (default 1000000, 3)
Writes a table to stdout and bench/results/ingest-<rows>.txt.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from dashboard.ingest import check_file, ingest_files  # noqa: E402
from dashboard.store import Store  # noqa: E402
from tests.exportfiles import write_big_csv  # noqa: E402


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        path = write_big_csv(work / "utrecht_casussen_2026-Q3.csv", rows)
        size_mb = path.stat().st_size / 1e6

        def duckdb_read():
            con = duckdb.connect()
            con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?, delim=';', header=true, all_varchar=true)", [str(path)])
            con.close()

        def pandas_read():
            pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)

        def monitor_validate():
            assert check_file(path).status == "geaccepteerd"

        counter = iter(range(10_000))

        def monitor_ingest():
            store = Store(work / f"store-{next(counter)}")
            assert ingest_files([path], store, ontvangen=dt.date(2026, 10, 10)).all_accepted

        results = {
            "duckdb-read-only": timed(duckdb_read, repeats),
            "pandas-read": timed(pandas_read, repeats),
            "monitor-validate": timed(monitor_validate, repeats),
            "monitor-ingest": timed(monitor_ingest, repeats),
        }
        lines = [f"# ingest benchmark: {rows:,} case rows, CSV {size_mb:.0f} MB, {os.cpu_count()} cores, "
                 f"{dt.datetime.now():%Y-%m-%d %H:%M}, median of {repeats}",
                 f"{'what':20} {'median s':>9} {'min s':>7} {'rows/s':>12}"]
        for name, ts in results.items():
            med = statistics.median(ts)
            lines.append(f"{name:20} {med:9.2f} {min(ts):7.2f} {rows / med:12,.0f}")
        text = "\n".join(lines)
        print(text)
        out = Path(__file__).resolve().parent / "results"
        out.mkdir(exist_ok=True)
        (out / f"ingest-{rows}.txt").write_text(text + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
