"""Warm the figure-data cache of a serving process for each new snapshot.

figure_data caches the protected rows of a figure per snapshot file (dashboard/figuredata.py).
The first visitor of a page after a new snapshot would pay for the queries and the protection;
the warm-up pays instead: it draws every page's default view once through the page router, into
the page cache (dashboard/pagecache.py) as well, so that the first visitor gets the stored answer.
At start a worker draws only the first page (FIRST_PAGES, about 0.1 s on the demo set) before it
serves; a background thread then draws every other page (2-3 s per worker on the demo set, which
used to delay the first page of a first start by as much) and watches for new snapshots, drawing
each one. Requests do not wait for it: a page the warm-up has not drawn yet is computed for its
request, from the same snapshot; the request after an ingest reads the new snapshot at once
(issue 10: an accepted delivery shows on the next request, in every worker and every instance).
Started by dashboard.wsgi (gunicorn workers); not in tests or the CLI. MONITOR_WARM=0 switches it off.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import dash
from flask import g

from . import figuredata, pagecache, settings
from .app import finish_setup
from .auth import PROGRAMMATEAM, Viewer
from .security import SETTINGS_KEY
from .store import Store

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 5.0
FIRST_PAGES = ("/",)  # what a new visitor opens first: drawn before the worker serves


def page_paths() -> list[str]:
    """Every page's default path; the proeftuin page once per proeftuin."""
    from . import reference

    paths = []
    for page in dash.page_registry.values():
        template = page.get("path_template")
        if template and "<code>" in template:
            paths += [template.replace("<code>", p.code) for p in reference.proeftuinen()]
        paths.append(page["path"])
    return [p for p in paths if p != "/404"]


def draw(app, path: str, query: dict | None = None):
    """The page at `path` (with its query string as a dict) built as Dash's page router would,
    inside a request with no one logged in; returns the layout."""
    page = next((p for p in dash.page_registry.values() if p["path"] == path), None)
    args = {}
    if page is None:
        page = next(p for p in dash.page_registry.values()
                    if (p.get("path_template") or "").startswith("/proeftuin/"))
        args = {"code": path.rsplit("/", 1)[1]}
    query = query or {}
    with app.server.test_request_context(path, query_string=query):
        g.viewer = None  # no one's request: the cache holds figure data before any role's scope
        return page["layout"](**args, **query)


def _viewer(app) -> Viewer | None:
    """Whom the warm-up draws the page cache's entries for: nobody without login; with login the
    programme team, whose default views are the ones asked for most (an entry holds a role's
    page, never a user's: dashboard/pagecache.py)."""
    auth = app.server.config.get(SETTINGS_KEY)
    return None if auth is None or auth.mode is None else Viewer(user="voorverwarmen", role=PROGRAMMATEAM)


def draw_page(app, path: str, viewer: Viewer | None) -> None:
    """Draw the default view at `path` for `viewer`'s role into the page cache, or without it
    (switched off, or the answer too large to keep) into the figure-data cache only."""
    if not pagecache.draw(app, path, viewer=viewer):
        draw(app, path)


def warm_once(app, paths: list[str] | None = None) -> float:
    """Draw every page once, or the pages at `paths`, through the page router into the page cache
    (and with it the figure data); returns the seconds it took."""
    start = time.perf_counter()
    finish_setup(app)
    viewer = _viewer(app)
    for path in page_paths() if paths is None else paths:
        try:
            draw_page(app, path, viewer)
        except Exception:  # noqa: BLE001 - warming must never take a worker down
            log.exception("voorverwarmen van %s mislukt", path)
    return time.perf_counter() - start


def warm_snapshot(app, reader, snap: Path, paths: list[str] | None = None) -> None:
    """Draw every page (or those at `paths`) on `snap` in this thread (its figures are then
    cached for every request)."""
    with reader.reading(snap):
        seconds = warm_once(app, paths)
    what = "figuren" if paths is None else ", ".join(paths)
    log.info("%s voorverwarmd voor %s in %.1f s", what, snap.name, seconds)


def start(app, data_dir: Path) -> threading.Thread | None:
    """Warm the first page of the current snapshot now; then, in a background thread, every
    other page, and each new snapshot."""
    if not settings.value("MONITOR_WARM"):
        return None
    store = Store(data_dir)
    reader = figuredata.reader(data_dir)
    first = store.current_snapshot()
    if first is not None:
        warm_snapshot(app, reader, first, list(FIRST_PAGES))

    def loop():
        seen = None
        while True:
            try:
                snap = store.current_snapshot()
                if snap is not None and snap != seen:
                    seen = snap
                    warm_snapshot(app, reader, snap)
            except Exception:  # noqa: BLE001 - never stop following snapshots (a damaged store: /healthz says so)
                log.exception("voorverwarmen mislukt")
            time.sleep(INTERVAL_SECONDS)

    thread = threading.Thread(target=loop, name="voorverwarmen", daemon=True)
    thread.start()
    return thread
