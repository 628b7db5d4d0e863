"""`python app.py` on an empty store: the demo set complete, or no start at all (real processes)."""

from __future__ import annotations

import fcntl
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def serve(store: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    env["MONITOR_DATA_DIR"] = str(store)
    return subprocess.run([sys.executable, "-m", "dashboard", "serve", "--port", str(free_port())], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


def assert_nothing_published(store: Path) -> None:
    assert not (store / "CURRENT").exists()
    assert not list(store.glob("snapshots/*.duckdb")) and not list(store.glob("archief/*"))


def test_a_demo_set_that_cannot_be_written_stops_the_start_before_gunicorn(tmp_path):
    store = tmp_path / "store"
    # The folder of the rejected demo files cannot be made: one of the writer processes fails.
    (store / "demo-bestanden").mkdir(parents=True)
    (store / "demo-bestanden" / "afgekeurd").write_text("in de weg")
    r = serve(store)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "fout: de demodata konden niet worden aangemaakt of ingelezen (FileExistsError" in r.stderr
    assert "er is niets gepubliceerd. Het dashboard start niet." in r.stderr
    assert "Proeftuinmonitor op" not in r.stderr and "Starting gunicorn" not in r.stderr
    assert_nothing_published(store)


def test_a_demo_set_that_cannot_be_ingested_stops_gunicorn_before_it_serves(tmp_path):
    """gunicorn starts once the files are written; its workers wait for the ingest, and without
    its snapshot they do not boot and gunicorn stops with exit code 3."""
    store = tmp_path / "store"
    store.mkdir()
    with open(store / ".ingest.lock", "a+") as lock:  # another ingest holds the store
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        r = serve(store)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "fout: de demodata konden niet worden aangemaakt of ingelezen (StoreLocked" in r.stderr
    assert "de demodata zijn niet ingelezen; deze worker start niet" in r.stderr
    assert "Worker failed to boot" in r.stderr and '"GET ' not in r.stderr  # no request was answered
    assert_nothing_published(store)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_first_start_serves_the_whole_demo_set():
    """bench/bench_first_start.py: the real start on an empty store until / answers, and the
    store it made. 458 files: 2 of them the deliberately broken deliveries in afgekeurd/, so
    456 accepted; 39,273 case rows in the accepted casussen files of the seed 2026 set."""
    r = subprocess.run([sys.executable, "bench/bench_first_start.py", "--follow", "0"], cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"first page after \d+\.\d s \(458 deliveries, 456 accepted, 39,273 case rows", r.stdout), r.stdout
    steps = [s[0] for s in re.findall(r"^  (\S.*?) +(\d+\.\d) +(\d+\.\d) +(\d+\.\d)$", r.stdout, re.M)]
    assert sorted(steps) == sorted(["checks and imports", "demo files written", "checked and ingested",
                                    "gunicorn listening", "a worker drew the first page",
                                    "first page: / answers 200"]), r.stdout
    # gunicorn starts beside the demo load; nothing is served before the whole set is in.
    assert steps[0] == "checks and imports" and steps[-2:] == ["a worker drew the first page", "first page: / answers 200"]
    assert steps.index("demo files written") < steps.index("checked and ingested") < steps.index(
        "a worker drew the first page"), r.stdout
    # Only the first worker builds the app beside the ingest; the second begins once it has ended.
    ingested = float(re.search(r"^  checked and ingested +(\d+\.\d)", r.stdout, re.M).group(1))
    later = [float(t) for t in re.findall(r"^  \(beside\) a later worker starts building +(\d+\.\d)", r.stdout, re.M)]
    assert len(later) == 1 and later[0] >= ingested, r.stdout
