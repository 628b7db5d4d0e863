"""Numbers, dates and text the Dutch way, as every page, table and figure shows them."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd


def format_nl(number: float | int | None, decimals: int = 0) -> str:
    """Format a number the Dutch way: 1234.5 -> '1.234,5'. None, NaN or NA -> '–'."""
    if number is None or pd.isna(number):
        return "–"
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_percent_nl(percentage: float | None, decimals: int = 1) -> str:
    """A percentage the Dutch way: 63.4 -> '63,4%'. None, NaN or NA -> '–'."""
    if percentage is None or pd.isna(percentage):
        return "–"
    return f"{format_nl(percentage, decimals)}%"


def format_date_nl(value) -> str:
    """A date as dd-mm-jjjj, or '–' when unknown."""
    return value.strftime("%d-%m-%Y") if value is not None else "–"


MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


def format_date_long_nl(value) -> str:
    """A date written out the Dutch way: '1 november 2022'; '–' when unknown.

    Not via strftime('%B'): that follows the server's locale, which is English in containers.
    """
    if value is None or pd.isna(value):
        return "–"
    return f"{value.day} {MAANDEN[value.month - 1]} {value.year}"


# Long Dutch compounds with their soft hyphens (U+00AD): Chromium has no Dutch hyphenation
# offline, and without them a narrow card or slide breaks "Kinderbeschermingsmaatregel" anywhere.
SOFT_HYPHENS = {
    "Kinderbeschermingsmaatregel": "Kinder\u00adbeschermings\u00admaatregel",
    "Ervaringsdeskundige": "Ervarings\u00addeskundige",
    "ervaringsdeskundige": "ervarings\u00addeskundige",
    "Gedragswetenschapper": "Gedrags\u00adwetenschapper",
    "Vertrouwensarts": "Vertrouwens\u00adarts",
    "Toegankelijkheidsverklaring": "Toegankelijkheids\u00adverklaring",
}


def breakable(text: str) -> str:
    """The text with soft hyphens in the long compounds of SOFT_HYPHENS."""
    for word, hyphenated in SOFT_HYPHENS.items():
        text = text.replace(word, hyphenated)
    return text


def shown(value, decimals: int = 0) -> str:
    """A cell as shown: Dutch digits, '<5' unchanged, None/NaN as '–'."""
    if isinstance(value, str):
        return value
    return format_nl(value, decimals)


def format_cell(value) -> str:
    """A table cell the Dutch way: 1.234 · 63,4 · 0,125 · dd-mm-jjjj · ja/nee · '<5' · '–'."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (dt.date, pd.Timestamp)):
        return format_date_nl(value)
    try:
        if pd.isna(value):
            return "–"
    except (TypeError, ValueError):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        return format_nl(value, 3).rstrip("0").rstrip(",")
    try:
        return format_nl(value, 0)
    except (TypeError, ValueError):
        return str(value)


def first_sentence(text: str) -> str:
    """The one-line definition: the registry definition up to its first full stop."""
    m = re.search(r"\.(\s|$)", text)
    return text[: m.start() + 1] if m else text



def to_date(value) -> dt.date | None:
    """A date from a stored value (date, Timestamp, datetime or a missing value)."""
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def precise_date(value, precisie: str | None) -> str:
    """A date as precisely as it is known: '10 januari 2023', 'december 2021', '4e kwartaal 2021',
    '2023'; 'onbekend' without a date. A date with a precision is the first day of its unit."""
    day = to_date(value)
    if day is None:
        return "onbekend"
    if precisie == "maand":
        return f"{MAANDEN[day.month - 1]} {day.year}"
    if precisie == "kwartaal":
        return f"{(day.month - 1) // 3 + 1}e kwartaal {day.year}"
    if precisie == "jaar":
        return str(day.year)
    return format_date_long_nl(day)
