"""Ingest and validation with real files in every variant the export format allows."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dashboard.ingest import check_file, ingest_files
from dashboard.store import Store
from tests.exportfiles import casus, teamlid, thema, write_csv, write_parquet, write_xlsx

PROJECT = Path(__file__).resolve().parent.parent
NAME = "flevoland_casussen_2024-Q2"


def snapshot_rows(store: Store, sql: str, params=None):
    con = duckdb.connect(str(store.current_snapshot()), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def three_cases() -> list[dict]:
    return [
        casus(),
        casus(casus_id="FL-0002", datum_aanmelding=dt.date(2024, 5, 1), datum_start_hulp=None,
              datum_afsluiting=dt.date(2024, 6, 30), uitkomst="deels_hersteld", vaste_professional=False,
              aantal_minderjarigen=0, aantal_volwassenen=2, aantal_overdrachten=None, werkgebied="Almere"),
        casus(casus_id="FL-0003", datum_aanmelding=dt.date(2021, 1, 1), kinderbeschermingsmaatregel="ots",
              instroomroute="raad_kinderbescherming", werkwijze="rvt"),
    ]


WRITERS = {
    "csv-nl": lambda p, rows, **kw: write_csv(p.with_suffix(".csv"), rows, style="nl", **kw),
    "csv-win": lambda p, rows, **kw: write_csv(p.with_suffix(".csv"), rows, style="win", **kw),
    "csv-iso": lambda p, rows, **kw: write_csv(p.with_suffix(".csv"), rows, style="iso", **kw),
    "xlsx": lambda p, rows, **kw: write_xlsx(p.with_suffix(".xlsx"), rows, **kw),
    "parquet": lambda p, rows, **kw: write_parquet(p.with_suffix(".parquet"), rows, **kw),
    # Parquet whose columns are all text, as many systems export it: carries any bad value.
    "parquet-text": lambda p, rows, **kw: write_parquet(
        p.with_suffix(".parquet"), [{k: None if v is None else _as_text(v) for k, v in r.items()} for r in rows], **kw),
}


def _as_text(value) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


@pytest.mark.parametrize("variant", list(WRITERS))
def test_every_variant_is_accepted_with_the_same_values(tmp_path, variant):
    path = WRITERS[variant](tmp_path / NAME, three_cases())
    store = Store(tmp_path / "store")
    result = ingest_files([path], store, ontvangen=dt.date(2024, 7, 10))
    (fr,) = result.files
    assert fr.status == "geaccepteerd", fr.findings
    rows = snapshot_rows(store, """
        SELECT casus_id, werkgebied, datum_aanmelding, datum_start_hulp, datum_afsluiting, aantal_minderjarigen,
               aantal_volwassenen, vaste_professional, aantal_overdrachten, leefgebied_werk, uitkomst,
               kinderbeschermingsmaatregel
        FROM casussen ORDER BY casus_id""")
    assert rows == [
        ("FL-0001", "Dronten", dt.date(2024, 4, 2), dt.date(2024, 4, 10), None, 2, 1, True, 0, None, None, "geen"),
        ("FL-0002", "Almere", dt.date(2024, 5, 1), None, dt.date(2024, 6, 30), 0, 2, False, None, None,
         "deels_hersteld", "geen"),
        ("FL-0003", "Dronten", dt.date(2021, 1, 1), dt.date(2024, 4, 10), None, 2, 1, True, 0, None, None, "ots"),
    ]
    log = snapshot_rows(store,
                        "SELECT proeftuin, soort, periode, peildatum, ontvangen, rijen, status, in_gebruik FROM leveringen")
    assert log == [("flevoland", "casussen", "2024-Q2", dt.date(2024, 6, 30), dt.date(2024, 7, 10), 3, "geaccepteerd", True)]


def test_windows_1252_text_survives(tmp_path):
    path = write_csv(tmp_path / f"{NAME}.csv", [casus(werkgebied="Súdwest-Fryslân")], style="win")
    assert "Súdwest-Fryslân".encode("cp1252") in path.read_bytes()
    store = Store(tmp_path / "store")
    assert ingest_files([path], store).all_accepted
    assert snapshot_rows(store, "SELECT werkgebied FROM casussen") == [("Súdwest-Fryslân",)]


@pytest.mark.parametrize("ja,nee", [("ja", "nee"), ("J", "N"), ("1", "0"), ("WAAR", "onwaar"),
                                    ("True", "FALSE"), ("yes", "No"), (" ja ", " nee ")])
def test_ja_nee_spellings(tmp_path, ja, nee):
    rows = [casus(vaste_professional=ja, verklarende_analyse=nee)]
    path = write_csv(tmp_path / f"{NAME}.csv", rows, style="nl")
    store = Store(tmp_path / "store")
    assert ingest_files([path], store).all_accepted
    assert snapshot_rows(store, "SELECT vaste_professional, verklarende_analyse FROM casussen") == [(True, False)]


@pytest.mark.parametrize("text", ["2024-04-02", "02-04-2024", "2-4-2024", "02/04/2024", " 2024-04-02 ",
                                  "2024-04-02 00:00:00"])
def test_date_spellings(tmp_path, text):
    path = write_csv(tmp_path / f"{NAME}.csv", [casus(datum_aanmelding=text, datum_start_hulp=None)], style="nl")
    store = Store(tmp_path / "store")
    assert ingest_files([path], store).all_accepted
    assert snapshot_rows(store, "SELECT datum_aanmelding FROM casussen") == [(dt.date(2024, 4, 2),)]


def test_columns_in_any_order_spaces_trailing_empty_rows_and_unknown_column(tmp_path):
    rows = [dict(reversed(list(casus(extra_kolom="x").items())))]
    rows[0]["casus_id"] = "  FL-0009  "
    path = write_csv(tmp_path / f"{NAME}.csv", rows, style="nl", raw=[[""] * 22, [], [""] * 22])
    text = path.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("extra_kolom;uitkomst")
    # Headers as a person types them: capitals and spaces.
    path.write_bytes(("\ufeff" + text.replace("datum_aanmelding", " Datum Aanmelding ")).encode("utf-8"))
    store = Store(tmp_path / "store")
    (fr,) = ingest_files([path], store).files
    assert fr.status == "geaccepteerd"
    assert [(f.rij, f.kolom, f.ernst) for f in fr.findings] == [(1, "extra_kolom", "waarschuwing")]
    assert snapshot_rows(store, "SELECT casus_id, datum_aanmelding FROM casussen") == [("FL-0009", dt.date(2024, 4, 2))]


# (field overrides on row 3, column, a fragment of the rule)
BAD_VALUES = [
    ({"casus_id": None}, "casus_id", "verplicht veld is leeg"),
    ({"casus_id": "X" * 65}, "casus_id", "langer dan 64 tekens"),
    ({"casus_id": "FL-0001"}, "casus_id", "komt vaker voor in dit bestand (eerst in rij 2)"),
    ({"proeftuin": "utrecht"}, "proeftuin", "hoort bij een andere proeftuin"),
    ({"proeftuin": None}, "proeftuin", "verplicht veld is leeg"),
    ({"datum_aanmelding": None}, "datum_aanmelding", "verplicht veld is leeg"),
    ({"datum_aanmelding": "31-02-2024"}, "datum_aanmelding", "geen geldige datum"),
    ({"datum_aanmelding": "april 2024"}, "datum_aanmelding", "geen geldige datum"),
    ({"datum_aanmelding": dt.date(2020, 12, 31)}, "datum_aanmelding", "buiten 01-01-2021 t/m de peildatum 30-06-2024"),
    ({"datum_aanmelding": dt.date(2024, 7, 1), "datum_start_hulp": None}, "datum_aanmelding", "buiten 01-01-2021"),
    ({"datum_start_hulp": dt.date(2024, 4, 1)}, "datum_start_hulp", "ligt voor datum_aanmelding"),
    ({"datum_start_hulp": dt.date(2024, 7, 1)}, "datum_start_hulp", "ligt na de peildatum 30-06-2024"),
    ({"datum_afsluiting": dt.date(2024, 3, 1), "uitkomst": "onbekend"}, "datum_afsluiting", "ligt voor datum_aanmelding"),
    ({"datum_afsluiting": dt.date(2024, 7, 2), "uitkomst": "onbekend"}, "datum_afsluiting", "ligt na de peildatum"),
    ({"instroomroute": "huisarts"}, "instroomroute", "onbekende code; toegestaan: veilig_thuis"),
    ({"instroomroute": None}, "instroomroute", "verplicht veld is leeg"),
    ({"aantal_minderjarigen": 16}, "aantal_minderjarigen", "buiten het bereik 0 t/m 15"),
    ({"aantal_minderjarigen": "twee"}, "aantal_minderjarigen", "geen geheel getal"),
    ({"aantal_volwassenen": 11}, "aantal_volwassenen", "buiten het bereik 0 t/m 10"),
    ({"aantal_volwassenen": "1,5"}, "aantal_volwassenen", "geen geheel getal"),
    ({"aantal_minderjarigen": 0, "aantal_volwassenen": 0}, "aantal_volwassenen", "minstens 1"),
    ({"vaste_professional": "misschien"}, "vaste_professional", "geen ja/nee-waarde"),
    ({"vaste_professional": None}, "vaste_professional", "verplicht veld is leeg"),
    ({"werkwijze": "solo"}, "werkwijze", "onbekende code"),
    ({"aantal_overdrachten": -1}, "aantal_overdrachten", "buiten het bereik"),
    ({"leefgebied_wonen": "soms"}, "leefgebied_wonen", "geen ja/nee-waarde"),
    ({"netwerkdossier": "2"}, "netwerkdossier", "geen ja/nee-waarde"),
    ({"kinderbeschermingsmaatregel": "uhp"}, "kinderbeschermingsmaatregel", "onbekende code"),
    ({"kinderbeschermingsmaatregel": None}, "kinderbeschermingsmaatregel", "verplicht veld is leeg"),
    ({"datum_afsluiting": dt.date(2024, 6, 1), "uitkomst": None}, "uitkomst", "verplicht als datum_afsluiting gevuld is"),
    ({"datum_afsluiting": dt.date(2024, 6, 1), "uitkomst": "opgelost"}, "uitkomst", "onbekende code"),
]


@pytest.mark.parametrize("variant", ["csv-nl", "csv-win", "xlsx", "parquet-text"])
@pytest.mark.parametrize("overrides,kolom,rule", BAD_VALUES, ids=[f"{b[1]}:{b[2][:24]}" for b in BAD_VALUES])
def test_every_rule_rejects_the_file_and_names_row_column_rule(tmp_path, variant, overrides, kolom, rule):
    rows = [casus(), casus(**{"casus_id": "FL-0002", **overrides})]
    path = WRITERS[variant](tmp_path / NAME, rows, columns=list(casus().keys()))
    store = Store(tmp_path / "store")
    (fr,) = ingest_files([path], store).files
    assert fr.status == "afgewezen"
    errors = [(f.rij, f.kolom) for f in fr.findings if f.ernst == "fout" and rule in f.regel]
    assert errors == [(3, kolom)], fr.findings
    # Nothing of a rejected file reaches the figures; the log says what happened.
    assert snapshot_rows(store, "SELECT count(*) FROM casussen") == [(0,)]
    assert snapshot_rows(store, "SELECT status, aantal_fouten >= 1 FROM leveringen") == [("afgewezen", True)]


@pytest.mark.parametrize("overrides,kolom,rule", [
    ({"fte": 0}, "fte", "groter dan 0"), ({"fte": 1.2}, "fte", "groter dan 0"), ({"fte": "veel"}, "fte", "geen getal"),
    ({"organisatie": "school"}, "organisatie", "onbekende code"), ({"rol": "chef"}, "rol", "onbekende code"),
    ({"datum_start": None}, "datum_start", "verplicht"),
    ({"datum_einde": dt.date(2022, 12, 31)}, "datum_einde", "ligt voor datum_start"),
    ({"team": None}, "team", "verplicht"),
])
@pytest.mark.parametrize("variant", ["csv-nl", "parquet"])
def test_teamleden_rules(tmp_path, overrides, kolom, rule, variant):
    rows = [teamlid(), teamlid(**overrides)]
    if variant == "parquet" and overrides.get("fte") == "veel":
        rows = [{**r, "fte": str(r["fte"])} for r in rows]  # a text column in Parquet
    path = WRITERS[variant](tmp_path / "flevoland_teamleden_2024-Q2", rows, columns=list(teamlid().keys()))
    fr = check_file(path)
    assert fr.status == "afgewezen"
    assert [(f.rij, f.kolom) for f in fr.findings if rule in f.regel] == [(3, kolom)]


@pytest.mark.parametrize("overrides,kolom,rule", [
    ({"thema": "onzin"}, "thema", "onbekend thema"), ({"status": "klaar"}, "status", "onbekende code"),
    ({"jaar": 2031}, "jaar", "buiten het bereik 2021 t/m 2030"), ({"jaar": "2024,5"}, "jaar", "geen geheel getal"),
])
def test_themas_rules(tmp_path, overrides, kolom, rule):
    path = write_csv(tmp_path / "flevoland_themas_2024-Q2.csv", [thema(), thema(**overrides)], style="iso")
    fr = check_file(path)
    assert fr.status == "afgewezen"
    assert [(f.rij, f.kolom) for f in fr.findings if rule in f.regel] == [(3, kolom)]


def test_teamleden_and_themas_accepted(tmp_path):
    store = Store(tmp_path / "store")
    t = write_xlsx(tmp_path / "flevoland_teamleden_2024-Q2.xlsx", [teamlid(), teamlid(fte=0.5, rol="jurist")])
    th = write_csv(tmp_path / "flevoland_themas_2024-Q2.csv", [thema(), thema(thema="rechtsbescherming", status="gepland")])
    assert ingest_files([t, th], store).all_accepted
    assert snapshot_rows(store, "SELECT rol, fte FROM teamleden ORDER BY fte") == [("jurist", 0.5), ("gezinsprofessional", 0.8)]
    assert snapshot_rows(store, "SELECT count(*) FROM themas_actueel") == [(2,)]


def test_file_level_problems(tmp_path):
    cols = [c for c in casus() if c != "werkwijze"]
    missing = write_csv(tmp_path / f"{NAME}.csv", [casus()], columns=cols)
    fr = check_file(missing)
    assert [(f.rij, f.kolom, f.regel) for f in fr.findings] == [(1, "werkwijze", "verplichte kolom ontbreekt")]

    dup = tmp_path / "dup" / f"{NAME}.csv"
    dup.parent.mkdir()
    write_csv(dup, [casus()], columns=list(casus()) + ["werkwijze"])
    assert any("twee keer" in f.regel for f in check_file(dup).findings)

    fields = tmp_path / "fields" / f"{NAME}.csv"
    fields.parent.mkdir()
    write_csv(fields, [casus()], raw=[["FL-9", "flevoland"], ["a"] * 30])
    found = [(f.rij, f.regel) for f in check_file(fields).findings if "velden" in f.regel]
    assert [r for r, _ in found] == [3, 4]

    utf16 = tmp_path / "u16" / f"{NAME}.csv"
    utf16.parent.mkdir()
    utf16.write_bytes("casus_id;proeftuin\r\nA;flevoland\r\n".encode("utf-16"))
    assert "UTF-16" in check_file(utf16).findings[0].regel

    garbage = tmp_path / "bin" / f"{NAME}.xlsx"
    garbage.parent.mkdir()
    garbage.write_bytes(os.urandom(2000))
    assert "Excel" in check_file(garbage).findings[0].regel

    for bad_name, fragment in [("casussen.csv", "patroon"), ("groningen_casussen_2024-Q2.csv", "onbekende proeftuin"),
                               ("flevoland_cases_2024-Q2.csv", "onbekende soort"), (f"{NAME}.txt", "bestandstype")]:
        p = tmp_path / bad_name
        p.write_text("x")
        fr = check_file(p)
        assert fr.status == "afgewezen" and fragment in fr.findings[0].regel, bad_name


def test_flags_instead_of_file_name(tmp_path):
    from dashboard.ingest import Override

    p = write_csv(tmp_path / "export uit systeem.csv", [casus()])
    assert check_file(p).status == "afgewezen"
    assert check_file(p, Override("flevoland", "casussen", "2024-Q2")).status == "geaccepteerd"


def test_same_file_twice_changes_nothing_and_says_so(tmp_path):
    path = write_csv(tmp_path / f"{NAME}.csv", three_cases())
    store = Store(tmp_path / "store")
    ingest_files([path], store)
    snapshot = store.current_snapshot()
    (fr,) = ingest_files([path], store).files
    assert fr.repeated and "al eerder ontvangen (levering 1" in fr.message
    assert store.current_snapshot() == snapshot
    assert snapshot_rows(store, "SELECT count(*) FROM leveringen") == [(1,)]


def test_same_file_twice_in_one_batch_is_logged_once(tmp_path):
    """The delivery log of a batch is written at its end: the second copy is still compared with
    the first, and a rejected file keeps its own report beside an accepted one."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    good = write_csv(tmp_path / f"{NAME}.csv", three_cases())
    again = tmp_path / "a" / f"{NAME}.csv"
    again.write_bytes(good.read_bytes())
    bad = write_csv(tmp_path / "b" / f"{NAME}.csv", [casus(instroomroute="onbekend")])
    store = Store(tmp_path / "store")
    first, second, rejected = ingest_files([good, again, bad], store).files
    assert (first.levering_id, first.status, first.repeated) == (1, "geaccepteerd", False)
    assert (second.levering_id, second.status, second.repeated) == (1, "ongewijzigd", True)
    assert "al eerder ontvangen (levering 1, geaccepteerd)" in second.message
    assert (rejected.levering_id, rejected.status) == (2, "afgewezen")
    assert snapshot_rows(store, "SELECT levering_id, status, rijen, in_gebruik FROM leveringen ORDER BY 1") == [
        (1, "geaccepteerd", 3, True), (2, "afgewezen", 1, False)]
    reports = dict(snapshot_rows(store, "SELECT levering_id, rapport FROM foutrapporten"))
    assert b"instroomroute" in bytes(reports[2]) and b"instroomroute" not in bytes(reports.get(1, b""))
    # A rejected delivery leaves the accepted one in force.
    assert snapshot_rows(store, "SELECT count(*) FROM casussen_actueel") == [(3,)]


