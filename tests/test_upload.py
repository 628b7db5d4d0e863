"""Deliveries through /aanleveren below the browser: the upload route with real files and a real
store, per role; check-only stores nothing; the limits; the lock; the status and the notice."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
from pathlib import Path

import duckdb
import pytest

from dashboard import audit, upload
from dashboard.app import create_app, nav_pages
from dashboard.ingest import ingest_files
from dashboard.store import Store
from tests.exportfiles import casus, write_csv, write_parquet, write_xlsx
from tests.test_security import SECRET, create_app_with, page_body, proxy

URL = upload.UPLOAD_PATH
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def _cases(code: str, n: int, prefix: str = "C") -> list[dict]:
    return [casus(casus_id=f"{prefix}-{i:03d}", proeftuin=code, werkgebied="", datum_aanmelding=dt.date(2024, 4, 1 + i % 28),
                  datum_start_hulp=None) for i in range(n)]


@pytest.fixture
def store_dir(tmp_path) -> Path:
    """A store with flevoland and foodvalley casussen for 2024-Q2."""
    store = Store(tmp_path / "store")
    files = [write_csv(tmp_path / "flevoland_casussen_2024-Q2.csv", _cases("flevoland", 6, "FL")),
             write_csv(tmp_path / "foodvalley_casussen_2024-Q2.csv", _cases("foodvalley", 4, "FV"))]
    assert ingest_files(files, store, ontvangen=dt.date(2024, 7, 10)).all_accepted
    return store.root


def _header_app(store_dir: Path):
    app = create_app_with(store_dir, {"MONITOR_AUTH": "header", "MONITOR_SECRET_KEY": SECRET,
                                      "MONITOR_TRUSTED_PROXIES": "127.0.0.1"})
    app.server.test_client().get("/healthz")
    return app


def _post(client, path: Path, headers: dict | None = None, query: str = "", name: str | None = None):
    return client.post(f"{URL}{query}", data=path.read_bytes(),
                       headers={"X-Bestandsnaam": name or path.name, **SAME_ORIGIN, **(headers or {})})


# What a logged-in request writes whatever it does (dashboard/security.py): the audit lines of
# logins and the login throttle's state. Not the store's data; _data_events checks the audit log.
BOOKKEEPING = ("audit/", "beveiliging/")


def _fingerprint(root: Path) -> dict[str, str]:
    """Every file of the store with the hash of its bytes, but the login bookkeeping."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not str(p.relative_to(root)).startswith(BOOKKEEPING)}


def _data_events(root: Path) -> list[dict]:
    """The audit lines about deliveries (uploads, ingests, purges)."""
    return [e for e in audit.entries(root) if e["gebeurtenis"] in (audit.UPLOAD, audit.INGEST, audit.PURGE)]


def _log(store_dir: Path) -> list[tuple]:
    snap = Store(store_dir).current_snapshot()
    con = duckdb.connect(str(snap), read_only=True)
    try:
        return con.execute("SELECT levering_id, proeftuin, periode, status, rijen, ontvangen, ontvangen_door "
                           "FROM leveringen ORDER BY levering_id").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("writer", [write_csv, write_xlsx, write_parquet])
def test_a_proeftuin_delivers_its_own_file_in_each_format(store_dir, tmp_path, writer):
    client = _header_app(store_dir).server.test_client()
    ext = {write_csv: "csv", write_xlsx: "xlsx", write_parquet: "parquet"}[writer]
    path = writer(tmp_path / f"flevoland_casussen_2024-Q3.{ext}", _cases("flevoland", 7, "FL"))
    r = _post(client, path, proxy("fleur", "proeftuin:flevoland"))
    answer = r.get_json()
    assert r.status_code == 200 and answer["uitkomst"] == "geaccepteerd", answer
    assert (answer["rijen"], answer["periode"], answer["levering_id"]) == (7, "2024-Q3", 3)
    # The same row as `ingest` writes, received today, with the user who uploaded it.
    assert _log(store_dir)[-1] == (3, "flevoland", "2024-Q3", "geaccepteerd", 7, dt.date.today(), "fleur")
    assert (Store(store_dir).archive_dir / hashlib.sha256(path.read_bytes()).hexdigest()).is_file()
    events = [e for e in audit.entries(store_dir) if e["gebeurtenis"] == audit.UPLOAD]
    assert [(e["gebruiker"], e["bestand"], e["proeftuin"]) for e in events] == [("fleur", path.name, "flevoland")]


