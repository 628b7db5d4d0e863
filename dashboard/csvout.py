"""CSV output of figure data: ``csv-nl`` for Dutch Excel and plain ``csv``.

``csv-nl`` (the default and what the download buttons give): ';'-separated, decimal comma,
dates as dd-mm-jjjj. ``csv``: ','-separated, decimal point, ISO dates. Both are UTF-8 with a
byte-order mark: without it a Dutch Excel reads the bytes as Windows-1252 and shows "FryslÃ¢n".
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math

import pandas as pd

from . import config

FORMATS = config.CSV_FORMATS
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value, fmt: str) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        text = format(value, ".15g")
        return text.replace(".", ",") if fmt == "csv-nl" else text
    if isinstance(value, (bool,)):
        return "ja" if value else "nee"
    if isinstance(value, (int,)) or hasattr(value, "dtype"):
        return _cell(value.item(), fmt) if hasattr(value, "item") else str(value)
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y") if fmt == "csv-nl" else value.isoformat()
    text = str(value)
    # A text cell that Excel would evaluate as a formula is shown as text.
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv_bytes(df: pd.DataFrame, fmt: str = "csv-nl") -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"onbekend formaat '{fmt}'; kies csv-nl of csv")
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if fmt == "csv-nl" else ",", lineterminator="\r\n")
    writer.writerow([str(c) for c in df.columns])
    for row in df.itertuples(index=False, name=None):
        writer.writerow([_cell(v, fmt) for v in row])
    text = buf.getvalue()
    return text.encode("utf-8-sig")


def download_filename(figure_id: str, filters, today: dt.date | None = None) -> str:
    """'<figure-id>_<filters>_<date>.csv', e.g. instroom-per-kwartaal_tranche-2_2026-11-28.csv"""
    today = today or dt.date.today()
    return f"{figure_id}_{filters.slug()}_{today.isoformat()}.csv"
