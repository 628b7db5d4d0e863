"""Excel output of figure data: the figure's rows with a title, and a sheet that explains them.

Sheet "Gegevens": a title row, a line with the filters and the peildatum, the protection note,
then the rows of the figure exactly as its CSV download gives them (numbers as numbers, dates
as dates, '<5' as text), with a label column next to every code column. Sheet "Toelichting":
the definition, teller and noemer, the filters, the peildatum, the source and the protection
note. No cell can become a formula or a link: the workbook is written with xlsxwriter's
conversions of strings to formulas, numbers and URLs switched off, so '=1+1' stays text.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable

import pandas as pd
import xlsxwriter

from dashboard.ui.vocab import ORGANISATIE_LABELS, ROL_LABELS

from . import reference

DATA_SHEET = "Gegevens"
NOTES_SHEET = "Toelichting"
HEADER_ROW = 4  # 0-based: title, filters, protection note, blank line, then the column names
SOURCE = "Proeftuinmonitor, landelijk programmateam Toekomstscenario kind- en gezinsbescherming"
DATE_FORMAT = "dd-mm-jjjj"
XLSX_DATE_FORMAT = "dd-mm-yyyy"  # Excel's own code; Dutch Excel shows it as dd-mm-jjjj


def _reference_labels(name: str, key: str = "code", value: str = "label") -> dict[str, str]:
    return {r[key]: r[value] for r in reference.read_rows(name)}


def code_labels() -> dict[str, Callable[[], dict[str, str]]]:
    """Column name -> a function giving {code: Dutch label} for the code columns of the figures."""
    return {
        "proeftuin": lambda: {p.code: p.naam for p in reference.proeftuinen()},
        "thema": lambda: _reference_labels("themas.csv"),
        "leefgebied": lambda: _reference_labels("leefgebieden.csv"),
        "organisatie": lambda: dict(ORGANISATIE_LABELS),
        "rol": lambda: dict(ROL_LABELS),
    }


def filters_text(filters) -> str:
    """The filters of a figure in words: 'tranche 2; proeftuinen Flevoland, Friesland; 2024-Q1 t/m 2024-Q4'."""
    names = {p.code: p.naam for p in reference.proeftuinen()}
    parts = []
    if filters.tranche:
        parts.append(f"tranche {filters.tranche}")
    if filters.proeftuinen:
        parts.append("proeftuin" + ("en " if len(filters.proeftuinen) > 1 else " ")
                     + ", ".join(names.get(p, p) for p in filters.proeftuinen))
    if filters.van or filters.tot:
        parts.append(f"{filters.van or 'eerste kwartaal'} t/m {filters.tot or 'laatste kwartaal'}")
    return "; ".join(parts) or "geen (alle proeftuinen, alle kwartalen)"


def _format_date(value: dt.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "onbekend"


def _with_labels(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with '<code column> (naam)' inserted right after every known code column."""
    out = df.copy()
    for column, labels in code_labels().items():
        if column in out.columns and f"{column}_naam" not in out.columns:
            mapping = labels()
            position = list(out.columns).index(column) + 1
            out.insert(position, f"{column}_naam",
                       out[column].map(lambda v: mapping.get(v, "") if isinstance(v, str) else ""))
    return out


def _plain(value):
    """A cell value as a Python number, date, bool text or string; None for blank."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value


def to_xlsx_bytes(figure, peildatum: dt.date | None, made: dt.date | None = None) -> bytes:
    """The XLSX file of one figure's data (a dashboard.figuredata.FigureData)."""
    made = made or dt.date.today()
    indicator = figure.indicator
    df = _with_labels(figure.df)
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    })
    book.set_properties({"title": indicator.titel, "subject": indicator.definitie, "company": SOURCE,
                         "comments": f"Figuur {indicator.id}; peildatum {_format_date(peildatum)}"})
    title = book.add_format({"bold": True, "font_size": 14})
    bold = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    date = book.add_format({"num_format": XLSX_DATE_FORMAT})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    integer = book.add_format({"num_format": "#,##0"})
    decimal = book.add_format({"num_format": "#,##0.0##"})

    sheet = book.add_worksheet(DATA_SHEET)
    sheet.write_string(0, 0, indicator.titel, title)
    sheet.write_string(1, 0, f"Filters: {filters_text(figure.filters)} · peildatum {_format_date(peildatum)} · "
                             f"gemaakt op {_format_date(made)}")
    sheet.write_string(2, 0, figure.note or "Zonder bescherming van kleine aantallen (alleen voor het programmateam).")
    widths = []
    for col, name in enumerate(df.columns):
        sheet.write_string(HEADER_ROW, col, str(name), bold)
        widths.append(max(10, len(str(name)) + 2))
    for r, row in enumerate(df.itertuples(index=False, name=None), start=HEADER_ROW + 1):
        for c, raw in enumerate(row):
            value = _plain(raw)
            if value is None:
                sheet.write_blank(r, c, None)
            elif isinstance(value, (dt.date, dt.datetime)):
                sheet.write_datetime(r, c, value if isinstance(value, dt.datetime)
                                     else dt.datetime.combine(value, dt.time()), date)
                widths[c] = max(widths[c], 12)
            elif isinstance(value, int):
                sheet.write_number(r, c, value, integer)
            elif isinstance(value, float):
                sheet.write_number(r, c, value, decimal)
            else:
                text = str(value)
                sheet.write_string(r, c, text)
                widths[c] = min(60, max(widths[c], len(text) + 2))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    if len(df.columns):
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + len(df), len(df.columns) - 1)

    notes = book.add_worksheet(NOTES_SHEET)
    notes.set_column(0, 0, 28)
    notes.set_column(1, 1, 100)
    rounded = ", ".join(indicator.protection.rounded)
    lines = [
        ("Figuur", indicator.titel),
        ("Figuur-id", indicator.id),
        ("Definitie", indicator.definitie),
        ("Eenheid", indicator.eenheid),
        ("Teller", indicator.teller),
        ("Noemer", indicator.noemer),
        ("Filters", filters_text(figure.filters)),
        ("Peildatum", _format_date(peildatum)),
        ("Gemaakt op", _format_date(made)),
        ("Bron", f"{SOURCE}; gegevens uit {indicator.bron}" if indicator.bron else SOURCE),
        ("Bescherming kleine aantallen", figure.note or "Niet toegepast: deze gegevens zijn alleen voor het "
                                                        "programmateam en mogen zo niet gedeeld worden."),
        ("Afgeronde kolommen", rounded or "geen"),
        ("Kolommen met '_naam'", "De naam bij de code in de kolom ervoor."),
        ("Datumnotatie", DATE_FORMAT),
    ]
    notes.write_string(0, 0, "Toelichting", title)
    for r, (key, value) in enumerate([(k, v) for k, v in lines if v], start=2):
        notes.write_string(r, 0, key, bold)
        notes.write_string(r, 1, str(value), wrap)
    book.close()
    return buf.getvalue()


def xlsx_filename(csv_name: str) -> str:
    """The XLSX name for a CSV download name: same figure, filters and date."""
    return csv_name[: -len(".csv")] + ".xlsx" if csv_name.endswith(".csv") else csv_name + ".xlsx"
