"""Server time of every page at demo scale: the Proeftuinmonitor next to its floor, in one run.

For each page (and a few filtered views) the same run measures:
  * queries-only: the page's registry queries executed bare in DuckDB (no protection, no
    figures): the floor any implementation on this store pays;
  * cold: the page built right after a new snapshot (empty figure-data cache): its queries,
    small-number protection, the plotly figures and table views, and the JSON the browser gets;
  * served: the page right after the server's warm-up (dashboard/warm.py draws every page's
    default view once per new snapshot): what a visitor's first request for this view costs on
    a running server, a filtered view included;
  * warm: the same page again (the cache holds the protected figure data of the snapshot), which
    is what every later visitor, filter change back and forth and presentation step costs.

The page is built as Dash's page router does it (the page's layout(**query) inside a request,
encoded as Dash encodes a callback response), the median of REPEATS runs.

Usage: .venv/bin/python bench/bench_pages.py [REPEATS] [--data-dir DIR]   (default 5; without a
data dir the demo set is generated and ingested into a temporary store first)
Writes a table to stdout and bench/results/pages.txt.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dash._utils import to_json  # noqa: E402

from dashboard import figuredata, registry, warm  # noqa: E402
from dashboard.app import create_app  # noqa: E402
from dashboard.demo_load import ensure_demo  # noqa: E402

VIEWS = [
    ("Overzicht", "/", {}),
    ("Overzicht, tranche 2", "/", {"tranche": "2"}),
    ("Tranches", "/tranches", {}),
    ("Tranches, kalender", "/tranches", {"tijd": "kalender"}),
    ("Proeftuin zeeland", "/proeftuin/zeeland", {}),
    ("Proeftuin utrecht, 2024", "/proeftuin/utrecht", {"van": "2024-Q1", "tot": "2024-Q4"}),
    ("Teams", "/teams", {}),
    ("Thema's", "/themas", {}),
    ("Tijdlijn", "/tijdlijn", {}),
    ("IV-strategie", "/iv", {}),
    ("Aanleveringen", "/aanleveringen", {}),
    ("Definities", "/definities", {}),
    ("Presentatie, dia 2", "/presentatie", {"presentatie": "1", "dia": "2"}),
]


def build(app, path: str, query: dict) -> int:
    return len(to_json(warm.draw(app, path, query)))  # as Dash encodes a callback's response


def queries_only(keys: list, data_dir: Path) -> float:
    con = figuredata.connection(data_dir)
    t = time.perf_counter()
    for figure_id, filters in keys:
        registry.run(con, registry.get(figure_id), filters.parameters())
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repeats", nargs="?", type=int, default=5)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    work = None
    data_dir = args.data_dir
    if data_dir is None:
        work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
        data_dir = work / "store"
        ensure_demo(data_dir)
    os.environ.setdefault("MONITOR_SMALL_CELL_THRESHOLD", "5")
    try:
        app = create_app(data_dir)
        for name, path, query in VIEWS:  # import and first-call costs out of the way
            build(app, path, query)
        rows = []
        for name, path, query in VIEWS:
            cold, served, again, floor = [], [], [], []
            size = 0
            for _ in range(args.repeats):
                figuredata.clear_cache()
                t = time.perf_counter()
                size = build(app, path, query)
                cold.append(time.perf_counter() - t)
                keys = figuredata.cached_figures()
                t = time.perf_counter()
                build(app, path, query)
                again.append(time.perf_counter() - t)
                floor.append(queries_only(keys, data_dir))
            for _ in range(args.repeats):
                figuredata.clear_cache()
                warm.warm_once(app)
                t = time.perf_counter()
                build(app, path, query)
                served.append(time.perf_counter() - t)
            rows.append((name, len(keys), *(statistics.median(x) * 1000 for x in (floor, cold, served, again)),
                         size / 1000))
        lines = [f"Page server time, demo store, median of {args.repeats}; load average "
                 f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
                 "", f"{'view':28s} {'figures':>7s} {'queries-only ms':>16s} {'cold ms':>8s} {'served ms':>10s} "
                 f"{'warm ms':>8s} {'JSON kB':>8s}"]
        for name, n, f, c, sv, w, kb in rows:
            lines.append(f"{name:28s} {n:7d} {f:16.1f} {c:8.1f} {sv:10.1f} {w:8.1f} {kb:8.0f}")
        text = "\n".join(lines)
        print(text)
        out = Path(__file__).resolve().parent / "results" / "pages.txt"
        out.parent.mkdir(exist_ok=True)  # bench/results/ is not in the repository
        out.write_text(text + "\n", encoding="utf-8")
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
