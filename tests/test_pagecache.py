"""The cache of drawn pages (dashboard/pagecache.py), over HTTP on a small real store.

A hit gives the very bytes drawing would give; a new snapshot, another role scope, another
setting or a refused request never gets a stored answer; downloads are never cached and are
audited per request. Logins through the proxy headers (MONITOR_AUTH=header), so each request
names its user and role without a password check.

The store holds flevoland (tranche 2, 12 cases) and foodvalley (tranche 1, 9 cases).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from dashboard import figuredata, pagecache, registry
from dashboard.app import create_app
from dashboard.auth import viewer
from dashboard.ingest import ingest_files
from dashboard.pagecache import HEADER, PageCache, page_body
from dashboard.store import Store
from tests.exportfiles import casus, write_csv
from tests.servers import Server

SECRET = "s" * 40
TRUSTED = "10.0.0.5"
ANNA = ("anna", "programmateam")
FLEUR = ("fleur", "proeftuin:flevoland")
FRANK = ("frank", "proeftuin:foodvalley")
SAM = ("sam", "stuurgroep")


def _cases(code: str, prefix: str, n: int) -> list[dict]:
    return [casus(casus_id=f"{prefix}-{i:04d}", proeftuin=code, werkgebied="", datum_start_hulp=None,
                  datum_aanmelding=dt.date(2024, 1 + i % 6, 1 + i)) for i in range(n)]


def _fill(folder: Path) -> Path:
    store = Store(folder / "store")
    files = [write_csv(folder / "flevoland_casussen_2024-Q2.csv", _cases("flevoland", "FL", 12)),
             write_csv(folder / "foodvalley_casussen_2024-Q2.csv", _cases("foodvalley", "FV", 9))]
    assert ingest_files(files, store, ontvangen=dt.date(2024, 7, 10)).all_accepted
    return store.root


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    return _fill(tmp_path_factory.mktemp("pagecache"))


def make_app(store_dir: Path, **env: str):
    """An app with proxy-header login and these extra settings; one first request so Dash
    registers the page router now."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MONITOR_AUTH", "header")
        mp.setenv("MONITOR_SECRET_KEY", SECRET)
        mp.setenv("MONITOR_TRUSTED_PROXIES", TRUSTED)
        for name, value in env.items():
            mp.setenv(name, value)
        app = create_app(store_dir)
    app.server.test_client().get("/healthz")
    return app


@pytest.fixture(scope="module")
def app(store_dir):
    return make_app(store_dir)


@pytest.fixture(scope="module")
def uncached(store_dir):
    """The same app without the cache: what drawing gives."""
    return make_app(store_dir, MONITOR_PAGE_CACHE_MB="0")


def client(app):
    c = app.server.test_client()
    c.environ_base["REMOTE_ADDR"] = TRUSTED
    return c


def ask(app, who: tuple[str, str], path: str, search: str = "", changed: str = "pathname"):
    user, role = who
    return client(app).post("/_dash-update-component", json=page_body(path, search, changed),
                            headers={"X-Remote-User": user, "X-Remote-Role": role})


# --- hits ------------------------------------------------------------------------------------------


def test_a_view_drawn_once_is_served_again_as_the_same_bytes(app, uncached):
    first = ask(app, ANNA, "/tranches", "?tranche=2")
    assert first.status_code == 200 and first.headers[HEADER] == "miss"
    # A filter change sends the same body with another changedPropIds: the same page.
    second = ask(app, ANNA, "/tranches", "?tranche=2", changed="search")
    assert second.status_code == 200 and second.headers[HEADER] == "hit"
    assert second.get_data() == first.get_data()
    drawn = ask(uncached, ANNA, "/tranches", "?tranche=2")
    assert HEADER not in drawn.headers and drawn.get_data() == first.get_data()
    # Security headers are put on a stored answer as on any other.
    assert second.headers["Cache-Control"] == "no-store" and "default-src 'self'" in \
        second.headers["Content-Security-Policy"]


BROWSER = "gzip, deflate, br, zstd"  # what Chromium sends


