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
while time.time() < deadline and len(seen) < 2:
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
    # The reader stops once it has seen the new snapshot (at most 90 s: an ingest of 100k rows
    # takes 7-13 s here with five test runs sharing two cores).
    reader = subprocess.Popen([sys.executable, "-c", READER, str(store.root), "90"], cwd=PROJECT,
                              stdout=subprocess.PIPE, text=True)
    time.sleep(1.5)
    assert ingest_files([big], store).all_accepted
    out, _ = reader.communicate(timeout=120)
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


def test_cached_figure_data_follows_a_new_snapshot_and_views_are_stored_as_tables(tmp_path, monkeypatch):
    """figure_data caches per snapshot file: the next ingest is seen at once, in the same process.
    The published snapshot holds the current-delivery views as tables with the views' rows."""
    import datetime as dt

    from dashboard.figuredata import Filters, figure_data
    from dashboard.store import MATERIALIZED_VIEWS

    monkeypatch.setenv("MONITOR_SMALL_CELL_THRESHOLD", "0")
    store = Store(tmp_path / "store")
    first = [casus(casus_id=f"U-{i}", proeftuin="utrecht", datum_aanmelding=dt.date(2024, 4, 2)) for i in range(3)]
    ingest_files([write_csv(tmp_path / "utrecht_casussen_2024-Q2.csv", first)], store, ontvangen=dt.date(2024, 7, 5))
    q2 = Filters(proeftuinen=("utrecht",), van="2024-Q2", tot="2024-Q2")
    assert figure_data("instroom-per-kwartaal", q2, data_dir=store.root).df["aangemeld"].tolist() == [3]
    assert figure_data("instroom-per-kwartaal", q2, data_dir=store.root).df["aangemeld"].tolist() == [3]  # cached
    # The Q3 export holds the three cases and two more registered in Q2: five in Q2 now.
    second = first + [casus(casus_id=f"U-{i}", proeftuin="utrecht", datum_aanmelding=dt.date(2024, 4, 3))
                      for i in range(3, 5)]
    result = ingest_files([write_csv(tmp_path / "utrecht_casussen_2024-Q3.csv", second)], store,
                          ontvangen=dt.date(2024, 10, 5))
    assert result.all_accepted
    assert figure_data("instroom-per-kwartaal", q2, data_dir=store.root).df["aangemeld"].tolist() == [5]
    con = duckdb.connect(str(store.current_snapshot()), read_only=True)
    try:
        kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall())
        assert {kinds[v] for v in MATERIALIZED_VIEWS} == {"BASE TABLE"}
        assert kinds["kpi_per_casus"] == "VIEW"
        assert con.execute("SELECT count(*) FROM casussen_actueel").fetchall()[0][0] == 5  # Q3's rows only
    finally:
        con.close()
