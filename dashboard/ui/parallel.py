"""Independent parts of a page built side by side: one waits on DuckDB while another builds figures.

A page's parts (cards, sections) each query the snapshot and then build their figures. A query
releases Python's lock while DuckDB works, so on two cores a second part can build while the
first waits. `side_by_side` hands the parts to a small pool and works through them itself as
well, in order, taking each part no pool thread has started yet: a busy pool (a worker under
load) never makes a page slower than building it alone, and the parts come back in order.

A part in the pool runs as the request does:
  * in a request context of its own over the request's environ, with the request's `g` (the
    viewer and what the page read once, such as the quarters): `security.current_viewer` fails
    closed without it. The copy of `g` goes one way: a part hands back what it made as its
    value, never through `g`;
  * on the request's own snapshot, through a cursor of the request's connection
    (`figuredata.loans`, `Reader.borrowing`): never a newer snapshot, so every figure of a response comes from one,
    and it reads even when an ingest has meanwhile removed the file from the folder.
A part that fails in the pool is built again by the request's own thread, which raises as the
page always did; and the request returns only when no pool thread works for it any more.
"""

from __future__ import annotations

import functools
import io
import queue
import threading
from collections.abc import Callable, Sequence
from typing import Any

from flask import current_app, g, has_request_context, request

from dashboard import figuredata
from dashboard.ui.data import data_dir

POOL_THREADS = 2
_work: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
_threads: list[threading.Thread] = []
_threads_lock = threading.Lock()


def _serve() -> None:
    while True:
        _work.get()()


def submit(job: Callable[[], None]) -> None:
    """Run `job` on a pool thread. A pool thread that died (dash.testing's threaded server stops
    by raising SystemExit in every thread started after it) is replaced first."""
    with _threads_lock:
        _threads[:] = [t for t in _threads if t.is_alive()]
        while len(_threads) < POOL_THREADS:
            thread = threading.Thread(target=_serve, name=f"pm-pagina-{len(_threads)}", daemon=True)
            thread.start()
            _threads.append(thread)
    _work.put(job)


class _Part:
    """One part, taken once: by a pool thread or by the request's thread."""

    def __init__(self, build: Callable[[], Any], loan: figuredata.Loan | None) -> None:
        self.build = build
        self.loan = loan  # the snapshot for a pool thread; closed by the request if it takes the part
        self.lock = threading.Lock()
        self.taken = False
        self.in_pool = False
        self.done = threading.Event()
        self.value: Any = None
        self.failed = False

    def take(self, in_pool: bool = False) -> bool:
        with self.lock:
            if self.taken:
                return False
            self.taken, self.in_pool = True, in_pool
            return True

    def take_here(self) -> bool:
        """Take the part on the request's thread, which needs no loan: it is closed."""
        if not self.take():
            return False
        if self.loan is not None:
            self.loan.close()
        return True


def side_by_side(parts: Sequence[Callable[[], Any]]) -> list[Any]:
    """The values of `parts` (functions without arguments), in order, built side by side."""
    if len(parts) < 2 or not has_request_context():
        return [build() for build in parts]
    loans = figuredata.loans(len(parts) - 1, data_dir())
    if loans is None:
        return [build() for build in parts]
    # Each part gets a request of its own over the request's environ (Flask's RequestContext.copy
    # would share the one Request object across threads, and its pop closes that request's files),
    # without the body, which the page has read already; g is carried over.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    environ = {**request.environ, "wsgi.input": io.BytesIO(), "CONTENT_LENGTH": "0"}
    environ.pop("werkzeug.request", None)
    shared = dict(g.__dict__)
    todo = [_Part(parts[0], None)] + [_Part(build, loan) for build, loan in zip(parts[1:], loans)]

    def in_pool(part: _Part) -> None:
        # Taken inside the try: an exception raised into the thread from outside (dash.testing's
        # server stopping) between taking the part and building it still says the part is done,
        # so the request never waits for it.
        try:
            if not part.take(in_pool=True):
                return
            assert part.loan is not None  # every part handed to the pool has one
            with app.request_context(dict(environ)), part.loan.reading():
                g.__dict__.update(shared)
                part.value = part.build()
        except BaseException:  # noqa: BLE001 - built again, and raised, on the request's thread
            part.failed = True
        finally:
            if part.in_pool:
                part.done.set()

    for part in todo[1:]:
        submit(functools.partial(in_pool, part))
    values = []
    try:
        for part in todo:
            if part.take_here():
                values.append(part.build())
                continue
            part.done.wait()
            values.append(part.build() if part.failed else part.value)
    finally:  # a part raised: no pool thread starts another, and none still reads when we leave
        for part in todo:
            if not part.take_here() and part.in_pool:
                part.done.wait()
    return values
