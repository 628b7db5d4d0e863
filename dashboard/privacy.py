"""The privacy gate of ingest: no direct identifiers may enter the store.

A delivery is rejected when a column name looks like a direct identifier, or when any value in
any column looks like a BSN (nine digits passing the elfproef), an e-mail address or a Dutch
phone number. Findings name the column and the first row, never the value.
"""

from __future__ import annotations

import re

import duckdb

# Column names (normalised: lower case, only letters and digits) that identify a person.
IDENTIFIER_NAMES = frozenset({
    "naam", "voornaam", "voornamen", "achternaam", "tussenvoegsel", "roepnaam", "geslachtsnaam",
    "naamkind", "naamouder", "naamcliënt", "naamclient", "volledigenaam", "achternaamkind",
    "bsn", "burgerservicenummer", "sofinummer", "bsnkind", "bsnouder",
    "geboortedatum", "gebdatum", "geboortedag", "geborenop", "dateofbirth", "dob",
    "adres", "woonadres", "straat", "straatnaam", "huisnummer", "huisnr", "postcode", "postalcode",
    "telefoon", "telefoonnummer", "telnr", "tel", "mobiel", "mobielnummer", "gsm", "phone",
    "email", "emailadres", "mail", "mailadres",
    "name", "firstname", "lastname", "address", "street",
})
_STARTS = ("naam", "bsn", "burgerservicenummer", "geboortedatum", "adres", "straat", "huisnummer",
           "postcode", "telefoon", "email")
# 'naam' is not among the endings: teamnaam and organisatienaam are no personal data.
_ENDS = ("voornaam", "achternaam", "bsn", "geboortedatum", "adres", "postcode", "telefoon",
         "telefoonnummer", "email", "mailadres")


def identifier_column(header: str) -> bool:
    """Whether a column name looks like a direct identifier (naam, BSN, adres, ...)."""
    compact = re.sub(r"[^a-z0-9ë]", "", header.lower())
    if not compact:
        return False
    if compact in IDENTIFIER_NAMES:
        return True
    tokens = [t for t in re.split(r"[^a-z0-9ë]+", header.lower()) if t]
    return (any(t in IDENTIFIER_NAMES for t in tokens) or compact.startswith(_STARTS)
            or compact.endswith(_ENDS))


def _at_least_digits(ref: str, n: int) -> str:
    # A cheap first test that keeps the rules' expressions off most values: on 2 cores this
    # regular expression (a DFA) scans a million values in 0.1 s, counting with translate took 0.4 s.
    return f"regexp_matches({ref}, '[0-9](?:[^0-9]*[0-9]){{{n - 1}}}')"


def _bsn(ref: str) -> str:
    # The first group of exactly nine digits in the value, alone or inside a text.
    d = f"regexp_extract({ref}, '(?:^|[^0-9])([0-9]{{9}})(?:[^0-9]|$)', 1)"
    weights = " + ".join(f"{10 - i} * TRY_CAST(substr({d}, {i}, 1) AS INTEGER)" for i in range(1, 9))
    return (f"CASE WHEN {_at_least_digits(ref, 9)} THEN "
            f"{d} <> '' AND {d} <> '000000000' AND ({weights} - TRY_CAST(substr({d}, 9, 1) AS INTEGER)) % 11 = 0 "
            "ELSE false END")


def _email(ref: str) -> str:
    return (f"CASE WHEN contains({ref}, '@') THEN "
            f"regexp_matches({ref}, '[A-Za-z0-9._%+\\-]+@[A-Za-z0-9\\-]+(\\.[A-Za-z0-9\\-]+)*\\.[A-Za-z]{{2,}}') "
            "ELSE false END")


def _phone(ref: str) -> str:
    # 06-12345678, 010 123 45 67, +31 6 1234 5678, alone or inside a text; not a date.
    return (f"CASE WHEN {_at_least_digits(ref, 10)} THEN "
            f"regexp_matches({ref}, '(^|[^0-9+])(\\+31|0031|0)[ \\-]?[1-9]([ \\-]?[0-9]){{8}}([^0-9]|$)') "
            "ELSE false END")


KINDS = (("bsn", _bsn, "lijkt een BSN (negen cijfers die de elfproef doorstaan)"),
         ("email", _email, "lijkt een e-mailadres"),
         ("telefoon", _phone, "lijkt een Nederlands telefoonnummer"))


# Columns per scan query: DuckDB's memory for one query grows with the square of its number of
# expressions (a header of 600 unknown columns took 12 GB in one query).
SCAN_COLUMNS = 32


def scan_values(con: duckdb.DuckDBPyConnection, table: str,
                columns: dict[str, tuple[str, str]]) -> list[tuple[int, str, str, int, int]]:
    """(bestand, column, rule, count, first row) for every file and column with identifying
    values, in one scan of ``table`` (which has the columns ``bestand`` and ``rij``), in the
    order of ``columns`` and KINDS.

    ``columns`` maps a column name to (SQL of its text in ``table``, SQL condition of the rows
    worth scanning); a valid date, number or code cannot identify anyone, so typed columns
    only need their invalid values scanned.
    """
    if not columns:
        return []
    if len(columns) > SCAN_COLUMNS:
        items = list(columns.items())
        parts = [scan_values(con, table, dict(items[i:i + SCAN_COLUMNS])) for i in range(0, len(items), SCAN_COLUMNS)]
        return sorted((hit for part in parts for hit in part), key=lambda hit: hit[0])  # stable: column order kept
    aggregates = []
    for ref, worth in columns.values():
        for _kind, expr, _rule in KINDS:
            # CASE, not AND: DuckDB evaluates both sides of an AND, a CASE only where needed.
            cond = f"CASE WHEN {worth} THEN {expr(ref)} ELSE false END"
            aggregates.append(f"count(*) FILTER ({cond}), min(rij) FILTER ({cond})")
    out = []
    for bestand, *row in con.execute(
            f"SELECT bestand, {', '.join(aggregates)} FROM {table} GROUP BY bestand ORDER BY bestand").fetchall():
        k = 0
        for name in columns:
            for _kind, _expr, rule in KINDS:
                count, first = row[k], row[k + 1]
                k += 2
                if count:
                    out.append((bestand, name, rule, count, first))
    return out
