"""Load run: 20 simulated users on gunicorn with 2 workers on loopback, quietly and during an ingest.

The store is made from bench/scale.py's files (all 11 proeftuinen: casussen, teamleden, themas).
gunicorn starts as `python app.py` starts it (dashboard.serving.gunicorn_argv, 2 workers) and
serves once its workers' warm-up is done (/healthz 200). Each user then, for a bounded time,
does what the browser does (accepting compressed answers, and unpacking them): the page shell
(GET), then page and filter changes as the Dash page
callback (POST /_dash-update-component with the path and the query string, as dcc.Location
sends them): every page, with tranche, period and proeftuin filters drawn at random (seeded),
so most filtered views are not drawn before. Two ways to use it:

  * saturation (the default): each user sends its next request as soon as the last is answered
    (zero think time), the most 20 users can ask of the server;
  * `--think 2-8`: each user reads the page a number of seconds drawn from its seed (uniformly
    between the two bounds) before the next click, as people do.

Two phases of the same length:

  * rustig: only the users;
  * ingest: the same while a delivery is ingested (`python -m dashboard ingest`): by default
    (`--ingest batch`) one quarter's batch of every file, all proeftuinen, once, publishing one new
    snapshot, with the answers from the start of that ingest until 10 s after its publication
    apart; with `--ingest continuous` two themas files at a time, one snapshot after another for
    the whole phase (far more often than the programme ever publishes). Zero errors expected.

Per page: requests, p50, p95 and max in ms, errors (any answer but 200 with a Dash response);
per phase the answers a second and how many page answers came from the page cache (the
X-Proeftuinmonitor-Cache header, dashboard/pagecache.py); and the resident memory of each
worker at the end.

Usage: .venv/bin/python bench/bench_load.py [--rows N] [--files DIR] [--users 20] [--seconds 60]
                                            [--think MIN-MAX] [--ingest batch|continuous] [--quick]
  --quick: 10,000 rows, 4 users, 3 s per phase (the test suite runs it so the benchmark cannot rot)
Prints a table and writes bench/results/load-<rows>.txt, or load-<rows>-think.txt with --think
(not in --quick).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import scale  # noqa: E402
from common import free_port, report  # noqa: E402

from dashboard import reference  # noqa: E402
from dashboard.serving import gunicorn_argv  # noqa: E402

PAGES = ["/", "/tranches", "/proeftuin", "/teams", "/themas", "/tijdlijn", "/iv", "/aanleveringen", "/definities",
         "/presentatie"]
TIMEOUT = 60  # seconds a simulated user waits for an answer
CACHE_HEADER = "X-Proeftuinmonitor-Cache"
ACCEPT_ENCODING = "gzip, deflate, br, zstd"  # what Chromium sends; the answers are unpacked as it does
QUARTERS = [f"{year}-Q{q}" for year in range(2021, 2027) for q in range(1, 5)][:-1]  # up to 2026-Q3


def decoded(data: bytes, encoding: str | None) -> bytes:
    """The body as the browser unpacks it (flask-compress's encodings, the page cache's gzip)."""
    if encoding == "gzip":
        return zlib.decompress(data, 31)
    if encoding == "zstd":
        from backports import zstd

        return zstd.decompress(data)
    if encoding == "br":
        import brotli

        return brotli.decompress(data)
    if encoding == "deflate":
        return zlib.decompress(data)
    return data


def page_callback(path: str, search: str) -> bytes:
    """The request body the browser sends when the URL changes (dash pages' own callback)."""
    return json.dumps({
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"], "state": [],
    }).encode()


def random_view(rng: random.Random, codes: list[str]) -> tuple[str, str, str]:
    """(page for the table, path, query string): a page with filters as a user picks them."""
    page = rng.choice(PAGES)
    path = f"/proeftuin/{rng.choice(codes)}" if page == "/proeftuin" and rng.random() < 0.8 else page
    query = {}
    if page in ("/", "/tranches", "/proeftuin", "/iv") and rng.random() < 0.7:
        if rng.random() < 0.5:
            query["tranche"] = rng.choice(("1", "2"))
        if rng.random() < 0.6:
            van, tot = sorted(rng.sample(range(len(QUARTERS)), 2))
            query.update(van=QUARTERS[van], tot=QUARTERS[tot])
    if page == "/tranches" and rng.random() < 0.3:
        query["tijd"] = "kalender"
    if page == "/presentatie":
        query.update(presentatie="1", dia=str(rng.randint(1, 4)))
    search = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return page, path, search


class Users:
    """Simulated users against one server; timings per page."""

    def __init__(self, port: int, users: int, seed: int, think: tuple[float, float] = (0.0, 0.0)):
        self.port, self.users, self.seed, self.think = port, users, seed, think
        self.seconds = 0.0
        self.cache: dict[str, int] = {}  # page answers by the page cache's header: hit, miss
        self.codes = [p.code for p in reference.proeftuinen()]
        self.timings: dict[str, list[float]] = {}
        self.moments: list[tuple[float, float]] = []  # (monotonic start, ms) of every answer
        self.errors: dict[str, int] = {}
        self.kinds: dict[str, int] = {}  # what went wrong: an HTTP status, or the client's timeout
        self.lock = threading.Lock()

    def run(self, seconds: float) -> None:
        started = time.monotonic()
        stop = started + seconds
        threads = [threading.Thread(target=self._user, args=(n, stop)) for n in range(self.users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.seconds = time.monotonic() - started

    def _user(self, number: int, stop: float) -> None:
        rng = random.Random(f"{self.seed}:{number}")
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        first = True
        while time.monotonic() < stop:
            page, path, search = random_view(rng, self.codes)
            if first or rng.random() < 0.1:  # a new visit or a reload: the page shell first
                self._timed(con, "shell (GET)", "GET", path + search, None)
                first = False
            self._timed(con, page, "POST", "/_dash-update-component", page_callback(path, search))
            if self.think[1] > 0:
                time.sleep(min(rng.uniform(*self.think), max(0.0, stop - time.monotonic())))
        con.close()

    def _timed(self, con: http.client.HTTPConnection, label: str, method: str, url: str, body: bytes | None) -> None:
        started = time.perf_counter()
        ok, kind, cached = False, "", None
        for attempt in (1, 2):
            reused = con.sock is not None
            try:
                headers = {"Accept-Encoding": ACCEPT_ENCODING, **({"Content-Type": "application/json"} if body else {})}
                con.request(method, url, body=body, headers=headers)
                r = con.getresponse()
                data = decoded(r.read(), r.getheader("Content-Encoding"))
                cached = r.getheader(CACHE_HEADER)
                ok = r.status == 200 and (body is None or b'"response"' in data)
                kind = f"HTTP {r.status}" if r.status != 200 else "200 without a Dash response"
            except TimeoutError:
                kind = f"no answer within {TIMEOUT} s"
                con.close()  # reconnects on the next request
            except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected) as e:
                con.close()
                kind = type(e).__name__
                # gunicorn closes a connection idle for its keep-alive (5 s; a user thinking): a
                # browser then sends the request again on a new connection, and so does this.
                if reused and attempt == 1:
                    continue
            except (OSError, http.client.HTTPException) as e:
                kind = type(e).__name__
                con.close()
            break
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.timings.setdefault(label, []).append(elapsed)
            self.moments.append((time.monotonic() - elapsed / 1000, elapsed))
            if body is not None and cached:
                self.cache[cached] = self.cache.get(cached, 0) + 1
            if not ok:
                self.errors[label] = self.errors.get(label, 0) + 1
                self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def window(self, start: float, end: float) -> str:
        """p50, p95 and max of the answers asked for between two moments (time.monotonic)."""
        ts = sorted(ms for at, ms in self.moments if start <= at < end)
        if not ts:
            return "no answers"
        return (f"{len(ts)} answers, p50 {statistics.median(ts):.0f} ms, "
                f"p95 {ts[min(len(ts) - 1, int(0.95 * len(ts)))]:.0f} ms, max {ts[-1]:.0f} ms")

    def table(self) -> list[str]:
        lines = [f"{'page':16} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6}"]
        for label in sorted(self.timings):
            ts = sorted(self.timings[label])
            p95 = ts[min(len(ts) - 1, int(0.95 * len(ts)))]
            lines.append(f"{label:16} {len(ts):8} {statistics.median(ts):8.0f} {p95:8.0f} {ts[-1]:8.0f} "
                         f"{self.errors.get(label, 0):6}")
        everything = sorted(t for ts in self.timings.values() for t in ts)
        lines.append(f"{'all':16} {len(everything):8} {statistics.median(everything):8.0f} "
                     f"{everything[min(len(everything) - 1, int(0.95 * len(everything)))]:8.0f} "
                     f"{everything[-1]:8.0f} {sum(self.errors.values()):6}")
        if self.kinds:
            lines.append("errors: " + ", ".join(f"{n} {kind}" for kind, n in sorted(self.kinds.items())))
        hits, misses = self.cache.get("hit", 0), self.cache.get("miss", 0)
        lines.append(f"answers/s: {len(everything) / (self.seconds or 1):.1f}; page cache: {hits} hits, "
                     f"{misses} misses ({100 * hits / ((hits + misses) or 1):.0f}% hits)")
        return lines


def think_range(text: str) -> tuple[float, float]:
    """'2-8' -> (2.0, 8.0); '0' -> no think time."""
    low, _, high = text.partition("-")
    try:
        bounds = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is no range of seconds such as 2-8") from None
    if not 0 <= bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError(f"'{text}' is no range of seconds such as 2-8")
    return bounds


def ingest(store: Path, files: list[Path]) -> None:
    subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(store), "ingest", *map(str, files)],
                   cwd=ROOT, check=True, capture_output=True)