def test_a_browser_gets_the_stored_gzip_bytes_and_others_the_unpacked_page(app, uncached):
    """Stored gzip-compressed: a browser gets those bytes as they are, on the miss that drew them
    and on every hit; a client that does not accept gzip gets the page unpacked."""
    drawn = ask(uncached, ANNA, "/iv", "?tranche=2").get_data()
    seen = []
    cases = [(BROWSER, True), (BROWSER, True), ("gzip", True), ("br, gzip;q=0.5", True), ("*", True),
             ("identity", False), ("gzip;q=0, zstd", False), (None, False)]
    for encodings, gzipped in cases:
        user, role = ANNA
        headers = {"X-Remote-User": user, "X-Remote-Role": role}
        if encodings is not None:
            headers["Accept-Encoding"] = encodings
        r = client(app).post("/_dash-update-component", json=page_body("/iv", "?tranche=2"), headers=headers)
        seen.append(r.headers[HEADER])
        assert r.status_code == 200 and "Accept-Encoding" in r.headers["Vary"], encodings
        if gzipped:
            assert r.headers["Content-Encoding"] == "gzip", encodings
            assert pagecache.gunzip(r.get_data()) == drawn and len(r.get_data()) < len(drawn) / 4
        else:
            assert "Content-Encoding" not in r.headers or r.headers["Content-Encoding"] != "gzip", encodings
            if "Content-Encoding" not in r.headers:
                assert r.get_data() == drawn, encodings
    assert seen == ["miss"] + ["hit"] * 7


def test_the_cache_counts_the_compressed_bytes(store_dir):
    app = make_app(store_dir)
    cache = pagecache.page_cache(app)
    unpacked = sum(len(ask(app, ANNA, path).get_data()) for path in ("/", "/tranches", "/teams", "/iv"))
    assert len(cache) == 4 and 0 < cache.size < unpacked / 4


def test_another_view_or_setting_is_drawn_anew(app, monkeypatch):
    assert ask(app, ANNA, "/tranches", "?tranche=1").headers[HEADER] == "miss"
    assert ask(app, ANNA, "/tranches", "?tranche=1").headers[HEADER] == "hit"
    monkeypatch.setenv("MONITOR_SMALL_CELL_THRESHOLD", "3")
    assert ask(app, ANNA, "/tranches", "?tranche=1").headers[HEADER] == "miss"


def test_the_warm_up_can_draw_into_the_cache(app):
    reader = figuredata.reader(app.server.config["MONITOR_DATA_DIR"])
    with reader.reading(Store(app.server.config["MONITOR_DATA_DIR"]).current_snapshot()):
        assert pagecache.draw(app, "/teams", viewer=viewer(*ANNA))
    assert ask(app, ANNA, "/teams").headers[HEADER] == "hit"
    assert ask(app, FLEUR, "/teams").headers[HEADER] == "miss"  # drawn for the programme team only


# --- scopes ----------------------------------------------------------------------------------------


def test_role_scopes_never_share_an_entry(app, uncached):
    """Each role scope gets its own drawing, also after another scope drew the same view; a
    proeftuin never gets another proeftuin's page."""
    views = [("/", ""), ("/proeftuin/flevoland", ""), ("/aanleveringen", "")]
    for path, search in views:
        answers = {}
        for who in (ANNA, FLEUR, FRANK, SAM):
            r = ask(app, who, path, search)
            assert r.status_code == 200 and r.headers[HEADER] == "miss", (path, who)
            again = ask(app, who, path, search)
            assert again.headers[HEADER] == "hit" and again.get_data() == r.get_data()
            assert r.get_data() == ask(uncached, who, path, search).get_data(), (path, who)
            answers[who] = r.get_data()
        assert len(set(answers.values())) >= 2, path  # not vacuous: the scopes see different pages
    # Flevoland's page as stored for foodvalley's user is a refusal, not flevoland's page.
    flevoland_for_frank = ask(app, FRANK, "/proeftuin/flevoland")
    flevoland_for_fleur = ask(app, FLEUR, "/proeftuin/flevoland")
    assert flevoland_for_frank.headers[HEADER] == flevoland_for_fleur.headers[HEADER] == "hit"
    assert '"data-proeftuin":"flevoland"' in flevoland_for_fleur.get_data(as_text=True).replace(" ", "")
    assert "data-proeftuin" not in flevoland_for_frank.get_data(as_text=True)


