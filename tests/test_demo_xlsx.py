"""The demo's own XLSX writer: every cell reads back as written, as XlsxWriter's workbook does."""

from __future__ import annotations

import datetime as dt
import zipfile

import duckdb
import openpyxl
import xlsxwriter
from python_calamine import CalamineWorkbook

from dashboard.demo_xlsx import write_workbook
from dashboard.readers import read_into

CREATED = dt.datetime(2024, 4, 8, 9, 0)
HEADER = ("tekst", "getal", "datum", "janee", "leeg")
ROWS = [
    ("A & B <c>", 3, dt.date(2024, 2, 29), True, None),
    ("  spaties rond ", 0.25, dt.date(1999, 12, 31), False, None),
    ("regel\r\nnieuw\x01", -12.5, None, None, None),
    ("_x0041_ blijft tekst", 1e15, dt.date(2024, 1, 1), True, "laatste"),
]


def test_cells_read_back_as_written(tmp_path):
    path = tmp_path / "uit.xlsx"
    write_workbook(path, "casussen", HEADER, ROWS, CREATED, ("ja", "nee"))
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["casussen"]
    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    # Day numbers by hand: 2024-02-29 is day 45351 of Excel's 1900 system, 1999-12-31 day 36525.
    assert rows == [
        list(HEADER),
        ["A & B <c>", 3.0, dt.date(2024, 2, 29), "ja", ""],
        ["  spaties rond ", 0.25, dt.date(1999, 12, 31), "nee", ""],
        ["regel\r\nnieuw\x01", -12.5, "", "", ""],
        ["_x0041_ blijft tekst", 1e15, dt.date(2024, 1, 1), "ja", "laatste"],
    ]
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="C2" s="1"><v>45351</v></c>' in sheet and '<c r="C3" s="1"><v>36525</v></c>' in sheet
    assert '<dimension ref="A1:E5"/>' in sheet


def test_openpyxl_sees_date_cells_with_the_dutch_format(tmp_path):
    path = tmp_path / "uit.xlsx"
    write_workbook(path, "teamleden", HEADER, ROWS, CREATED, ("ja", "nee"))
    sheet = openpyxl.load_workbook(path).active
    assert sheet.title == "teamleden"
    assert sheet["C2"].value == dt.datetime(2024, 2, 29) and sheet["C2"].number_format == "dd-mm-yyyy"
    assert sheet["B5"].value == 1e15 and sheet["A3"].value == "  spaties rond "
    assert sheet["E2"].value is None and sheet["E5"].value == "laatste"


def test_reads_into_the_monitor_as_an_xlsxwriter_workbook_does(tmp_path):
    ours, theirs = tmp_path / "ons.xlsx", tmp_path / "xlsxwriter.xlsx"
    write_workbook(ours, "casussen", HEADER, ROWS, CREATED, ("ja", "nee"))
    book = xlsxwriter.Workbook(str(theirs))
    date_cell = book.add_format({"num_format": "dd-mm-yyyy"})
    sheet = book.add_worksheet("casussen")
    sheet.write_row(0, 0, HEADER)
    for r, row in enumerate(ROWS, start=1):
        for c, value in enumerate(row):
            if isinstance(value, bool):
                sheet.write_string(r, c, "ja" if value else "nee")
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, value, date_cell)
            elif isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            elif value is not None:
                sheet.write_string(r, c, value)
    book.close()
    con = duckdb.connect()
    read = []
    for path in (ours, theirs):
        raw = read_into(con, path, "xlsx", "raw")
        read.append((raw.headers, raw.rows, con.execute("SELECT * FROM raw ORDER BY rij").fetchall()))
        con.execute("DROP TABLE raw")
    assert read[0] == read[1]
    assert read[0][2][0] == ("A & B <c>", "3", "2024-02-29", "ja", None, 2)


def test_same_rows_same_bytes(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path in (a, b):
        write_workbook(path, "thema", HEADER, ROWS, CREATED)
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "2024-04-08T09:00:00Z" in z.read("docProps/core.xml").decode()