def test_check_only_stores_nothing_at_all(store_dir, tmp_path):
    client = _header_app(store_dir).server.test_client()
    before, events = _fingerprint(store_dir), _data_events(store_dir)
    good = write_csv(tmp_path / "flevoland_casussen_2024-Q3.csv", _cases("flevoland", 5, "FL"))
    bad = write_csv(tmp_path / "flevoland_casussen_2024-Q4.csv",
                    _cases("flevoland", 3, "FL") + [casus(casus_id="FL-X", werkwijze="telefoon")])
    r = _post(client, good, proxy("anna", "programmateam"), "?controleren=1")
    assert r.get_json()["uitkomst"] == "geaccepteerd" and r.get_json()["rijen"] == 5
    r = _post(client, bad, proxy("anna", "programmateam"), "?controleren=1")
    answer = r.get_json()
    assert answer["uitkomst"] == "afgewezen" and answer["fouten"] == 1
    # Row 5: the header is row 1, then three good rows; the column and the rule, no value.
    assert answer["bevindingen"] == [[5, "werkwijze", "onbekende code; toegestaan: duo, rvt, lokaal_team", "fout"]]
    assert _fingerprint(store_dir) == before and _data_events(store_dir) == events


def test_a_file_with_errors_is_rejected_and_logged_like_ingest_without_changing_the_figures(store_dir, tmp_path):
    client = create_app(store_dir).server.test_client()  # no login: local use, as the programme team
    rows = _cases("foodvalley", 60, "FV")
    for r in rows:
        r["aantal_minderjarigen"] = 99  # 60 errors: the page lists 50, the report all
    path = write_csv(tmp_path / "foodvalley_casussen_2024-Q3.csv", rows)
    answer = _post(client, path).get_json()
    assert answer["uitkomst"] == "afgewezen" and answer["fouten"] == 60 and answer["totaal_bevindingen"] == 60
    assert len(answer["bevindingen"]) == 50 and answer["bevindingen"][0][:2] == [2, "aantal_minderjarigen"]
    assert answer["rapport"].count("\r\n") == 61 and answer["rapport_naam"] == f"{path.name}.fouten.csv"
    log = _log(store_dir)
    assert log[-1][:5] == (3, "foodvalley", "2024-Q3", "afgewezen", 60) and log[-1][6] is None
    # The figures still have 2024-Q2 as foodvalley's current delivery.
    snap = Store(store_dir).current_snapshot()
    con = duckdb.connect(str(snap), read_only=True)
    assert con.execute("SELECT periode FROM actuele_leveringen WHERE proeftuin = 'foodvalley'").fetchall() == [("2024-Q2",)]
    con.close()


def test_an_identifying_value_never_reaches_the_page(store_dir, tmp_path):
    client = create_app(store_dir).server.test_client()
    bsn = "111222333"  # passes the elfproef: 9*1+8*1+7*1+6*2+5*2+4*2+3*3+2*3-1*3 = 66 = 6*11
    path = write_csv(tmp_path / "flevoland_casussen_2024-Q3.csv",
                     _cases("flevoland", 2, "FL") + [casus(casus_id=bsn, werkwijze="onbekend")])
    r = _post(client, path, query="?controleren=1")
    assert r.get_json()["uitkomst"] == "afgewezen"
    assert bsn not in r.get_data(as_text=True)


def test_another_proeftuins_file_is_refused_and_nothing_is_stored(store_dir, tmp_path):
    client = _header_app(store_dir).server.test_client()
    before = _fingerprint(store_dir)
    fleur = proxy("fleur", "proeftuin:flevoland")
    other = write_csv(tmp_path / "foodvalley_casussen_2024-Q3.csv", _cases("foodvalley", 3, "FV"))
    for query in ("", "?controleren=1", "?proeftuin=flevoland"):
        answer = _post(client, other, fleur, query).get_json()
        assert answer["uitkomst"] == "geweigerd", query
        assert "proeftuin FoodValley" in answer["melding"] and "niets opgeslagen" in answer["melding"]
    # Another proeftuin chosen on the page for a file without a pattern name: refused too.
    answer = _post(client, other, fleur, "?proeftuin=foodvalley&soort=casussen&periode=2024-Q3",
                   name="export.csv").get_json()
    assert answer["uitkomst"] == "geweigerd"
    assert _fingerprint(store_dir) == before
    # The programme team may deliver it.
    assert _post(client, other, proxy("anna", "programmateam")).get_json()["uitkomst"] == "geaccepteerd"


