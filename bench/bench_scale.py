"""Page speed at national scale: every page's server time, a worker's memory and a filtered view
in headless Chromium, at 10k to 10M case rows, in one run.

For each scale (bench/scale.py writes the delivery files, ingest builds the store; a store built
before is reused) the same run measures:
  * server time of every view of bench/bench_pages.py plus views with filters not drawn by the
    warm-up, the way Dash's page router builds them (layout(**query) inside a request, encoded
    as Dash encodes the response), each in a fresh process:
      - cold: the figure-data cache emptied and the snapshot opened anew before each view, as
        right after an ingest published a new snapshot (the view not drawn before);
      - warm: the same view again (figure data cached per snapshot);
    the median of REPEATS, as elapsed time and as the CPU time of the process (all its threads:
    DuckDB's two included). On a shared machine the elapsed time grows with the others' load; the
    CPU time much less, and on an idle machine it is about the elapsed time (more where DuckDB
    runs a query on both cores). With the ratio of cold time to the smallest scale of the run,
    and for the largest scale how much of the cold time is figure data (queries and small-number
    protection, on a snapshot opened anew) and how much the bare queries;
  * resident memory (RSS) of the gunicorn workers serving that store (started as `python
    app.py` starts them, 2 workers, warm-up on), after start and after every view was asked for
    once over HTTP (the page callback the browser posts);
  * headless Chromium on that server: from navigation to the filtered view fully drawn (no
    loading marker, every graph drawn), the first time (a new browser, and the server draws it
    cold) and again (reloads: the browser has the scripts); then from there, inside the open
    dashboard as a link or filter takes the steering group, to five filtered views not drawn
    before (the server draws each cold): median and slowest; the same on the demo store, for the
    ratio.

Usage:
  .venv/bin/python bench/bench_scale.py [--scales 10k 100k 1m] [--repeats 3] [--work DIR]
                                        [--demo-store DIR] [--no-browser] [--no-server]
Scales: 10k, 100k, 1m, 10m or a number of rows. The work folder (default bench/results/stores/)
keeps the files and stores between runs; 10m is ingested in parts, one proeftuin at a time.
Writes the table to stdout and bench/results/scale.txt, the numbers to bench/results/scale.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))
import dashboard  # noqa: E402,F401 - this tree's dashboard, before bench_pages adds the path again
from tests.servers import Server  # noqa: E402 - gunicorn as `python app.py` starts it, on a free port

SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
# Views with filters the warm-up never draws: what the steering group picks during a meeting.
FILTERED = [
    ("Overzicht, tranche 1, 2023", "/", {"tranche": "1", "van": "2023-Q1", "tot": "2023-Q4"}),
    ("Tranches, 2024", "/tranches", {"van": "2024-Q1", "tot": "2024-Q4"}),
    ("Proeftuin flevoland, 2025", "/proeftuin/flevoland", {"van": "2025-Q1", "tot": "2025-Q4"}),
    ("IV-strategie, tranche 2, vanaf 2025", "/iv", {"tranche": "2", "van": "2025-Q1"}),
    ("Overzicht, 2 proeftuinen", "/", {"proeftuinen": "utrecht,zeeland"}),
]
# Not among the views above: the server draws it for the first time when the browser asks.
BROWSER_VIEW = ("/proeftuin/utrecht", {"van": "2024-Q2", "tot": "2025-Q1"})
# Reached from BROWSER_VIEW inside the open dashboard, as a menu link or a filter takes the steering
# group there during a meeting; none drawn before, so the server draws each cold.
IN_APP_VIEWS = [
    ("/tranches", {"van": "2023-Q2", "tot": "2024-Q3"}),
    ("/proeftuin/zeeland", {"van": "2024-Q3", "tot": "2025-Q2"}),
    ("/", {"tranche": "1", "van": "2024-Q1"}),
    ("/iv", {"van": "2023-Q1", "tot": "2025-Q4"}),
    ("/teams", {"tranche": "2"}),
]
THRESHOLD = "5"  # small-number protection on, as the steering group always sees it


def rows_of(scale: str) -> int:
    return SCALES.get(scale.lower()) or int(scale)


def label_of(rows: int) -> str:
    return next((k for k, v in SCALES.items() if v == rows), str(rows))


# --- the stores ---------------------------------------------------------------------------------

def prepare(rows: int, work: Path) -> Path:
    """The store of this scale: reused when built before, else written by bench/scale.py and
    ingested (10M one proeftuin at a time, so that one ingest never holds all of it)."""
    from dashboard.ingest import ingest_files
    from dashboard.store import Store

    folder = work / label_of(rows)
    store = Store(folder / "store")
    if store.current_snapshot() is not None:
        return store.root
    import scale  # bench/scale.py

    files = folder / "files"
    manifest = files / "scale.json"
    if not manifest.exists() or json.loads(manifest.read_text())["rows_asked"] != rows:
        shutil.rmtree(files, ignore_errors=True)
        scale.write_scale(files, rows)
    paths = sorted(files.glob("*.csv"))
    parts = [[p for p in paths if p.name.startswith(f"{code}_")]
             for code in sorted({p.name.split("_")[0] for p in paths})] if rows >= 10_000_000 else [paths]
    started = time.perf_counter()
    for part in parts:
        result = ingest_files(part, store, ontvangen=dt.date.today())
        if not result.all_accepted:
            raise SystemExit(f"ingest van {label_of(rows)} afgewezen: {[f.message for f in result.files]}")
    print(f"{label_of(rows)}: ingested in {time.perf_counter() - started:.1f} s", flush=True)
    return store.root


def case_rows(data_dir: Path) -> int:
    import duckdb

    from dashboard.store import Store

    con = duckdb.connect(str(Store(data_dir).current_snapshot()), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM casussen_actueel").fetchall()[0][0]
    finally:
        con.close()


# --- server time, in a process of its own per store ---------------------------------------------

def views() -> list[tuple[str, str, dict]]:
    from bench_pages import VIEWS

    return VIEWS + FILTERED


def forget_snapshot() -> None:
    """As after an ingest: nothing cached, the snapshot opened anew (DuckDB's buffers empty)."""
    from dashboard import figuredata

    figuredata.clear_cache()
    for reader in figuredata._readers.values():
        con = getattr(reader._local, "con", None)
        if con is not None:
            con.close()
    figuredata._readers.clear()


def measure_pages(data_dir: Path, repeats: int) -> dict:
    """{view: {cold_ms, warm_ms, figures, json_kb}}; run by `--measure` in a fresh process."""
    from bench_pages import build

    from dashboard import figuredata
    from dashboard.app import create_app

    app = create_app(data_dir)
    for _, path, query in views():  # imports and first calls out of the way
        build(app, path, query)
    result = {}
    for name, path, query in views():
        times: dict[str, list[float]] = {k: [] for k in ("cold_ms", "cold_cpu_ms", "warm_ms", "warm_cpu_ms",
                                                          "data_cpu_ms", "queries_cpu_ms")}
        size = figures = 0
        for _ in range(repeats):
            forget_snapshot()
            for kind in ("cold", "warm"):
                t, cpu = time.perf_counter(), time.process_time()
                size = build(app, path, query)
                times[f"{kind}_ms"].append(time.perf_counter() - t)
                times[f"{kind}_cpu_ms"].append(time.process_time() - cpu)
                figures = figures or len(figuredata.cached_figures())  # after the first cold build
            data, queries = split_data(data_dir, figuredata.cached_figures())
            times["data_cpu_ms"].append(data)
            times["queries_cpu_ms"].append(queries)
        result[name] = {**{k: statistics.median(v) * 1000 for k, v in times.items()},
                        "figures": figures, "json_kb": size / 1000}
    return result


def split_data(data_dir: Path, keys: list) -> tuple[float, float]:
    """CPU seconds of the view's figure data on a snapshot opened anew (queries and small-number
    protection), and of its bare registry queries: what of a cold view is data, not page."""
    from dashboard import figuredata, registry

    forget_snapshot()
    cpu = time.process_time()
    for figure_id, filters in keys:
        figuredata.figure_data(figure_id, filters, data_dir=data_dir)
    data = time.process_time() - cpu
    con = figuredata.connection(data_dir)
    cpu = time.process_time()
    for figure_id, filters in keys:
        registry.run(con, registry.get(figure_id), filters.parameters())
    return data, time.process_time() - cpu


def pages_in_subprocess(data_dir: Path, repeats: int) -> dict:
    env = {**os.environ, "MONITOR_SMALL_CELL_THRESHOLD": THRESHOLD}
    out = subprocess.run([sys.executable, __file__, "--measure", str(data_dir), "--repeats", str(repeats)],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"meting op {data_dir} mislukt:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- a real server: memory of its workers, and the browser -------------------------------------

def post_page(server: Server, path: str, query: dict) -> int:
    """The page callback the browser posts when a page or a filter changes; the HTTP status."""
    search = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    body = {"output": ".._pages_content.children..._pages_store.data..",
            "outputs": [{"id": "_pages_content", "property": "children"},
                        {"id": "_pages_store", "property": "data"}],
            "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                       {"id": "_pages_location", "property": "search", "value": search}],
            "changedPropIds": ["_pages_location.pathname"], "state": []}
    status, _, _ = server.request("POST", "/_dash-update-component", json.dumps(body).encode(),
                                  {"Content-Type": "application/json"}, timeout=120)
    return status


def worker_rss_mb(server: Server) -> float:
    import psutil

    return max(psutil.Process(pid).memory_info().rss / 2**20 for pid in server.worker_pids())


def drawn_ms(driver, url: str, timeout: float = 60) -> float:
    """Milliseconds from navigation start until the page is fully drawn: no loading marker, every
    graph drawn, and that state unchanged over the next polls (the time of its first poll)."""
    script = ("return [document.querySelectorAll('._dash-loading, ._dash-loading-callback').length,"
              " document.querySelectorAll('.js-plotly-plot .main-svg').length, document.readyState,"
              " Array.from(document.querySelectorAll('.dash-graph')).every(g => g.querySelector('.main-svg')),"
              " performance.now()];")
    driver.get(url)
    return _first_of_stable(driver, script, lambda ready, all_drawn: ready == "complete" and all_drawn,
                            timeout, f"{url} niet getekend binnen {timeout} s")


def _first_of_stable(driver, script: str, drawn, timeout: float, failure: str) -> float:
    """Poll `script` ([loading markers, charts, a, b, time in ms]) until there are no loading
    markers, some charts and drawn(a, b), unchanged over five more polls; the time of the first."""
    deadline = time.monotonic() + timeout
    last, since, stable = None, None, 0
    while time.monotonic() < deadline:
        loading, charts, a, b, now = driver.execute_script(script)
        done = loading == 0 and charts > 0 and drawn(a, b)
        if done and (loading, charts) == last:
            stable += 1
            if stable >= 5:
                return since
        else:
            stable, since = 0, now
        last = (loading, charts) if done else None
        time.sleep(0.02)
    raise SystemExit(failure)


def navigated_ms(driver, url: str, timeout: float = 60) -> float:
    """Milliseconds from an in-app navigation (as dcc.Link makes it: the address pushed and Dash told)
    until the new view is fully drawn: no loading marker, every graph drawn, none of the graphs of
    the view before left, and that state unchanged over the next polls (the time of its first)."""
    driver.execute_script(
        "document.querySelectorAll('.dash-graph').forEach(g => { g.dataset.pmVorige = '1'; });"
        "window.pmNavigatie = performance.now();"
        "window.history.pushState({}, '', arguments[0]);"
        "window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));", url)
    script = ("return [document.querySelectorAll('._dash-loading, ._dash-loading-callback').length,"
              " document.querySelectorAll('.js-plotly-plot .main-svg').length,"
              " document.querySelectorAll('.dash-graph[data-pm-vorige]').length,"
              " Array.from(document.querySelectorAll('.dash-graph')).every(g => g.querySelector('.main-svg')),"
              " performance.now() - window.pmNavigatie];")
    return _first_of_stable(driver, script, lambda old, all_drawn: old == 0 and all_drawn,
                            timeout, f"{url} niet getekend binnen {timeout} s na navigatie in de app")


def chromium():
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1024", "--disable-background-networking", "--disable-component-update",
                "--no-first-run"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(options=options)


def measure_server(data_dir: Path, log: Path, browser: bool) -> dict:
    """RSS of the workers and, with `browser`, the filtered view's drawing time."""
    server = Server(data_dir, log, env={"MONITOR_SMALL_CELL_THRESHOLD": THRESHOLD})
    try:
        server.wait_ready(seconds=600)
        result = {"rss_start_mb": worker_rss_mb(server)}
        for _ in range(2):  # two rounds: each worker gets its share of the views
            for _, path, query in views():
                status = post_page(server, path, query)
                if status != 200:
                    raise SystemExit(f"{path} {query}: HTTP {status}")
        result["rss_mb"] = worker_rss_mb(server)
        if browser:
            path, query = BROWSER_VIEW
            driver = chromium()
            try:
                url = f"http://127.0.0.1:{server.port}{path}?" + "&".join(f"{k}={v}" for k, v in query.items())
                result["browser_first_ms"] = drawn_ms(driver, url)
                result["browser_ms"] = statistics.median(drawn_ms(driver, url) for _ in range(3))
                in_app = [navigated_ms(driver, f"{p}?" + "&".join(f"{k}={v}" for k, v in q.items()))
                          for p, q in IN_APP_VIEWS]
                result["browser_in_app_ms"] = statistics.median(in_app)
                result["browser_in_app_max_ms"] = max(in_app)
            finally:
                driver.quit()
        return result
    finally:
        server.stop()


# --- the run ------------------------------------------------------------------------------------

def table(results: dict, demo: dict | None, repeats: int) -> str:
    scales = list(results)
    base = scales[0]
    names = [name for name, _, _ in views()]
    lines = [f"Page server time in ms, median of {repeats}: cold elapsed, cold CPU, warm elapsed per scale, and "
             f"the ratio of cold CPU time to {base}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
             ""]
    head = f"{'view':38s}" + "".join(f" {s + ' cold':>10s} {s + ' cpu':>9s} {s + ' warm':>10s}" for s in scales)
    head += "".join(f" {s + '/' + base:>9s}" for s in scales[1:])
    lines.append(head)
    for name in names:
        line = f"{name:38s}"
        for s in scales:
            v = results[s]["pages"][name]
            line += f" {v['cold_ms']:10.1f} {v['cold_cpu_ms']:9.1f} {v['warm_ms']:10.1f}"
        for s in scales[1:]:
            line += f" {results[s]['pages'][name]['cold_cpu_ms'] / results[base]['pages'][name]['cold_cpu_ms']:9.2f}"
        lines.append(line)
    top = scales[-1]
    lines += ["", f"Where the cold CPU time goes at {top}: figure data (queries and protection), the bare queries, "
              "and the rest (building the page)", "",
              f"{'view':38s} {'cold cpu':>9s} {'data':>9s} {'queries':>9s} {'page':>9s}"]
    for name in names:
        v = results[top]["pages"][name]
        lines.append(f"{name:38s} {v['cold_cpu_ms']:9.1f} {v['data_cpu_ms']:9.1f} {v['queries_cpu_ms']:9.1f} "
                     f"{v['cold_cpu_ms'] - v['data_cpu_ms']:9.1f}")
    worst = {s: max(v["cold_ms"] for v in results[s]["pages"].values()) for s in scales}
    worst_cpu = {s: max(v["cold_cpu_ms"] for v in results[s]["pages"].values()) for s in scales}
    lines += ["", f"{'':38s}" + "".join(f" {s:>10s}" for s in scales),
              f"{'case rows':38s}" + "".join(f" {results[s]['case_rows']:10,d}" for s in scales),
              f"{'dearest view cold ms':38s}" + "".join(f" {worst[s]:10.1f}" for s in scales),
              f"{'dearest view cold CPU ms':38s}" + "".join(f" {worst_cpu[s]:10.1f}" for s in scales)]
    for key, title in (("rss_start_mb", "worker RSS after start MB"), ("rss_mb", "worker RSS after all views MB"),
                       ("browser_first_ms", "browser, view drawn first time ms"),
                       ("browser_ms", "browser, view drawn again ms"),
                       ("browser_in_app_ms", "browser, in-app to a new view, median"),
                       ("browser_in_app_max_ms", "browser, in-app to a new view, max")):
        if all(key in results[s] for s in scales):
            lines.append(f"{title:38s}" + "".join(f" {results[s][key]:10.0f}" for s in scales))
    if demo:
        lines.append("demo store: " + ", ".join(f"{k} {v:.0f}" for k, v in demo.items() if k != "case_rows")
                     + f" ({demo['case_rows']:,} case rows)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", nargs="+", default=["10k", "100k", "1m"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, default=BENCH / "results" / "stores")
    parser.add_argument("--demo-store", type=Path, help="the demo store to compare the browser with")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-server", action="store_true", help="server time only: no gunicorn, no browser")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure_pages(args.measure, args.repeats)))
        return {}
    args.work.mkdir(parents=True, exist_ok=True)
    logs = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    results: dict = {}
    for scale in args.scales:
        rows = rows_of(scale)
        data_dir = prepare(rows, args.work)
        entry = {"case_rows": case_rows(data_dir), "pages": pages_in_subprocess(data_dir, args.repeats)}
        if not args.no_server:
            entry.update(measure_server(data_dir, logs / f"{label_of(rows)}.log", not args.no_browser))
        results[label_of(rows)] = entry
        print(f"{label_of(rows)}: done", flush=True)
    demo = None
    if not args.no_server and not args.no_browser:
        from dashboard.demo_load import ensure_demo

        demo_dir = args.demo_store or args.work / "demo" / "store"
        ensure_demo(demo_dir)
        demo = {"case_rows": case_rows(demo_dir), **measure_server(demo_dir, logs / "demo.log", True)}
    text = table(results, demo, args.repeats)
    print(text)
    out = BENCH / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.txt").write_text(text + "\n", encoding="utf-8")
    (out / "scale.json").write_text(json.dumps({"scales": results, "demo": demo}, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(logs, ignore_errors=True)
    return results


if __name__ == "__main__":
    main()
