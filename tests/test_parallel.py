"""dashboard.ui.parallel: a page's parts built side by side, each as the request would build it."""

from __future__ import annotations

import datetime as dt
import queue
import threading

import pytest
from flask import g, jsonify, request

from dashboard.app import create_app
from dashboard.auth import Viewer
from dashboard.figuredata import Filters, figure_data, reader
from dashboard.ingest import ingest_files
from dashboard.security import current_viewer
from dashboard.ui import parallel
from dashboard.ui.data import quarters
from tests.exportfiles import write_csv
from tests.test_one_snapshot import store, utrecht_cases  # noqa: F401 - the same store: 6 cases of utrecht


@pytest.fixture(autouse=True)
def fresh_pool(monkeypatch):
    """A pool of its own for each test. dash.testing's server, when it stops, raises SystemExit
    in every thread started while it ran, among them the pool's threads: a thread waiting for
    work raises it only once it is handed a job, and that job is lost (the request then builds
    the part itself, but a test of the pool would see no pool)."""
    monkeypatch.setattr(parallel, "_work", queue.SimpleQueue())
    monkeypatch.setattr(parallel, "_threads", [])


def test_a_part_in_the_pool_reads_the_requests_snapshot_viewer_and_g(store, tmp_path):
    """A new snapshot (7 cases) is published after the request pinned the first (6 cases). The
    part that the request's thread builds waits until a pool thread has built the other, so one
    of them certainly ran in the pool: both read 6 cases, the first snapshot, the request's viewer
    and what the request had put in g."""
    app = create_app(store.root)
    first = store.current_snapshot()
    (tmp_path / "ronde2").mkdir()
    second = write_csv(tmp_path / "ronde2" / "utrecht_casussen_2024-Q2.csv", utrecht_cases(7))
    viewer = Viewer(user="test", role="programmateam")
    in_pool = threading.Event()

    def part(wait: bool):
        if wait:
            assert in_pool.wait(10), "no pool thread took the second part"
        else:
            in_pool.set()
        cases = int(figure_data("instroom-per-kwartaal", Filters(), data_dir=store.root).df["aangemeld"].sum())
        return {"thread": threading.current_thread().name.startswith("pm-pagina"), "cases": cases,
                "snapshot": reader(store.root).snapshot().name, "viewer": current_viewer() == viewer,
                "quarters": quarters()}

    @app.server.route("/_test/delen")
    def parts():
        g.viewer = viewer
        g.pm_kwartalen = ["2024-Q2", "uit g"]
        assert ingest_files([second], store, ontvangen=dt.date(2024, 7, 6)).all_accepted
        return jsonify(parallel.side_by_side([lambda: part(True), lambda: part(False)]))

    response = app.server.test_client().get("/_test/delen")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    answer = response.get_json()
    shared = {"cases": 6, "snapshot": first.name, "viewer": True, "quarters": ["2024-Q2", "uit g"]}
    assert answer == [{"thread": False, **shared}, {"thread": True, **shared}]
    assert store.current_snapshot() != first


def test_a_busy_pool_leaves_every_part_to_the_request_in_order(store):
    app = create_app(store.root)
    release = threading.Event()
    blocked = threading.Semaphore(0)

    def blocker():
        blocked.release()
        release.wait(10)

    for _ in range(parallel.POOL_THREADS):
        parallel.submit(blocker)
    for _ in range(parallel.POOL_THREADS):
        assert blocked.acquire(timeout=10), "the pool did not start"
    try:
        with app.server.test_request_context("/"):
            built = parallel.side_by_side([lambda i=i: (i, threading.current_thread().name) for i in range(5)])
    finally:
        release.set()
    assert [i for i, _ in built] == [0, 1, 2, 3, 4]
    assert {name for _, name in built} == {threading.current_thread().name}


def test_a_part_that_fails_in_the_pool_is_built_again_by_the_request_which_raises_as_before(store):
    app = create_app(store.root)
    in_pool = threading.Event()

    def first():
        assert in_pool.wait(10)
        return "eerste"

    def fails_in_pool():
        if threading.current_thread().name.startswith("pm-pagina"):
            in_pool.set()
            raise RuntimeError("alleen in de pool")
        return "opnieuw gebouwd"

    with app.server.test_request_context("/"):
        assert parallel.side_by_side([first, fails_in_pool]) == ["eerste", "opnieuw gebouwd"]

    def always_fails():
        in_pool.set()
        raise ValueError("kapot")

    in_pool.clear()
    with app.server.test_request_context("/"), pytest.raises(ValueError, match="kapot"):
        parallel.side_by_side([first, always_fails])


def test_a_part_gets_a_request_of_its_own_and_the_requests_body_stays_readable(store):
    """A part sees the request's path and query, through its own Request object: the request's
    own one (its body, its environ) is not touched from another thread."""
    app = create_app(store.root)
    in_pool = threading.Event()

    def first():
        assert in_pool.wait(10)
        return "eerste"

    def second():
        in_pool.set()
        return request.path, request.args.get("van"), request._get_current_object()

    with app.server.test_request_context("/proeftuin/utrecht?van=2024-Q2", method="POST",
                                         json={"inputs": [1, 2]}):
        own = request._get_current_object()
        _, (path, van, theirs) = parallel.side_by_side([first, second])
        assert (path, van) == ("/proeftuin/utrecht", "2024-Q2") and theirs is not own
        assert request.get_json() == {"inputs": [1, 2]}
        assert request.environ.get("werkzeug.request") is own


def test_a_pool_thread_that_died_is_replaced():
    """dash.testing's threaded server stops by raising SystemExit in every thread it did not know."""
    ran = threading.Event()
    parallel.submit(lambda: None)
    for thread in parallel._threads:
        parallel.submit(lambda: (_ for _ in ()).throw(SystemExit))  # ends the thread that runs it
    for thread in list(parallel._threads):
        thread.join(10)
    assert not any(t.is_alive() for t in parallel._threads)
    parallel.submit(ran.set)
    assert ran.wait(10) and len([t for t in parallel._threads if t.is_alive()]) == parallel.POOL_THREADS


def test_outside_a_request_the_parts_are_built_one_after_the_other():
    names = parallel.side_by_side([lambda: threading.current_thread().name] * 3)
    assert names == [threading.current_thread().name] * 3