def test_choices_on_the_page_stand_in_for_the_file_name(store_dir, tmp_path):
    client = create_app(store_dir).server.test_client()
    path = write_csv(tmp_path / "export.csv", _cases("flevoland", 4, "FL"))
    answer = _post(client, path, query="?proeftuin=flevoland&soort=casussen&periode=2024-q3").get_json()
    assert (answer["uitkomst"], answer["periode"], answer["rijen"]) == ("geaccepteerd", "2024-Q3", 4)
    answer = _post(client, path, name="export.csv").get_json()
    assert answer["uitkomst"] == "geweigerd" and "kies anders proeftuin, soort en periode op de pagina" in answer["melding"]


def test_the_steering_group_gets_403_and_no_navigation_entry(store_dir, tmp_path):
    app = _header_app(store_dir)
    client = app.server.test_client()
    sam = proxy("sam", "stuurgroep")
    path = write_csv(tmp_path / "flevoland_casussen_2024-Q3.csv", _cases("flevoland", 3, "FL"))
    before = _fingerprint(store_dir)
    assert _post(client, path, sam).status_code == 403
    assert _post(client, path, sam, "?controleren=1").status_code == 403
    assert client.get("/_aanleveren/sjabloon/casussen.xlsx", headers=sam).status_code == 403
    r = client.post("/_dash-update-component", json=page_body("/aanleveren", "?presentatie=1"), headers=sam)
    assert r.status_code == 403
    assert _fingerprint(store_dir) == before
    names = {}
    for who, role in (("sam", "stuurgroep"), ("anna", "programmateam"), ("fleur", "proeftuin:flevoland")):
        with app.server.test_request_context("/", headers=proxy(who, role), environ_base={"REMOTE_ADDR": "127.0.0.1"}):
            app.server.preprocess_request()
            names[role] = [p["name"] for p in nav_pages()]
    assert "Aanleveren" not in names["stuurgroep"]
    assert "Aanleveren" in names["programmateam"] and "Aanleveren" in names["proeftuin:flevoland"]


