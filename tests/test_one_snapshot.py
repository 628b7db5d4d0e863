"""One snapshot per request: every figure of one response comes from the snapshot in force when
the request began, even when ingests publish new ones (and clean old ones away) meanwhile.

In-process through Flask's test client with real ingests; the same under load with gunicorn is
in tests/test_availability.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask import jsonify

from dashboard.app import create_app
from dashboard.figuredata import Filters, figure_data, reader, snapshot_info
from dashboard.ingest import ingest_files
from dashboard.store import Store
from tests.exportfiles import casus, write_csv


def utrecht_cases(n: int) -> list[dict]:
    return [casus(casus_id=f"U-{i:03d}", proeftuin="utrecht", datum_aanmelding=dt.date(2024, 4, 2 + i % 20))
            for i in range(n)]


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("MONITOR_SMALL_CELL_THRESHOLD", "0")
    for name in ("MONITOR_AUTH", "MONITOR_ALLOW_OPEN_BIND", "MONITOR_WARM"):
        monkeypatch.delenv(name, raising=False)
    store = Store(tmp_path / "store")
    ingest_files([write_csv(tmp_path / "utrecht_casussen_2024-Q2.csv", utrecht_cases(6))], store,
                 ontvangen=dt.date(2024, 7, 5))
    return store


def test_an_ingest_between_two_figures_of_one_request_changes_neither(store, tmp_path):
    """Figure one is read, three ingests publish 7, 8 and 9 cases (the request's snapshot file is
    removed from the folder by the third), figure two is read: both say 6, the first snapshot."""
    app = create_app(store.root)
    first = store.current_snapshot()

    @app.server.route("/_test/twee-figuren")
    def two_figures():
        per_proeftuin = figure_data("instroom-per-kwartaal", Filters(), data_dir=store.root).df["aangemeld"].sum()
        for n, day in ((7, 6), (8, 7), (9, 8)):
            (tmp_path / f"ronde{n}").mkdir()
            new = write_csv(tmp_path / f"ronde{n}" / "utrecht_casussen_2024-Q2.csv", utrecht_cases(n))
            assert ingest_files([new], store, ontvangen=dt.date(2024, 7, day)).all_accepted
        per_tranche = figure_data("instroom-per-tranche", Filters(), data_dir=store.root).df["aangemeld"].sum()
        return jsonify(per_proeftuin=int(per_proeftuin), per_tranche=int(per_tranche),
                       snapshot=reader(store.root).snapshot().name, gone=not first.exists())

    client = app.server.test_client()
    answer = client.get("/_test/twee-figuren").get_json()
    # 6 cases registered in 2024-Q2 by utrecht, tranche 1: 6 per proeftuin and 6 per tranche.
    assert answer == {"per_proeftuin": 6, "per_tranche": 6, "snapshot": first.name, "gone": True}
    # The next request reads the newest snapshot: 9 cases.
    assert client.get("/healthz").status_code == 200
    with app.server.test_request_context("/"):
        assert figure_data("instroom-per-tranche", Filters(), data_dir=store.root).df["aangemeld"].sum() == 9
    assert snapshot_info(store.root).peildatum is not None


def test_the_pin_is_released_when_the_request_ends(store, tmp_path):
    """A request that failed still unpins: the thread's next request sees the new snapshot."""
    app = create_app(store.root)

    @app.server.route("/_test/faalt")
    def fails():
        raise RuntimeError("opzettelijk")

    client = app.server.test_client()
    assert client.get("/_test/faalt").status_code == 500
    (tmp_path / "nieuw").mkdir()
    new = write_csv(tmp_path / "nieuw" / "utrecht_casussen_2024-Q2.csv", utrecht_cases(7))
    assert ingest_files([new], store, ontvangen=dt.date(2024, 7, 9)).all_accepted
    assert figure_data("instroom-per-tranche", Filters(), data_dir=store.root).df["aangemeld"].sum() == 7