def test_a_refused_request_never_reaches_the_cache(app):
    """A view the programme team drew is refused to a proeftuin that may not see it, every time;
    a request without a trusted login gets nothing stored either."""
    assert ask(app, ANNA, "/tranches", "?proeftuinen=foodvalley").headers[HEADER] == "miss"
    for _ in range(2):
        r = ask(app, FLEUR, "/tranches", "?proeftuinen=foodvalley")
        assert r.status_code == 403 and HEADER not in r.headers
    outsider = app.server.test_client()  # not the trusted proxy: its headers are not believed
    r = outsider.post("/_dash-update-component", json=page_body("/tranches", "?proeftuinen=foodvalley"),
                      headers={"X-Remote-User": ANNA[0], "X-Remote-Role": ANNA[1]})
    assert r.status_code == 403 and HEADER not in r.headers and b"_pages_content" not in r.get_data()
    r = ask(app, ("anna", "beheerder"), "/tranches", "?proeftuinen=foodvalley")
    assert r.status_code == 403 and HEADER not in r.headers


def test_an_answer_drawn_on_a_snapshot_no_longer_in_force_says_miss_and_is_not_kept(store_dir, monkeypatch):
    """An ingest published a newer snapshot while the page was drawn (into a cache that holds no
    entry of the request's snapshot): the answer goes out, marked as drawn, and is not stored."""
    app = make_app(store_dir)
    monkeypatch.setattr(pagecache, "_in_force", lambda _store, _snapshot: False)
    for _ in range(2):
        r = ask(app, ANNA, "/tijdlijn")
        assert r.status_code == 200 and r.headers[HEADER] == "miss"
    assert len(pagecache.page_cache(app)) == 0


def test_an_error_is_not_kept(app, monkeypatch):
    def broken(*_args):
        raise RuntimeError("de query faalt")

    monkeypatch.setattr(registry, "run", broken)
    figuredata.clear_cache()
    r = ask(app, ANNA, "/iv", "?tranche=1")
    assert r.status_code == 500 and HEADER not in r.headers
    monkeypatch.undo()
    r = ask(app, ANNA, "/iv", "?tranche=1")
    assert r.status_code == 200 and r.headers[HEADER] == "miss"


# --- downloads -------------------------------------------------------------------------------------


def _download_body(app, figure_id: str) -> dict:
    """A click on the CSV button of `figure_id`, as the page's own button id asks for it."""
    (output,) = [o for o in app.callback_map if '"type":"pm-download"' in o]
    button = {"type": "pm-download-knop", "kaart": "kaart-test", "figuur": figure_id, "filters": ""}
    key = json.dumps(button, sort_keys=True, separators=(",", ":"))
    return {"output": output, "outputs": {"id": {**button, "type": "pm-download"}, "property": "data"},
            "inputs": [{"id": button, "property": "n_clicks", "value": 1}],
            "changedPropIds": [f"{key}.n_clicks"], "state": []}


def test_downloads_are_never_cached_and_recorded_each_time(app, store_dir):
    audit_file = store_dir / "audit" / "audit.jsonl"
    before = len(audit_file.read_text().splitlines()) if audit_file.exists() else 0
    answers = []
    for _ in range(2):
        r = client(app).post("/_dash-update-component", json=_download_body(app, "instroom-per-kwartaal"),
                             headers={"X-Remote-User": "anna", "X-Remote-Role": "programmateam"})
        assert r.status_code == 200 and HEADER not in r.headers
        answers.append(r.get_data())
    events = [json.loads(line) for line in audit_file.read_text().splitlines()[before:]]
    downloads = [(e["gebruiker"], e["figuur"]) for e in events if e["gebeurtenis"] == "download"]
    assert downloads == [("anna", "instroom-per-kwartaal")] * 2


# --- snapshots -------------------------------------------------------------------------------------


