"""Drawn pages kept per snapshot: the page router's answer is built once and then served as bytes.

Dash pages draw a page through one callback (POST /_dash-update-component for
`_pages_content.children` and `_pages_store.data`): the page's layout function with the path and
the query string. At 1M case rows that answer costs tens to hundreds of ms of CPU even with the
figure data cached (dashboard/figuredata.py): components, plotly figures, JSON. Here the JSON the
router returned is kept, per worker, and the next request for the same view gets those bytes.

An answer is a function of exactly what the key holds, so a stored one is what drawing again
would give:
- the snapshot file the request reads (Reader pins one per request; a new snapshot, new keys);
- the role scope of the viewer: no login, programmateam, stuurgroep, or proeftuin:<code>. Pages
  differ by role (a proeftuin sees its own deliveries, the steering group presentation mode);
  nothing in a page's content names the user (the header with the name is the shell, not cached);
- the request body without `changedPropIds` (the router draws the same page whichever of path
  and query string changed), and the request's own query string;
- every MONITOR_* setting but the secret (the small-number threshold, the upload limit, the
  accessibility contact, ...) and today's date (the delivery deadlines on /aanleveren).

Security: the lookup sits in the view function, so it runs only after the login and role checks
and the callback shape check of dashboard/security.py (a refused request never reaches it); only
the page router is cached, never a download or anything audited; only a 200 JSON answer without
cookies is kept. Memory is bounded by bytes (MONITOR_PAGE_CACHE_MB per worker, least recently
used out first); when a newer snapshot is in force, the entries of the older ones are dropped.

An answer is kept gzip-compressed (level 6, once, when it is drawn): a page's JSON shrinks 5-15
times, so the same memory holds that many more views, and a browser (every browser accepts
gzip) gets the stored bytes as they are, with `Content-Encoding: gzip`, instead of having them
compressed again on every request. A client that does not accept gzip gets them unpacked. Both
answers say `Vary: Accept-Encoding`. Measured in docs/benchmarks.md: a worker's memory after the
load run, and the answers a second.
The cache is per worker (no shared state to lock or clean up, nothing about children on disk);
each worker fills its own.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import threading
import zlib
from collections import OrderedDict
from pathlib import Path

from flask import current_app, g, request

from . import figuredata, settings
from .auth import Viewer
from .security import CALLBACK_PATH, current_viewer
from .store import Store, StoreDamaged

PAGES_OUTPUT = ".._pages_content.children..._pages_store.data.."
CACHED_OUTPUTS = frozenset({PAGES_OUTPUT})  # pure callbacks only: no side effects, no audit
HEADER = "X-Proeftuinmonitor-Cache"  # 'hit' or 'miss' on a page answer (the load benchmark counts them)
EXTENSION = "pm_pagecache"
BODY_KEYS = ("output", "outputs", "inputs", "state")
GZIP_LEVEL = 6  # zlib's default: a 300 kB page in about 3 ms, to a tenth or less


def gzip(body: bytes) -> bytes:
    """`body` in the gzip format (RFC 1952), the same bytes for the same body."""
    packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # wbits 16 + 15: a gzip header, no time in it
    return packer.compress(body) + packer.flush()


def gunzip(data: bytes) -> bytes:
    return zlib.decompress(data, 31)


class PageCache:
    """Answers by key, least recently used out first beyond `max_bytes`, one snapshot at a time.
    It stores what it is given (install: the gzip-compressed answer) and counts its length."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.hits = self.misses = 0
        self._entries: OrderedDict[tuple, bytes] = OrderedDict()
        self._snapshot: tuple | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: tuple) -> bool:
        with self._lock:
            return key in self._entries

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            body = self._entries.get(key)
            if body is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return body

    def put(self, key: tuple, body: bytes, current: bool) -> bool:
        """Keep `body` under `key` (its first element the snapshot); `current`: that snapshot is
        the one in force. An answer drawn on an older snapshot is not kept, and the first one of
        a newer snapshot drops every entry of the others. True when kept."""
        snapshot = key[0]
        if len(body) > self.max_bytes:
            return False
        with self._lock:
            if snapshot != self._snapshot:
                if not current:
                    return False
                self._entries.clear()
                self.size = 0
                self._snapshot = snapshot
            old = self._entries.pop(key, None)
            self.size -= len(old) if old is not None else 0
            self._entries[key] = body
            self.size += len(body)
            while self.size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self.size -= len(dropped)
        return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0
            self._snapshot = None


def _snapshot(data_dir: Path) -> tuple | None:
    """The snapshot this request reads (pinned by figuredata.pin_snapshot_per_request), with its
    identity on disk; None when there is none."""
    snap = figuredata.reader(data_dir).wanted()
    if snap is None:
        return None
    try:
        st = snap.stat()
    except OSError:
        return None
    return str(snap), st.st_ino, st.st_mtime_ns


