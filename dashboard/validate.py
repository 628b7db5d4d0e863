"""Validation of one delivery against export format v1, in DuckDB SQL over the whole file.

Input: the ``raw`` table made by :mod:`dashboard.readers`. Output: the findings (errors and
warnings, each with row, column, value and rule, in Dutch) and, when there are no errors, the
table ``typed`` with the delivery's rows in their stored types.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import duckdb

from . import contract, privacy, reference
from .contract import Column
from .readers import RawTable

FOUT = "fout"
WAARSCHUWING = "waarschuwing"

PRIVACY_COLUMN_RULE = ("kolomnaam wijst op een direct identificerend gegeven (naam, BSN, geboortedatum, adres, "
                       "telefoon of e-mail); zulke gegevens mogen niet worden aangeleverd")

# The report lists at most this many findings; the counts are always complete.
MAX_FINDINGS = 100_000


@dataclass(frozen=True)
class Finding:
    rij: int  # Excel row; 0 = the file as a whole
    kolom: str
    waarde: str
    regel: str
    ernst: str = FOUT


@dataclass
class Validation:
    findings: list[Finding]
    errors: int
    warnings: int
    rows: int  # data rows kept (non-empty)

    @property
    def ok(self) -> bool:
        return self.errors == 0


def normalise_header(name: str) -> str:
    """'  Datum Aanmelding ' -> 'datum_aanmelding'."""
    name = name.replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-]+", "_", name)


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _sql_list(values) -> str:
    return "(" + ", ".join(_q(v) for v in values) + ")"


def _code_expr(col: Column, ref: str) -> str:
    if col.name == "proeftuin":
        return f"lower(regexp_replace({ref}, '[\\s_]+', '-', 'g'))"
    return f"lower(regexp_replace({ref}, '[\\s\\-]+', '_', 'g'))"


def _typed_expr(col: Column, ref: str) -> str:
    """SQL that turns the trimmed text ``ref`` into the column's type, NULL when it does not parse."""
    if col.kind in ("text",):
        return ref
    if col.kind == "code":
        return _code_expr(col, ref)
    if col.kind == "date":
        iso = f"regexp_extract({ref}, '^(\\d{{4}}-\\d{{1,2}}-\\d{{1,2}})(?:[ T]00:00(?::00(?:\\.0+)?)?)?$', 1)"
        nl = (f"replace(regexp_extract({ref}, '^(\\d{{1,2}}[-/]\\d{{1,2}}[-/]\\d{{4}})(?:[ T]0?0:00(?::00)?)?$', 1), "
              "'/', '-')")
        return f"CAST(coalesce(try_strptime({iso}, '%Y-%m-%d'), try_strptime({nl}, '%d-%m-%Y')) AS DATE)"
    if col.kind in ("int", "decimal"):
        num = f"TRY_CAST(replace({ref}, ',', '.') AS DOUBLE)"
        if col.kind == "int":
            return f"CASE WHEN {num} = floor({num}) AND abs({num}) < 1e9 THEN CAST({num} AS INTEGER) END"
        return num
    if col.kind == "janee":
        return (f"CASE WHEN lower({ref}) IN {_sql_list(contract.JA)} THEN true "
                f"WHEN lower({ref}) IN {_sql_list(contract.NEE)} THEN false END")
    raise ValueError(col.kind)


_TYPE_RULES = {
    "date": "geen geldige datum (gebruik jjjj-mm-dd of dd-mm-jjjj)",
    "int": "geen geheel getal",
    "decimal": "geen getal (gebruik een decimale komma of punt, zonder duizendtallen)",
    "janee": "geen ja/nee-waarde (toegestaan: ja, nee, j, n, 1, 0, waar, onwaar, true, false, yes, no)",
}

_SQL_TYPES = {"text": "VARCHAR", "code": "VARCHAR", "date": "DATE", "int": "INTEGER",
              "decimal": "DOUBLE", "janee": "BOOLEAN"}