def test_new_delivery_for_same_period_replaces_the_earlier_in_the_figures(tmp_path):
    store = Store(tmp_path / "store")
    (tmp_path / "a").mkdir()
    first = write_csv(tmp_path / "a" / f"{NAME}.csv", three_cases())
    second = write_csv(tmp_path / f"{NAME}.csv", three_cases()[:1])
    ingest_files([first], store, ontvangen=dt.date(2024, 7, 5))
    ingest_files([second], store, ontvangen=dt.date(2024, 7, 20))
    assert snapshot_rows(store, "SELECT count(*) FROM casussen_actueel") == [(1,)]
    assert snapshot_rows(store, "SELECT levering_id, rijen, in_gebruik FROM leveringen ORDER BY 1") == [
        (1, 3, False), (2, 1, True)]


def test_rejected_delivery_leaves_the_accepted_one_in_force(tmp_path):
    store = Store(tmp_path / "store")
    good = write_csv(tmp_path / f"{NAME}.csv", three_cases())
    (tmp_path / "b").mkdir()
    bad = write_csv(tmp_path / "b" / f"{NAME}.csv", [casus(instroomroute="onbekend")])
    ingest_files([good], store)
    assert not ingest_files([bad], store).all_accepted
    assert snapshot_rows(store, "SELECT count(*) FROM casussen_actueel") == [(3,)]
    assert snapshot_rows(store, "SELECT status, in_gebruik FROM leveringen ORDER BY levering_id") == [
        ("geaccepteerd", True), ("afgewezen", False)]


