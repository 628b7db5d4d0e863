"""Independent parts of a page built side by side: one waits on DuckDB while another builds figures.

A page's parts (cards, sections) each query the snapshot and then build their figures. A query
releases Python's lock while DuckDB works, so on two cores a second part can build while the
first waits. `side_by_side` hands the parts to a small pool and works through them itself as
well, in order, taking each part no pool thread has started yet: a busy pool (a worker under
load) never makes a page slower than building it alone, and the parts come back in order.

A part in the pool runs as the request does:
  * in a copy of the request's context, with the request's `g` (the viewer and what the page
    read once, such as the quarters): `security.current_viewer` fails closed without it;
  * on the snapshot the request reads (`Reader.wanted`: pinned for the request, or the one the
    warm-up draws), never a newer one: every figure of a response comes from one snapshot.
A part that fails in the pool is built again by the request's own thread, which raises as the
page always did: the pool adds no way for a page to fail.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import g, has_request_context
from flask.globals import request_ctx

from dashboard import figuredata
from dashboard.ui.data import data_dir

POOL_THREADS = 2
_pool = ThreadPoolExecutor(max_workers=POOL_THREADS, thread_name_prefix="pm-pagina")


class _Part:
    """One part, taken once: by a pool thread or by the request's thread."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self.build = build
        self.lock = threading.Lock()
        self.taken = False
        self.done = threading.Event()
        self.value: Any = None
        self.failed = False

    def take(self) -> bool:
        with self.lock:
            if self.taken:
                return False
            self.taken = True
            return True


def side_by_side(parts: Sequence[Callable[[], Any]]) -> list[Any]:
    """The values of `parts` (functions without arguments), in order, built side by side."""
    if len(parts) < 2 or not has_request_context():
        return [build() for build in parts]
    store_reader = figuredata.reader(data_dir())
    snap = store_reader.wanted()
    if snap is None:
        return [build() for build in parts]
    context = request_ctx.copy()  # each part pushes its own copy: a context is pushed once at a time
    shared = dict(g.__dict__)
    todo = [_Part(build) for build in parts]

    def in_pool(part: _Part) -> None:
        if not part.take():
            return
        try:
            with context.copy():
                g.__dict__.update(shared)
                with store_reader.reading(snap):
                    part.value = part.build()
        except BaseException:  # noqa: BLE001 - built again, and raised, on the request's thread
            part.failed = True
        finally:
            part.done.set()

    for part in todo[1:]:
        _pool.submit(in_pool, part)
    values = []
    for part in todo:
        if part.take():
            values.append(part.build())
            continue
        part.done.wait()
        values.append(part.build() if part.failed else part.value)
    return values
