"""The store under stress: a killed ingest and a reader during an ingest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from dashboard.ingest import ingest_files
from dashboard.store import Store
from tests.exportfiles import casus, write_big_csv, write_csv

PROJECT = Path(__file__).resolve().parent.parent


def count_cases(store: Store) -> int:
    con = duckdb.connect(str(store.current_snapshot()), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM casussen_actueel").fetchall()[0][0]
    finally:
        con.close()


def test_kill_during_ingest_leaves_the_previous_snapshot_whole(tmp_path):
    store = Store(tmp_path / "store")
    first = write_csv(tmp_path / "flevoland_casussen_2024-Q2.csv", [casus()])
    ingest_files([first], store)
    published = store.current_snapshot()
    big = write_big_csv(tmp_path / "utrecht_casussen_2026-Q3.csv", 300_000)
    # Kill at several moments: while reading, validating, copying, writing the snapshot.
    for delay in (0.05, 0.3, 0.8, 1.5, 2.5, 4.0):
        proc = subprocess.Popen([sys.executable, "-m", "dashboard", "--data-dir", str(store.root), "ingest", str(big)],
                                cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if store.current_snapshot() != published:
            break  # the ingest finished before the kill: that is allowed, the new one is whole
        assert count_cases(store) == 1
    # Whatever happened, the published snapshot opens and a next ingest works and cleans up.
    result = ingest_files([big], store)
    assert result.all_accepted or result.files[0].repeated
    assert count_cases(store) == 300_001
    assert not list(store.snapshots_dir.glob("*.bouw*"))


READER = r"""
import sys, time
from dashboard.figuredata import Filters, figure_data, connection
data_dir = sys.argv[1]
seen = set()
deadline = time.time() + float(sys.argv[2])
errors = 0
while time.time() < deadline:
    try:
        n = connection(data_dir).execute("SELECT count(*) FROM casussen_actueel").fetchall()[0][0]
        seen.add(n)
    except Exception as e:
        errors += 1
        print("ERROR", repr(e), flush=True)
    time.sleep(0.02)
print("SEEN", sorted(seen), "ERRORS", errors, flush=True)
"""


def test_a_running_reader_sees_the_new_snapshot_without_restart(tmp_path):
    store = Store(tmp_path / "store")
    ingest_files([write_csv(tmp_path / "flevoland_casussen_2024-Q2.csv", [casus()])], store)
    big = write_big_csv(tmp_path / "utrecht_casussen_2026-Q3.csv", 100_000)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(store.root), "8"], cwd=PROJECT,
                              stdout=subprocess.PIPE, text=True)
    time.sleep(1.5)
    assert ingest_files([big], store).all_accepted
    out, _ = reader.communicate(timeout=60)
    assert "ERRORS 0" in out, out
    assert "SEEN [1, 100001]" in out, out


def test_a_new_schema_or_reference_version_is_rebuilt_keeping_the_data(tmp_path, monkeypatch):
    from dashboard import store as store_module

    store = Store(tmp_path / "store")
    ingest_files([write_csv(tmp_path / "flevoland_casussen_2024-Q2.csv", [casus()])], store)
    assert not store.rebuild_if_needed()
    before = store.current_snapshot()
    monkeypatch.setattr(store_module, "build_fingerprint", lambda: "een andere versie")
    assert store.rebuild_if_needed()
    assert store.current_snapshot() != before
    assert store.snapshot_fingerprint() == "een andere versie"
    assert count_cases(store) == 1