def test_a_new_snapshot_is_drawn_anew_and_the_old_entries_go(tmp_path):
    store_dir = _fill(tmp_path)
    app = make_app(store_dir)
    old = ask(app, ANNA, "/tranches")
    assert old.headers[HEADER] == "miss" and ask(app, ANNA, "/tranches").headers[HEADER] == "hit"
    ask(app, ANNA, "/teams")
    cache = pagecache.page_cache(app)
    assert len(cache) == 2
    (tmp_path / "later").mkdir()
    more = write_csv(tmp_path / "later" / "utrecht_casussen_2024-Q2.csv", _cases("utrecht", "UT", 7))
    assert ingest_files([more], Store(store_dir), ontvangen=dt.date(2024, 7, 12)).all_accepted
    new = ask(app, ANNA, "/tranches")
    assert new.status_code == 200 and new.headers[HEADER] == "miss" and new.get_data() != old.get_data()
    assert len(cache) == 1  # the old snapshot's two entries were dropped


# --- the store itself ------------------------------------------------------------------------------


def test_memory_is_bounded_least_recently_used_out_first():
    cache = PageCache(max_bytes=100)
    snap = ("a.duckdb", 1, 1)
    for name in ("een", "twee"):
        assert cache.put((snap, "", name), b"x" * 40, current=True)
    assert cache.get((snap, "", "een")) == b"x" * 40  # 'twee' is now the least recently used
    assert cache.put((snap, "", "drie"), b"y" * 40, current=True)
    assert cache.size == 80 and (snap, "", "twee") not in cache and (snap, "", "een") in cache
    assert not cache.put((snap, "", "groot"), b"z" * 101, current=True)  # larger than the whole cache
    # An answer drawn on a snapshot that is no longer in force is not kept, nor does it evict.
    assert not cache.put((("b.duckdb", 2, 2), "", "een"), b"x", current=False)
    assert len(cache) == 2
    # The first answer of the snapshot now in force drops the others.
    assert cache.put((("c.duckdb", 3, 3), "", "een"), b"x", current=True)
    assert len(cache) == 1 and cache.size == 1
    assert cache.hits == 1


def test_switched_off_with_zero(uncached):
    assert pagecache.page_cache(uncached) is None


# --- gunicorn ----------------------------------------------------------------------------------------


def test_gunicorn_workers_serve_hits_with_the_same_bytes(store_dir, tmp_path):
    """Two workers, each with its own cache: of three requests for one view at least two reach
    the same worker, so at least one is a hit, and all three answers are the same bytes."""
    server = Server(store_dir, tmp_path / "gunicorn.log", env={"MONITOR_WARM": "0"})
    try:
        server.wait_ready()
        answers = [server.request("POST", "/_dash-update-component",
                                  json.dumps(page_body("/tranches", "?tranche=2")).encode(),
                                  {"Content-Type": "application/json"}) for _ in range(3)]
    finally:
        server.stop()
    assert all(status == 200 for status, _, _ in answers)
    assert sum(headers[HEADER] == "hit" for _, headers, _ in answers) >= 1
    assert len({body for _, _, body in answers}) == 1


def test_the_warm_up_fills_each_workers_cache_for_the_programme_team(store_dir, tmp_path):
    """With login, the warm-up draws every page's default view for the programme team's role: the
    first such request in either worker is a hit. Another role's scope is not drawn for it."""
    log = tmp_path / "gunicorn.log"
    server = Server(store_dir, log, env={"MONITOR_AUTH": "header", "MONITOR_SECRET_KEY": SECRET,
                                         "MONITOR_TRUSTED_PROXIES": "127.0.0.1"})
    body = json.dumps(page_body("/teams")).encode()

    def ask_as(user: str, role: str):
        return server.request("POST", "/_dash-update-component", body, {
            "Content-Type": "application/json", "X-Remote-User": user, "X-Remote-Role": role})
    try:
        server.wait_ready()
        deadline = time.monotonic() + 120
        while log.read_text(errors="replace").count("figuren voorverwarmd") < 2:  # both workers' background pass
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.2)
        answers = [ask_as(*ANNA) for _ in range(4)]  # each a new connection: both workers answer
        other = ask_as(*FLEUR)
    finally:
        server.stop()
    assert [(status, headers[HEADER]) for status, headers, _ in answers] == [(200, "hit")] * 4
    assert other[0] == 200 and other[1][HEADER] == "miss"
