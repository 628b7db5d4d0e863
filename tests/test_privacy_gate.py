"""The privacy gate: direct identifiers are rejected, and their values never echoed."""

from __future__ import annotations

import duckdb
import pytest

from dashboard import contract
from dashboard.ingest import check_file, ingest_files, report_csv
from dashboard.privacy import identifier_column
from dashboard.store import Store
from tests.exportfiles import casus, teamlid, write_csv, write_parquet, write_xlsx

NAME = "flevoland_casussen_2024-Q2"


@pytest.mark.parametrize("header", ["naam", "Voornaam", "achternaam", "BSN", "burgerservicenummer", "geboortedatum",
                                    "Geb. datum", "adres", "straat", "huisnummer", "postcode", "telefoon",
                                    "telefoonnummer", "e-mail", "E-mailadres", "naam ouder", "bsn_kind", "woonadres"])
def test_identifier_column_names(header):
    assert identifier_column(header)


@pytest.mark.parametrize("header", ["teamnaam", "opmerking", "regio", "gemeente", "leeftijdsgroep"]
                         + [c.name for cols in contract.COLUMNS.values() for c in cols])
def test_ordinary_column_names(header):
    assert not identifier_column(header)


SECRETS = {
    # 111222333: 9*1+8*1+7*1+6*2+5*2+4*2+3*3+2*3-3 = 66 = 6*11, passes the elfproef
    "bsn": "111222333",
    "bsn_in_text": "bsn 111222333 gecontroleerd",
    "email": "j.de.vries@voorbeeld.nl",
    "mobiel": "06-12345678",
    "vast": "010 123 45 67",
    "internationaal": "+31 6 1234 5678",
}


@pytest.mark.parametrize("writer", [write_csv, write_xlsx, write_parquet], ids=["csv", "xlsx", "parquet"])
@pytest.mark.parametrize("kind", list(SECRETS))
def test_identifying_values_reject_without_echo(tmp_path, writer, kind):
    secret = SECRETS[kind]
    ext = {write_csv: ".csv", write_xlsx: ".xlsx", write_parquet: ".parquet"}[writer]
    rows = [casus(), casus(casus_id="FL-0002", toelichting=secret)]
    path = writer(tmp_path / f"{NAME}{ext}", rows, columns=list(casus()) + ["toelichting"])
    store = Store(tmp_path / "store")
    (fr,) = ingest_files([path], store).files
    assert fr.status == "afgewezen"
    hits = [f for f in fr.findings if f.ernst == "fout"]
    assert [(f.rij, f.kolom) for f in hits] == [(3, "toelichting")]
    assert secret not in repr(fr.findings)
    assert secret.encode() not in report_csv(fr)
    con = duckdb.connect(str(store.current_snapshot()), read_only=True)
    try:
        stored = con.execute("SELECT rapport FROM foutrapporten WHERE levering_id = ?", [fr.levering_id]).fetchall()
    finally:
        con.close()
    assert stored and secret.encode() not in stored[0][0]


def test_casus_id_that_is_a_bsn_is_rejected(tmp_path):
    path = write_csv(tmp_path / f"{NAME}.csv", [casus(casus_id="111222333")])
    fr = check_file(path)
    assert fr.status == "afgewezen"
    assert [(f.rij, f.kolom) for f in fr.findings] == [(2, "casus_id")]
    assert "BSN" in fr.findings[0].regel and "111222333" not in repr(fr.findings)


def test_a_nine_digit_number_failing_the_elfproef_is_no_bsn(tmp_path):
    # 123456789: 9+16+21+24+25+24+21+16-9 = 147 = 13*11+4: fails the elfproef
    path = write_csv(tmp_path / f"{NAME}.csv", [casus(casus_id="123456789")])
    assert check_file(path).status == "geaccepteerd"


def test_identifier_column_rejects_teamleden_too(tmp_path):
    path = write_csv(tmp_path / "flevoland_teamleden_2024-Q2.csv", [{**teamlid(), "naam": "Piet"}])
    fr = check_file(path)
    assert fr.status == "afgewezen" and fr.findings[0].kolom == "naam"
    assert "Piet" not in repr(fr.findings)


def test_invalid_value_in_a_typed_column_is_scanned_too(tmp_path):
    path = write_csv(tmp_path / f"{NAME}.csv", [casus(datum_start_hulp="ma@example.org")])
    fr = check_file(path)
    assert "e-mailadres" in " ".join(f.regel for f in fr.findings)
    assert "ma@example.org" not in repr(fr.findings)