def test_a_cross_site_post_and_a_too_big_file_are_refused_before_reading(store_dir, tmp_path, monkeypatch):
    client = create_app(store_dir).server.test_client()
    path = write_csv(tmp_path / "flevoland_casussen_2024-Q3.csv", _cases("flevoland", 3, "FL"))
    before = _fingerprint(store_dir)
    assert _post(client, path, {"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert _post(client, path, {"Sec-Fetch-Site": "same-site"}).status_code == 403
    r = client.post(URL, data=path.read_bytes(), headers={"X-Bestandsnaam": path.name, "Origin": "https://elders.example"})
    assert r.status_code == 403
    monkeypatch.setenv("MONITOR_MAX_FILE_MB", "1")
    big = tmp_path / "flevoland_casussen_2024-Q4.csv"
    big.write_bytes(path.read_bytes() + b"\r\n" * (1024 * 1024))  # blank lines: 2 MB, a valid file otherwise
    r = _post(client, big)
    assert r.status_code == 413 and r.get_json()["uitkomst"] == "geweigerd" and "1 MB" in r.get_json()["melding"]
    assert _fingerprint(store_dir) == before


def test_the_template_downloads_are_the_generated_files(store_dir):
    from dashboard.template import table_schema_json, template_xlsx

    client = create_app(store_dir).server.test_client()
    r = client.get("/_aanleveren/sjabloon/teamleden.xlsx")
    assert r.status_code == 200 and r.data == template_xlsx("teamleden")
    assert 'filename="sjabloon_teamleden_v1.xlsx"' in r.headers["Content-Disposition"]
    r = client.get("/_aanleveren/sjabloon/themas.json")
    assert json.loads(r.data) == json.loads(table_schema_json("themas"))
    assert client.get("/_aanleveren/sjabloon/onzin.xlsx").status_code == 404


def test_uploads_at_the_same_moment_both_land_one_after_the_other(store_dir, tmp_path):
    files = [write_csv(tmp_path / f"{code}_casussen_2024-Q3.csv", _cases(code, n, code[:2].upper()))
             for code, n in (("flevoland", 5), ("foodvalley", 8))]
    answers = {}

    def run(path):
        answers[path.name] = upload.deliver(path, store_dir, None, None, check_only=False)

    store = Store(store_dir)
    with store.lock():  # another ingest is busy: both wait for it, then take their turn
        threads = [threading.Thread(target=run, args=(p,)) for p in files]
        for t in threads:
            t.start()
        time.sleep(1.0)
        assert not answers
    for t in threads:
        t.join(timeout=120)
    assert {a.uitkomst for a in answers.values()} == {"geaccepteerd"}
    assert sorted(a.levering_id for a in answers.values()) == [3, 4]
    log = {(r[1], r[2]): r[4] for r in _log(store_dir)}
    assert log[("flevoland", "2024-Q3")] == 5 and log[("foodvalley", "2024-Q3")] == 8


def test_a_store_busy_for_too_long_gives_a_message_and_no_delivery(store_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(upload, "LOCK_WAIT_SECONDS", 0.5)
    path = write_csv(tmp_path / "flevoland_casussen_2024-Q3.csv", _cases("flevoland", 3, "FL"))
    with Store(store_dir).lock():
        answer = upload.deliver(path, store_dir, None, None, check_only=False)
    assert answer.uitkomst == "geweigerd" and "Probeer het over een paar minuten opnieuw" in answer.melding
    assert len(_log(store_dir)) == 2


def test_the_status_and_the_notice_follow_the_due_date(store_dir, tmp_path):
    from dashboard.delivery_status import status_words

    # Flevoland 2024-Q2 was received 10-07-2024: 10 days after 30-06, on time; due 30-07-2024.
    row = {"status": "op_tijd", "ontvangen": dt.date(2024, 7, 10), "uiterlijk": dt.date(2024, 7, 30)}
    assert status_words(row) == "op tijd, ontvangen 10-07-2024"
    missing = {"status": "ontbreekt", "ontvangen": None, "uiterlijk": dt.date(2024, 7, 30)}
    assert status_words(missing, today=dt.date(2024, 7, 30)) == "nog niet ontvangen (uiterlijk 30-07-2024)"
    assert status_words(missing, today=dt.date(2024, 7, 31)) == "ontbreekt (uiterlijk was 30-07-2024)"
    rejected = {**missing, "status": "afgewezen"}
    assert status_words(rejected, today=dt.date(2024, 7, 1)) == "afgewezen, nog niets geaccepteerd (uiterlijk 30-07-2024)"
    assert status_words(rejected, today=dt.date(2024, 8, 1)) == ("te laat: alleen afgewezen leveringen "
                                                                 "(uiterlijk was 30-07-2024)")
    client = _header_app(store_dir).server.test_client()
    for who, role in (("anna", "programmateam"), ("fleur", "proeftuin:flevoland")):
        page = client.post("/_dash-update-component", json=page_body("/aanleveren"), headers=proxy(who, role))
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert "Stand van de leveringen" in text and "op tijd, ontvangen 10-07-2024" in text
        assert ("Foodvalley" in text or "FoodValley" in text) == (role == "programmateam")
    # 2024-Q2 is the last quarter: every proeftuin but flevoland and foodvalley is missing.
    overview = client.post("/_dash-update-component", json=page_body("/"), headers=proxy("anna", "programmateam"))
    assert "Casussen-leveringen over 2024-Q2 (uiterlijk 30-07-2024)" in overview.get_data(as_text=True)
    own = client.post("/_dash-update-component", json=page_body("/iv"), headers=proxy("fleur", "proeftuin:flevoland"))
    assert "leveringen-melding" not in own.get_data(as_text=True)  # flevoland's own delivery is on time