def validate(con: duckdb.DuckDBPyConnection, raw: RawTable, soort: str, proeftuin: str,
             peildatum: dt.date) -> Validation:
    """Check the ``raw`` table as a whole; create ``typed`` when it holds no errors."""
    columns = contract.COLUMNS[soort]
    known = {c.name for c in columns}
    file_findings: list[Finding] = [Finding(r, k, w, regel) for r, k, w, regel in raw.problems]

    positions: dict[str, int] = {}
    scanned: dict[str, int] = {}  # every column with values, known or not, for the privacy gate
    for i, h in enumerate(raw.headers):
        name = normalise_header(h)
        if name == "":
            scanned[f"kolom {i + 1}"] = i
            non_empty = con.execute(f"SELECT count(*) FROM raw WHERE nullif(trim(c{i}), '') IS NOT NULL").fetchall()[0][0]
            if non_empty:
                file_findings.append(Finding(1, f"kolom {i + 1}", "", "kolom zonder naam met waarden; deze kolom wordt genegeerd",
                                             WAARSCHUWING))
            continue
        scanned.setdefault(name, i)
        if name in positions:
            file_findings.append(Finding(1, name, h, f"kolom komt twee keer voor (kolom {positions[name] + 1} en {i + 1})"))
            continue
        positions[name] = i
        if name not in known and privacy.identifier_column(name):
            file_findings.append(Finding(1, name, "", PRIVACY_COLUMN_RULE))
        elif name not in known:
            file_findings.append(Finding(1, name, h, "onbekende kolom; wordt genegeerd", WAARSCHUWING))
    for c in columns:
        if c.required and c.name not in positions:
            file_findings.append(Finding(1, c.name, "", "verplichte kolom ontbreekt"))

    refs = {c.name: (f"nullif(trim(c{positions[c.name]}), '')" if c.name in positions else "CAST(NULL AS VARCHAR)")
            for c in columns}
    present = [f"c{i}" for i in positions.values()] or ["NULL"]
    texts = ", ".join(f'{refs[c.name]} AS "t_{c.name}"' for c in columns)
    typed = ", ".join(f'{_typed_expr(c, refs[c.name])} AS "{c.name}"' for c in columns)
    any_value = ", ".join(f"nullif(trim({p}), '')" for p in present)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE parsed AS
            SELECT rij, {texts}, {typed}
            FROM raw
            WHERE coalesce({any_value}) IS NOT NULL"""
    )

    hits = _privacy_hits(con, columns, positions, scanned)
    file_findings += [Finding(first, name, "", f"{count} {'waarde' if count == 1 else 'waarden'} in deze kolom {rule} "
                              f"(eerste in rij {first}); de waarden worden niet getoond en mogen niet worden aangeleverd")
                      for name, rule, count, first in hits]
    hidden = {name for name, *_ in hits}

    if soort == "casussen":
        # Window functions are not allowed in WHERE: the first row of each casus_id is kept here.
        con.execute("ALTER TABLE parsed RENAME TO parsed_zonder_dubbel")
        con.execute("""CREATE TEMP TABLE parsed AS
                       SELECT *, min(rij) OVER (PARTITION BY "casus_id") AS _dubbel_eerste
                       FROM parsed_zonder_dubbel""")
        con.execute("DROP TABLE parsed_zonder_dubbel")
    checks = _row_checks(columns, soort, proeftuin, peildatum)
    # A missing column is reported once, not again on every row.
    checks = [c for c in checks if c[0] in positions]
    selects = [
        f"SELECT rij, {_q(kolom)} AS kolom, left(CAST(\"t_{kolom}\" AS VARCHAR), 200) AS waarde, "
        f"{regel} AS regel, {_q(ernst)} AS ernst FROM parsed WHERE {cond}"
        for kolom, cond, regel, ernst in checks
    ]
    # A file without any contract column has no row checks: an empty table, not an empty SQL.
    selects = selects or ["SELECT CAST(NULL AS INTEGER) AS rij, '' AS kolom, '' AS waarde, '' AS regel, "
                          "'' AS ernst WHERE false"]
    con.execute("CREATE OR REPLACE TEMP TABLE bevindingen AS " + " UNION ALL ".join(selects))
    errors, warnings = con.execute(
        f"SELECT count(*) FILTER (ernst = '{FOUT}'), count(*) FILTER (ernst = '{WAARSCHUWING}') FROM bevindingen"
    ).fetchall()[0]
    rows_kept = con.execute("SELECT count(*) FROM parsed").fetchall()[0][0]
    listed = con.execute(
        "SELECT rij, kolom, coalesce(waarde, ''), regel, ernst FROM bevindingen ORDER BY rij, kolom LIMIT ?",
        [MAX_FINDINGS],
    ).fetchall()
    # A column with identifying values is never echoed, whatever other rule a value breaks.
    listed = [(r, k, "" if k in hidden else w, regel, e) for r, k, w, regel, e in listed]
    findings = sorted(file_findings, key=lambda f: (f.rij, f.kolom)) + [Finding(*r) for r in listed]
    errors += sum(f.ernst == FOUT for f in file_findings)
    warnings += sum(f.ernst == WAARSCHUWING for f in file_findings)

    if soort == "casussen" and rows_kept == 0 and not errors:
        findings.append(Finding(0, "", "", "de levering bevat geen casussen", WAARSCHUWING))
        warnings += 1
    if errors == 0:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE typed AS SELECT "
            + ", ".join(f"CAST(\"{c.name}\" AS {_SQL_TYPES[c.kind]}) AS \"{c.name}\"" for c in columns)
            + " FROM parsed ORDER BY rij"
        )
    return Validation(findings=findings, errors=errors, warnings=warnings, rows=rows_kept)


def _privacy_hits(con, columns, positions: dict[str, int], scanned: dict[str, int]):
    """Identifying values anywhere: free text and unknown columns whole, typed columns where invalid."""
    known = {c.name: c for c in columns if c.name in positions}
    in_parsed = {name: (f'"t_{name}"', "true" if c.kind == "text" else f'"{name}" IS NULL AND "t_{name}" IS NOT NULL')
                 for name, c in known.items()}
    in_raw = {name: (f"c{i}", f"c{i} IS NOT NULL") for name, i in scanned.items() if name not in known}
    return privacy.scan_values(con, "parsed", in_parsed) + privacy.scan_values(con, "raw", in_raw)


def _row_checks(columns, soort: str, proeftuin: str, peildatum: dt.date):
    """(kolom, SQL condition that marks a bad row, SQL expression of the rule, ernst)."""
    peil = f"DATE '{peildatum.isoformat()}'"
    peil_nl = peildatum.strftime("%d-%m-%Y")
    out = []
    for c in columns:
        t, v = f'"t_{c.name}"', f'"{c.name}"'
        if c.required:
            out.append((c.name, f"{t} IS NULL", _q("verplicht veld is leeg"), FOUT))
        if c.kind in _TYPE_RULES:
            out.append((c.name, f"{t} IS NOT NULL AND {v} IS NULL", _q(_TYPE_RULES[c.kind]), FOUT))
        if c.codes:
            out.append((c.name, f"{t} IS NOT NULL AND {v} NOT IN {_sql_list(c.codes)}",
                        _q("onbekende code; toegestaan: " + ", ".join(c.codes)), FOUT))
        if c.max_length:
            out.append((c.name, f"length({t}) > {c.max_length}", _q(f"langer dan {c.max_length} tekens"), FOUT))
        if c.kind in ("int",) and c.min is not None:
            out.append((c.name, f"{v} < {c.min} OR {v} > {c.max}",
                        _q(f"buiten het bereik {contract.format_number(c.min)} t/m "
                           f"{contract.format_number(c.max)}"), FOUT))
        if c.kind == "date" and c.min_date is not None:
            earliest = f"DATE '{c.min_date.isoformat()}'"
            out.append((c.name, f"{v} < {earliest} OR {v} > {peil}",
                        _q(f"datum valt buiten {c.min_date:%d-%m-%Y} t/m de peildatum {peil_nl}"), FOUT))
    if "proeftuin" in {c.name for c in columns}:
        out.append(("proeftuin", f'"proeftuin" IS NOT NULL AND "proeftuin" <> {_q(proeftuin)}',
                    _q(f"hoort bij een andere proeftuin dan de levering ({proeftuin})"), FOUT))
    if soort == "casussen":
        out += [
            ("casus_id", '_dubbel_eerste < rij AND "casus_id" IS NOT NULL',
             "'casus_id komt vaker voor in dit bestand (eerst in rij ' || CAST(_dubbel_eerste AS VARCHAR) || ')'",
             FOUT),
            ("datum_start_hulp", '"datum_start_hulp" < "datum_aanmelding"', _q("ligt voor datum_aanmelding"), FOUT),
            ("datum_start_hulp", f'"datum_start_hulp" > {peil}', _q(f"ligt na de peildatum {peil_nl}"), FOUT),
            ("datum_afsluiting", '"datum_afsluiting" < "datum_aanmelding"', _q("ligt voor datum_aanmelding"), FOUT),
            ("datum_afsluiting", f'"datum_afsluiting" > {peil}', _q(f"ligt na de peildatum {peil_nl}"), FOUT),
            ("aantal_volwassenen", '"aantal_minderjarigen" + "aantal_volwassenen" < 1',
             _q("aantal_minderjarigen + aantal_volwassenen moet minstens 1 zijn"), FOUT),
            ("uitkomst", '"datum_afsluiting" IS NOT NULL AND "t_uitkomst" IS NULL',
             _q("verplicht als datum_afsluiting gevuld is"), FOUT),
            ("uitkomst", '"t_datum_afsluiting" IS NULL AND "t_uitkomst" IS NOT NULL',
             _q("uitkomst ingevuld bij een casus zonder datum_afsluiting"), WAARSCHUWING),
        ]
        start = next((p.start_datum for p in reference.proeftuinen() if p.code == proeftuin), None)
        if start is not None:
            # Such a case counts in the KPIs but in no quarter of the instroom figures, which
            # begin at the proeftuin's start quarter.
            quarter = dt.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
            out.append(("datum_aanmelding", f'"datum_aanmelding" < DATE \'{quarter.isoformat()}\'',
                        _q(f"ligt voor het startkwartaal van de proeftuin ({contract.periode_of(quarter)}); "
                           "de casus telt mee in de kerncijfers, niet in de instroom per kwartaal"), WAARSCHUWING))
    if soort == "teamleden":
        out += [
            ("fte", '"fte" <= 0 OR "fte" > 1', _q("fte moet groter dan 0 en hoogstens 1 zijn"), FOUT),
            ("datum_einde", '"datum_einde" < "datum_start"', _q("ligt voor datum_start"), FOUT),
        ]
    if soort == "themas":
        codes = sorted(reference.thema_codes())
        out.append(("thema", f'"t_thema" IS NOT NULL AND "thema" NOT IN {_sql_list(codes)}',
                    _q("onbekend thema; zie de themalijst in docs/export-format.md"), FOUT))
    return out

