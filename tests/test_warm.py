"""The background warm-up of a serving process (dashboard/warm.py)."""

from __future__ import annotations

import time

from dashboard import figuredata, warm
from dashboard.app import create_app


def test_warm_once_draws_every_page_and_fills_the_cache(demo_store, monkeypatch, caplog):
    app = create_app(demo_store)
    figuredata.clear_cache()
    paths = warm.page_paths()
    assert "/" in paths and "/proeftuin/zeeland" in paths and "/proeftuin/<code>" not in paths
    assert len([p for p in paths if p.startswith("/proeftuin/")]) == 11
    warm.warm_once(app)
    assert not [r for r in caplog.records if "mislukt" in r.getMessage()]
    cached = {figure for figure, _ in figuredata.cached_figures()}
    assert {"kpi-programma", "instroom-per-tranche", "cumulatief-naar-leeftijd", "leidraad-check"} <= cached


def test_a_worker_draws_the_first_page_before_it_serves_and_the_rest_in_the_background(demo_store, monkeypatch):
    import threading

    app = create_app(demo_store)
    drawn: list[tuple[str, str]] = []  # (path, the thread that drew it)
    draw_page = warm.draw_page

    def recording_draw(app, path, viewer):
        drawn.append((path, threading.current_thread().name))
        return draw_page(app, path, viewer)

    monkeypatch.setattr(warm, "draw_page", recording_draw)
    figuredata.clear_cache()
    thread = warm.start(app, demo_store)
    # start returns once the first page is drawn, in the worker's own thread: the worker serves then.
    assert [path for path, by in drawn if by != thread.name] == ["/"]
    assert "kpi-programma" in {figure for figure, _ in figuredata.cached_figures()}
    every = set(warm.page_paths())
    deadline = time.monotonic() + 60
    while not every <= {path for path, by in drawn if by == thread.name} and time.monotonic() < deadline:
        time.sleep(0.05)
    assert every <= {path for path, by in drawn if by == thread.name}
    assert "leidraad-check" in {figure for figure, _ in figuredata.cached_figures()}


def test_warm_up_can_be_switched_off(demo_store, monkeypatch):
    monkeypatch.setenv("MONITOR_WARM", "0")
    assert warm.start(create_app(demo_store), demo_store) is None


def test_the_request_after_an_ingest_reads_the_new_snapshot_and_the_warm_up_fills_its_cache(tmp_path, monkeypatch):
    """An accepted delivery shows on the next request, without waiting for the warm-up; the
    warm-up then draws the new snapshot so that later visitors find its figures cached."""
    import datetime as dt

    from dashboard.figuredata import Filters, figure_data
    from dashboard.ingest import ingest_files
    from dashboard.store import Store
    from tests.exportfiles import casus, write_csv

    monkeypatch.setenv("MONITOR_SMALL_CELL_THRESHOLD", "0")
    store = Store(tmp_path / "store")
    rows = [casus(casus_id=f"U-{i}", proeftuin="utrecht", datum_aanmelding=dt.date(2024, 4, 2)) for i in range(3)]
    ingest_files([write_csv(tmp_path / "utrecht_casussen_2024-Q2.csv", rows)], store, ontvangen=dt.date(2024, 7, 5))
    app = create_app(store.root)
    reader = figuredata.reader(store.root)
    first = store.current_snapshot()
    warm.warm_snapshot(app, reader, first)
    q2 = Filters(proeftuinen=("utrecht",), van="2024-Q2", tot="2024-Q2")

    def instroom():
        return figure_data("instroom-per-kwartaal", q2, data_dir=store.root).df["aangemeld"].tolist()

    assert instroom() == [3]
    rows += [casus(casus_id=f"U-{i}", proeftuin="utrecht", datum_aanmelding=dt.date(2024, 4, 3)) for i in range(3, 5)]
    result = ingest_files([write_csv(tmp_path / "utrecht_casussen_2024-Q3.csv", rows)], store,
                          ontvangen=dt.date(2024, 10, 5))
    assert result.all_accepted and store.current_snapshot() != first
    # Three earlier plus two new cases registered in 2024-Q2, before any warm-up of the new snapshot.
    assert instroom() == [5]
    figuredata.clear_cache()
    warm.warm_snapshot(app, reader, store.current_snapshot())
    assert "instroom-per-kwartaal" in {figure for figure, _ in figuredata.cached_figures()}
    assert instroom() == [5]