def test_archive_is_content_addressed_and_private(tmp_path):
    store = Store(tmp_path / "store")
    path = write_csv(tmp_path / f"{NAME}.csv", [casus(instroomroute="fout")])
    (fr,) = ingest_files([path], store).files
    archived = store.archive_dir / fr.checksum
    assert archived.read_bytes() == path.read_bytes()
    assert stat.S_IMODE(archived.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.archive_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.snapshots_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE(store.current_snapshot().stat().st_mode) == 0o600
    # The report: next to the delivery and in the store, Dutch Excel CSV.
    report = path.with_name(path.name + ".fouten.csv").read_bytes()
    assert report.startswith(b"\xef\xbb\xbfbestand;rij;kolom;waarde;regel;ernst\r\n")
    assert f"{path.name};2;instroomroute;fout;".encode() in report
    assert snapshot_rows(store, "SELECT rapport FROM foutrapporten WHERE levering_id = ?", [fr.levering_id]) == [
        (report,)]


def run_cli(*args, cwd=PROJECT):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_exit_codes_and_validate_writes_nothing(tmp_path):
    store_dir = tmp_path / "store"
    good = write_csv(tmp_path / f"{NAME}.csv", three_cases())
    bad = write_csv(tmp_path / "flevoland_casussen_2024-Q3.csv", [casus(aantal_minderjarigen=99)])
    r = run_cli("--data-dir", str(store_dir), "validate", str(good), str(bad))
    assert r.returncode == 1
    assert "rij 2, kolom aantal_minderjarigen: '99' - buiten het bereik 0 t/m 15" in r.stdout
    assert not store_dir.exists()
    r = run_cli("--data-dir", str(store_dir), "ingest", str(good), "--ontvangen", "2024-07-08")
    assert r.returncode == 0, r.stdout + r.stderr
    r = run_cli("--data-dir", str(store_dir), "ingest", str(bad), str(good))
    assert r.returncode == 1 and "al eerder ontvangen" in r.stdout
    assert run_cli("--data-dir", str(store_dir), "ingest", str(tmp_path / "bestaat-niet.csv")).returncode == 2
    assert run_cli("--data-dir", str(store_dir), "ingest", str(good), "--periode", "2024-Q5").returncode == 2
    assert run_cli("--data-dir", str(store_dir), "export", "bestaat-niet").returncode == 2
    assert run_cli("--data-dir", str(store_dir), "nonsense").returncode == 2


def test_purge_removes_file_report_and_rows_and_logs_who(tmp_path):
    store_dir = tmp_path / "store"
    good = write_csv(tmp_path / f"{NAME}.csv", three_cases())
    (tmp_path / "b").mkdir()
    bad = write_csv(tmp_path / "b" / "flevoland_casussen_2024-Q3.csv", [casus(instroomroute="x")])
    store = Store(store_dir)
    ingest_files([good, bad], store)
    checksum = snapshot_rows(store, "SELECT checksum FROM leveringen WHERE levering_id = 1")[0][0]
    r = run_cli("--data-dir", str(store_dir), "purge", "--levering", "1", "--door", "beheerder-a")
    assert r.returncode == 0, r.stderr
    assert not (store.archive_dir / checksum).exists()
    assert snapshot_rows(store, "SELECT count(*) FROM casussen") == [(0,)]
    # No older snapshot with the purged rows stays behind.
    assert list(store.snapshots_dir.glob("*.duckdb")) == [store.current_snapshot()]
    assert snapshot_rows(store, "SELECT status, in_gebruik, verwijderd_door, verwijderd_op IS NOT NULL FROM leveringen "
                                "WHERE levering_id = 1") == [("verwijderd", False, "beheerder-a", True)]
    r = run_cli("--data-dir", str(store_dir), "purge", "--levering", "2", "--door", "beheerder-a")
    assert r.returncode == 0
    assert snapshot_rows(store, "SELECT count(*) FROM foutrapporten") == [(0,)]
    assert run_cli("--data-dir", str(store_dir), "purge", "--levering", "99").returncode == 2


def test_size_limits_and_zip_bomb(tmp_path, monkeypatch):
    import zipfile

    bomb = tmp_path / f"{NAME}.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * 50_000_000)
    assert bomb.stat().st_size < 1_000_000
    fr = check_file(bomb)
    assert fr.status == "afgewezen" and "gecomprimeerd" in fr.findings[0].regel

    (tmp_path / "c").mkdir()
    path = write_csv(tmp_path / "c" / f"{NAME}.csv", three_cases())
    monkeypatch.setenv("MONITOR_MAX_ROWS", "2")
    assert "rijen; de grens is 2" in check_file(path).findings[0].regel
    monkeypatch.setenv("MONITOR_MAX_ROWS", "10")
    monkeypatch.setenv("MONITOR_MAX_FILE_MB", "0")
    assert "de grens is 0 MB" in check_file(path).findings[0].regel


def test_case_before_the_proeftuin_start_is_accepted_with_a_warning(tmp_path):
    # flevoland started 2022-11-01 (data/reference/proeftuinen.csv): its first quarter is 2022-Q4.
    path = write_csv(tmp_path / f"{NAME}.csv", [casus(datum_aanmelding=dt.date(2022, 9, 30), datum_start_hulp=None),
                                                casus(casus_id="FL-2", datum_aanmelding=dt.date(2022, 10, 1),
                                                      datum_start_hulp=None)])
    fr = check_file(path)
    assert fr.status == "geaccepteerd"
    assert [(f.rij, f.kolom, f.ernst) for f in fr.findings] == [(2, "datum_aanmelding", "waarschuwing")]
    assert "2022-Q4" in fr.findings[0].regel


def test_the_correction_received_last_stays_in_force_whatever_the_ingest_order(tmp_path):
    # An operator catching up on a mailbox ingests the correction (received 29-07, one case)
    # before the original (received 08-07, three cases): the correction is the one in force.
    store = Store(tmp_path / "store")
    (tmp_path / "a").mkdir()
    correction = write_csv(tmp_path / "a" / f"{NAME}.csv", three_cases()[:1])
    original = write_csv(tmp_path / f"{NAME}.csv", three_cases())
    ingest_files([correction], store, ontvangen=dt.date(2024, 7, 29))
    ingest_files([original], store, ontvangen=dt.date(2024, 7, 8))
    assert snapshot_rows(store, "SELECT levering_id, rijen, in_gebruik FROM leveringen ORDER BY 1") == [
        (1, 1, True), (2, 3, False)]
    assert snapshot_rows(store, "SELECT count(*) FROM casussen_actueel") == [(1,)]
    # Received the same day: the one ingested last (a third file, two cases, id 3).
    (tmp_path / "b").mkdir()
    same_day = write_csv(tmp_path / "b" / f"{NAME}.csv", three_cases()[:2])
    ingest_files([same_day], store, ontvangen=dt.date(2024, 7, 29))
    assert snapshot_rows(store, "SELECT levering_id FROM leveringen WHERE in_gebruik") == [(3,)]
    assert snapshot_rows(store, "SELECT count(*) FROM casussen_actueel") == [(2,)]


def test_a_batch_of_big_and_small_files_shows_values_as_written_and_stores_rows_in_file_order(tmp_path, monkeypatch):
    # Files of 3 rows or more count as big here: typed straight from their own tables, while the
    # small one is gathered first. The check keeps a text only where it does not parse, so the
    # findings read the values again from the files: as written, not as typed or normalised.
    monkeypatch.setattr("dashboard.validate.BIG_FILE_ROWS", 3)
    big_bad = write_csv(tmp_path / "flevoland_casussen_2024-Q2.csv", [
        casus(casus_id="FL-1"),
        casus(casus_id="FL-2", datum_start_hulp=dt.date(2024, 4, 1)),  # before datum_aanmelding 02-04-2024
        casus(casus_id="FL-3", aantal_minderjarigen=16),
    ], style="nl")
    small_bad = write_csv(tmp_path / "utrecht_casussen_2024-Q2.csv",
                          [casus(casus_id="UT-1", proeftuin="utrecht", instroomroute="Huis Arts")], style="iso")
    big_good = write_csv(tmp_path / "zeeland_casussen_2024-Q2.csv",
                         [casus(casus_id=f"ZL-{i}", proeftuin="zeeland") for i in (3, 1, 2)], style="iso")
    store = Store(tmp_path / "store")
    flevoland, utrecht, zeeland = ingest_files([big_bad, small_bad, big_good], store).files
    assert [(f.rij, f.kolom, f.waarde, f.ernst) for f in flevoland.findings] == [
        (3, "datum_start_hulp", "01-04-2024", "fout"), (4, "aantal_minderjarigen", "16", "fout")]
    assert [(f.rij, f.kolom, f.waarde) for f in utrecht.findings] == [(2, "instroomroute", "Huis Arts")]
    assert (flevoland.status, utrecht.status, zeeland.status) == ("afgewezen", "afgewezen", "geaccepteerd")
    assert snapshot_rows(store, "SELECT casus_id FROM casussen") == [("ZL-3",), ("ZL-1",), ("ZL-2",)]


def test_a_batch_validated_in_many_passes_keeps_every_file_apart(tmp_path, monkeypatch):
    """A pass of validation ends when the files of one soort read so far hold PASS_BYTES: that pass
    drops the raw tables of its own soort only, while the files of the other soorten read before
    it still wait for their pass at the end of the batch."""
    import dashboard.ingest as ingest

    (tmp_path / "q3").mkdir()
    team = write_csv(tmp_path / "flevoland_teamleden_2024-Q2.csv", [teamlid(), teamlid(fte=0.5, rol="jurist")])
    themes = write_csv(tmp_path / "flevoland_themas_2024-Q2.csv", [thema()], style="iso")
    cases = write_csv(tmp_path / f"{NAME}.csv", three_cases())
    bad = write_csv(tmp_path / "flevoland_casussen_2024-Q3.csv", [casus(instroomroute="onbekend")])
    later = write_csv(tmp_path / "q3" / "flevoland_casussen_2024-Q3.csv",
                      [casus(casus_id="FL-0004", datum_aanmelding=dt.date(2024, 8, 1),
                             datum_start_hulp=dt.date(2024, 8, 5))], style="win")
    # The three cases fill a pass on their own; the team and themes files are smaller and wait.
    assert max(team.stat().st_size, themes.stat().st_size) < cases.stat().st_size
    monkeypatch.setattr(ingest, "PASS_BYTES", cases.stat().st_size)
    passes = []
    validate = ingest._validate_pass
    monkeypatch.setattr(ingest, "_validate_pass", lambda con, soort, items, *rest: (
        passes.append((soort, [it.bestand for it in items])), validate(con, soort, items, *rest))[1])
    store = Store(tmp_path / "store")
    files = ingest_files([team, themes, cases, bad, later], store).files
    assert passes[0] == ("casussen", [2]) and sorted(passes[1:]) == [
        ("casussen", [3, 4]), ("teamleden", [0]), ("themas", [1])]
    assert [f.status for f in files] == ["geaccepteerd", "geaccepteerd", "geaccepteerd", "afgewezen", "geaccepteerd"]
    assert [f.validation.rows for f in files] == [2, 1, 3, 1, 1]
    # Three cases of Q2 and one of Q3, each under its own delivery; the rejected file stored none.
    assert snapshot_rows(store, "SELECT levering_id, casus_id FROM casussen ORDER BY casus_id") == [
        (files[2].levering_id, "FL-0001"), (files[2].levering_id, "FL-0002"), (files[2].levering_id, "FL-0003"),
        (files[4].levering_id, "FL-0004")]
    assert snapshot_rows(store, "SELECT rol, fte FROM teamleden ORDER BY fte") == [("jurist", 0.5), ("gezinsprofessional", 0.8)]
    assert snapshot_rows(store, "SELECT thema FROM themas") == [("verklarende_analyse",)]