def keep_ingesting(store: Path, folder: Path, stop: threading.Event, published: list[str]) -> None:
    """New themas deliveries for earlier periods, one after another: each publishes a snapshot."""
    periods = iter(reversed(QUARTERS[:-1]))
    while not stop.is_set():
        periode = next(periods)
        files = []
        for source in sorted(folder.glob("*_themas_*.csv"))[:2]:
            target = folder.parent / "extra" / source.name.replace("2026-Q3", periode)
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(source, target)
            files.append(target)
        ingest(store, files)
        published.append(periode)


def ingest_batch(store: Path, folder: Path, delay: float, times: dict) -> None:
    """After `delay` seconds, every file of the folder once more as a new delivery in one
    command: a whole quarter's batch of all proeftuinen, one new snapshot."""
    time.sleep(delay)
    times["start"] = time.monotonic()
    ingest(store, sorted(folder.glob("*.csv")))
    times["published"] = time.monotonic()


def worker_rss_mb(master: int) -> list[float]:
    out = subprocess.run(["ps", "-o", "rss=", "--ppid", str(master)], capture_output=True, text=True).stdout
    return [int(kb) / 1024 for kb in out.split()]


def wait_ready(port: int, proc: subprocess.Popen, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {proc.returncode})")
        try:
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            con.request("GET", "/healthz")
            if con.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError("gunicorn did not become ready")