def role_scope(viewer: Viewer | None) -> str:
    """What a page may differ by between viewers: the role ('' without login). A proeftuin role
    holds its code, so two proeftuinen never share an entry."""
    return "" if viewer is None else viewer.role


def _settings_text() -> str:
    return "\0".join(f"{s.name}={os.environ.get(s.name, '').strip()}" for s in settings.SETTINGS if not s.secret)


def request_key(data_dir: Path) -> tuple | None:
    """The key of the page answer this request asks for; None when it is not one to cache."""
    if request.method != "POST":
        return None
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or body.get("output") not in CACHED_OUTPUTS:
        return None
    snapshot = _snapshot(data_dir)
    if snapshot is None:
        return None
    scope = role_scope(current_viewer())  # raises Forbidden without a login check: nothing served
    canonical = json.dumps([{k: body.get(k) for k in BODY_KEYS}, request.query_string.decode("latin-1"),
                            _settings_text(), dt.date.today().isoformat()],
                           sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return snapshot, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _keepable(response) -> bool:
    return (response.status_code == 200 and response.mimetype == "application/json"
            and not response.is_streamed and "Set-Cookie" not in response.headers
            and "Content-Encoding" not in response.headers)


def _in_force(store: Store, snapshot: str) -> bool:
    """Whether `snapshot` is the one in force now; a store damaged since the request began keeps
    nothing (the answer itself was drawn from its pinned snapshot and still goes out)."""
    try:
        return store.current_snapshot() == Path(snapshot)
    except StoreDamaged:
        return False


def install(app) -> PageCache | None:
    """Serve page answers from a cache (once, in create_app, after security.install); None when
    MONITOR_PAGE_CACHE_MB is 0."""
    megabytes = settings.value("MONITOR_PAGE_CACHE_MB")
    if not megabytes:
        return None
    server = app.server
    data_dir = Path(server.config["MONITOR_DATA_DIR"])
    store = Store(data_dir)
    cache = PageCache(megabytes * 1024 * 1024)
    server.extensions[EXTENSION] = cache
    view = server.view_functions[CALLBACK_PATH]

    @functools.wraps(view)
    def cached_view(*args, **kwargs):
        key = request_key(data_dir)
        if key is None:
            return view(*args, **kwargs)
        packed = cache.get(key)
        if packed is not None:
            return _answer(server, packed, "hit")
        response = view(*args, **kwargs)
        if not _keepable(response):
            return response
        packed = gzip(response.get_data())
        # Kept unless too large or drawn on a snapshot no longer in force; a miss either way.
        cache.put(key, packed, current=_in_force(store, key[0][0]))
        return _answer(server, packed, "miss", response)

    server.view_functions[CALLBACK_PATH] = cached_view
    return cache


def _answer(server, packed: bytes, state: str, drawn=None):
    """A stored answer: as stored for a client that accepts gzip, else unpacked (the response the
    view drew, when there is one)."""
    if request.accept_encodings.quality("gzip") > 0:
        response = server.response_class(packed, status=200, content_type="application/json")
        response.headers["Content-Encoding"] = "gzip"
    elif drawn is not None:
        response = drawn
    else:
        response = server.response_class(gunzip(packed), status=200, content_type="application/json")
    response.headers[HEADER] = state
    response.vary.add("Accept-Encoding")
    return response


def page_cache(app=None) -> PageCache | None:
    """The page cache of a Dash app or its Flask server (the current app's by default); None
    when switched off."""
    server = current_app if app is None else getattr(app, "server", app)
    return server.extensions.get(EXTENSION)


def page_body(path: str, search: str = "", changed: str = "pathname") -> dict:
    """The request dash-renderer sends to draw a page (dash.page_container's callback); `changed`:
    which of pathname and search changed."""
    return {
        "output": PAGES_OUTPUT,
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": [f"_pages_location.{changed}"],
        "state": [],
    }


def draw(app, path: str, search: str = "", viewer: Viewer | None = None) -> bool:
    """Draw the page at `path` with query string `search` ('?tranche=2' or '') into the cache, as
    the page router answers `viewer` (None: no login). For the warm-up: call it inside
    `Reader.reading(snapshot)`, after `app.finish_setup` (Dash adds the router on its first
    request). True when the answer was kept."""
    cache = page_cache(app)
    if cache is None:
        return False
    server = app.server
    with server.test_request_context(CALLBACK_PATH, method="POST", json=page_body(path, search)):
        g.viewer = viewer
        key = request_key(Path(server.config["MONITOR_DATA_DIR"]))
        server.view_functions[CALLBACK_PATH]()
        return key is not None and key in cache
