"""Warm the figure-data cache of a serving process for each new snapshot.

figure_data caches the protected rows of a figure per snapshot file (dashboard/figuredata.py).
The first visitor of a page after a new snapshot would pay for the queries and the protection;
the warm-up pays instead: it draws every page's default view once, as the page router does.
At start that happens before the worker serves (a few seconds); after that a background thread
watches for new snapshots and draws each one. Requests do not wait for it: the request after an
ingest reads the new snapshot at once (issue 10: an accepted delivery shows on the next request,
in every worker and every instance), and pays for what the warm-up has not drawn yet. Started by
dashboard.wsgi (gunicorn workers); not in tests or the CLI. MONITOR_WARM=0 switches it off.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import dash
from flask import g

from . import figuredata, settings
from .store import Store

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 5.0


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


def warm_once(app) -> float:
    """Draw every page once (and the first presentation slides); returns the seconds it took."""
    start = time.perf_counter()
    for path in page_paths():
        try:
            draw(app, path)
        except Exception:  # noqa: BLE001 - warming must never take a worker down
            log.exception("voorverwarmen van %s mislukt", path)
    return time.perf_counter() - start


def warm_snapshot(app, reader, snap: Path) -> None:
    """Draw every page on `snap` in this thread (its figures are then cached for every request)."""
    with reader.reading(snap):
        seconds = warm_once(app)
    log.info("figuren voorverwarmd voor %s in %.1f s", snap.name, seconds)


def start(app, data_dir: Path) -> threading.Thread | None:
    """Warm the current snapshot now, then follow new ones in a background thread."""
    if not settings.value("MONITOR_WARM"):
        return None
    store = Store(data_dir)
    reader = figuredata.reader(data_dir)
    first = store.current_snapshot()
    if first is not None:
        warm_snapshot(app, reader, first)

    def loop():
        seen = first
        while True:
            time.sleep(INTERVAL_SECONDS)
            try:
                snap = store.current_snapshot()
                if snap is not None and snap != seen:
                    seen = snap
                    warm_snapshot(app, reader, snap)
            except Exception:  # noqa: BLE001 - never stop following snapshots (a damaged store: /healthz says so)
                log.exception("voorverwarmen mislukt")

    thread = threading.Thread(target=loop, name="voorverwarmen", daemon=True)
    thread.start()
    return thread