def wait_warmed(log: Path, workers: int, seconds: float = 600) -> None:
    """Until every worker's background warm-up has drawn every page once (dashboard/warm.py): the
    quiet phase measures a server in its steady state, not one still drawing its first pages."""
    deadline = time.monotonic() + seconds
    while log.read_text(errors="replace").count("figuren voorverwarmd") < workers:
        if time.monotonic() > deadline:
            raise TimeoutError("the warm-up did not finish")
        time.sleep(0.2)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", type=Path, help="a folder bench/scale.py wrote (default: write one)")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=think_range, default=(0.0, 0.0), metavar="MIN-MAX",
                        help="seconds a user reads a page before the next click, e.g. 2-8 (default 0: saturation)")
    parser.add_argument("--ingest", choices=("batch", "continuous"), default="batch",
                        help="batch (default): one quarter's batch of every file, published once, 2 s into the "
                             "phase; continuous: two themas files at a time, one snapshot after another")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.users, args.seconds = 10_000, 4, 3
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    proc = None
    try:
        folder = work / "bestanden"
        shutil.copytree(args.files, folder) if args.files else scale.write_scale(folder, args.rows)
        store = work / "store"
        ingest(store, sorted(folder.glob("*.csv")))
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
        env["MONITOR_DATA_DIR"] = str(store)
        log = work / "gunicorn.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(gunicorn_argv("127.0.0.1", port, 2), cwd=ROOT, env=env, stdout=out,
                                    stderr=subprocess.STDOUT)
        wait_ready(port, proc)
        wait_warmed(log, workers=2)
        rows = json.loads((folder / "scale.json").read_text())["case_rows"]
        mode = f"think time {args.think[0]:g}-{args.think[1]:g} s" if args.think[1] else "zero think time"
        lines = [f"# load: {args.users} users ({mode}), {args.seconds:.0f} s per phase, gunicorn 2 workers on loopback, "
                 f"{rows:,} case rows; {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} at the start; "
                 f"Python {platform.python_version()}; {dt.datetime.now():%Y-%m-%d %H:%M}"]
        quiet = Users(port, args.users, seed=1, think=args.think)
        quiet.run(args.seconds)
        lines += ["## rustig", *quiet.table()]
        busy = Users(port, args.users, seed=2, think=args.think)
        if args.ingest == "continuous":
            stop, published = threading.Event(), []
            ingester = threading.Thread(target=keep_ingesting, args=(store, folder, stop, published))
            ingester.start()
            try:
                busy.run(args.seconds)
            finally:
                stop.set()
                ingester.join()
            lines += [f"## tijdens inlezen ({len(published)} nieuwe snapshots gepubliceerd, na elkaar)", *busy.table()]
        else:
            times: dict[str, float] = {}
            ingester = threading.Thread(target=ingest_batch, args=(store, folder, min(2.0, args.seconds / 4), times))
            ingester.start()
            busy.run(args.seconds)
            ingester.join()  # an ingest longer than the phase: the phase's answers are all measured during it
            files = len(list(folder.glob("*.csv")))
            lines += [f"## tijdens inlezen (een levering van {files} bestanden, {rows:,} rijen: ingelezen en "
                      f"gepubliceerd in {times['published'] - times['start']:.1f} s)", *busy.table(),
                      "from the start of the ingest until 10 s after the new snapshot: "
                      + busy.window(times["start"], times["published"] + 10)]
        lines.append("worker RSS MB: " + ", ".join(f"{mb:.0f}" for mb in worker_rss_mb(proc.pid)))
        name = f"load-{rows}" + ("-think" if args.think[1] else "") + ("-continuous" if args.ingest == "continuous" else "")
        return report(lines, None if args.quick else name)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
