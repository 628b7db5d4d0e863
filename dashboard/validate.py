"""Validation of deliveries against export format v1, in DuckDB SQL over whole files.

Input: the raw tables made by :mod:`dashboard.readers`, one per file, of one soort. Output per
file: the findings (errors and warnings, each with row, column, value and rule, in Dutch), and
the table ``parsed`` from which :func:`stored_columns` gives the rows in their stored types.
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

# Files with this many rows or more are typed in a statement of their own.
BIG_FILE_ROWS = 50_000
# Small files gathered by one statement (validate_batch).
GATHER = 16


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
    demo: bool = False  # every casus_id starts with DEMO- (the demo set)

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
        runs, normalised = "_", f"lower(regexp_replace({ref}, '[\\s_]+', '-', 'g'))"
    else:
        runs, normalised = "-", f"lower(regexp_replace({ref}, '[\\s\\-]+', '_', 'g'))"
    # A value written exactly as a known code is that code: no regular expression for it.
    exact = [code for code in contract.allowed_codes(col)
             if code == code.lower() and runs not in code and not re.search(r"\s", code)]
    return f"CASE WHEN {ref} IN {_sql_list(exact)} THEN {ref} ELSE {normalised} END" if exact else normalised


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
        # Exactly as listed first (the common case), then in any case.
        spelled = " ".join([*(f"WHEN {_q(x)} THEN true" for x in contract.JA),
                            *(f"WHEN {_q(x)} THEN false" for x in contract.NEE)])
        return f"CASE {ref} {spelled} ELSE CASE lower({ref}) {spelled} END END"
    raise ValueError(col.kind)


_TYPE_RULES = {
    "date": "geen geldige datum (gebruik jjjj-mm-dd of dd-mm-jjjj)",
    "int": "geen geheel getal",
    "decimal": "geen getal (gebruik een decimale komma of punt, zonder duizendtallen)",
    "janee": "geen ja/nee-waarde (toegestaan: ja, nee, j, n, 1, 0, waar, onwaar, true, false, yes, no)",
}

_SQL_TYPES = {"text": "VARCHAR", "code": "VARCHAR", "date": "DATE", "int": "INTEGER",
              "decimal": "DOUBLE", "janee": "BOOLEAN"}


@dataclass(frozen=True)
class Item:
    """One file of a batch: the table read_into made, and what its name says it holds."""

    bestand: int  # the file's number in the batch
    table: str
    raw: RawTable
    proeftuin: str
    peildatum: dt.date


def validate_batch(con: duckdb.DuckDBPyConnection, soort: str, items: list[Item],
                   parsed: str = "parsed") -> dict[int, Validation]:
    """Check files of one soort together, each against its own proeftuin and peildatum.

    Every rule runs once over all rows of the batch (the table ``parsed``, a column ``bestand``
    telling the files apart), so a batch of many small files costs a few queries, not a few per
    file. Leaves ``parsed`` (see :func:`_stored_select`) for :func:`stored_columns`. Returns the
    Validation per bestand.
    """
    columns = contract.COLUMNS[soort]
    heads = {it.bestand: _header(con, it, columns) for it in items}
    selects = dict(zip([it.bestand for it in items], _file_selects(columns, items, heads)))
    # All rows are typed in one statement, over a union of the big files' own tables and one
    # table gathering the small ones: a union of the demo's 200 small files took DuckDB 4.6 s of
    # CPU to plan, more than typing a million rows. They are gathered GATHER at a time: one
    # statement per file cost some 3.5 ms each (1.6 s of the demo's 458 files), one per 16 a
    # fifth less in all; the planning grows faster than the union beyond that.
    # (One statement: an INSERT into a table costs twice a CREATE TABLE AS of the same rows.)
    small = [it for it in items if it.raw.rows < BIG_FILE_ROWS]
    for n in range(0, len(small), GATHER):
        con.execute((f"CREATE OR REPLACE TEMP TABLE {parsed}_klein AS " if n == 0 else f"INSERT INTO {parsed}_klein ")
                    + " UNION ALL ".join(selects[it.bestand] for it in small[n:n + GATHER]))
    sources = ([f"SELECT * FROM {parsed}_klein"] if small else []) + [
        selects[it.bestand] for it in items if it.raw.rows >= BIG_FILE_ROWS]
    con.execute(f"CREATE OR REPLACE TEMP TABLE {parsed} AS "
                + _stored_select(columns, "(" + " UNION ALL ".join(sources) + ")"))

    source = parsed
    if soort == "casussen":
        # The first row of each casus_id that occurs more than once in its file.
        con.execute(f"""CREATE OR REPLACE TEMP TABLE {parsed}_dubbel AS
                        SELECT bestand, "casus_id", min(rij) AS _dubbel_eerste FROM {parsed}
                        WHERE "casus_id" IS NOT NULL GROUP BY ALL HAVING count(*) > 1""")
        source = f'{parsed} LEFT JOIN {parsed}_dubbel USING (bestand, "casus_id")'
    checks = _batch_checks(columns, soort, items, heads)
    demo = ", bool_and(starts_with(\"casus_id\", 'DEMO-'))" if soort == "casussen" else ", NULL"
    parsing = [c for c in columns if c.kind in _TYPE_RULES]
    counted = con.execute(
        f"SELECT bestand, count(*){demo}"
        + "".join(f", count(*) FILTER ({cond})" for _kolom, cond, _regel, _ernst in checks)
        + "".join(f", bool_or({_invalid(c)})" for c in parsing)
        + f" FROM {source} GROUP BY bestand"
    ).fetchall()
    per_file = {row[0]: row[1:3 + len(checks)] for row in counted}
    # A valid date, number or code identifies no one: only columns with invalid values are scanned.
    invalid = {c.name for i, c in enumerate(parsing) if any(row[3 + len(checks) + i] for row in counted)}

    hits = _privacy_hits(con, columns, items, heads, parsed, invalid)
    hidden: dict[int, set[str]] = {it.bestand: set() for it in items}
    for bestand, name, rule, count, first in hits:
        heads[bestand][0].append(
            Finding(first, name, "", f"{count} {'waarde' if count == 1 else 'waarden'} in deze kolom {rule} "
                                     f"(eerste in rij {first}); de waarden worden niet getoond en mogen niet worden aangeleverd"))
        hidden[bestand].add(name)
    hit = [i for i, _check in enumerate(checks) if any(row[3 + i] for row in counted)]
    listed: dict[int, list[tuple]] = {it.bestand: [] for it in items}
    if hit:
        files = [it for it in items if it.bestand in per_file and any(per_file[it.bestand][2 + i] for i in hit)]
        for bestand, *finding in _listing(con, columns, soort, [checks[i] for i in hit], files, selects, parsed):
            listed[bestand].append(finding)
    con.execute(f"DROP TABLE IF EXISTS {parsed}_klein")

    out = {}
    for it in items:
        file_findings = heads[it.bestand][0]
        rows_kept, is_demo, *counts = per_file.get(it.bestand, (0, None, *([0] * len(checks))))
        errors = sum(n for n, (_k, _c, _r, ernst) in zip(counts, checks) if ernst == FOUT)
        warnings = sum(n for n, (_k, _c, _r, ernst) in zip(counts, checks) if ernst == WAARSCHUWING)
        # A column with identifying values is never echoed, whatever other rule a value breaks.
        rows = [(r, k, "" if k in hidden[it.bestand] else w, regel, e) for r, k, w, regel, e in listed[it.bestand]]
        findings = sorted(file_findings, key=lambda f: (f.rij, f.kolom)) + [Finding(*r) for r in rows]
        errors += sum(f.ernst == FOUT for f in file_findings)
        warnings += sum(f.ernst == WAARSCHUWING for f in file_findings)
        if soort == "casussen" and rows_kept == 0 and not errors:
            findings.append(Finding(0, "", "", "de levering bevat geen casussen", WAARSCHUWING))
            warnings += 1
        out[it.bestand] = Validation(findings=findings, errors=errors, warnings=warnings, rows=rows_kept,
                                     demo=bool(is_demo))
    return out


def stored_columns(soort: str) -> str:
    """The columns of ``parsed`` that are stored, in their stored types (the typed values)."""
    return ", ".join(f'CAST("{c.name}" AS {_SQL_TYPES[c.kind]}) AS "{c.name}"' for c in contract.COLUMNS[soort])


def _listing(con, columns, soort: str, checks, files: list[Item], selects: dict[int, str], parsed: str):
    """(bestand, rij, kolom, waarde, regel, ernst) of the rows that break ``checks``, at most
    MAX_FINDINGS per file, with the values as written: the files with findings are read once
    more, as texts next to their typed values (``parsed`` keeps a text only where it does not
    parse). The rows with findings are gathered first, so each check does not read them again."""
    small = [str(it.bestand) for it in files if it.raw.rows < BIG_FILE_ROWS]
    sources = ([f"SELECT * FROM {parsed}_klein WHERE bestand IN ({', '.join(small)})"] if small else []) + [
        selects[it.bestand] for it in files if it.raw.rows >= BIG_FILE_ROWS]
    source = f"({_parsed_select(columns, '(' + ' UNION ALL '.join(sources) + ')')})"
    if soort == "casussen":
        source += f' LEFT JOIN {parsed}_dubbel USING (bestand, "casus_id")'
    con.execute(f"CREATE OR REPLACE TEMP TABLE {parsed}_bevindingen AS SELECT * FROM {source} WHERE "
                + " OR ".join(f"({cond})" for _kolom, cond, _regel, _ernst in checks))
    selected = [
        f"SELECT bestand, rij, {_q(kolom)} AS kolom, left(CAST(\"t_{kolom}\" AS VARCHAR), 200) AS waarde, "
        f"{regel} AS regel, {_q(ernst)} AS ernst FROM {parsed}_bevindingen WHERE {cond}"
        for kolom, cond, regel, ernst in checks
    ]
    try:
        return con.execute(
            "SELECT bestand, rij, kolom, coalesce(waarde, ''), regel, ernst FROM (" + " UNION ALL ".join(selected) + ") "
            "QUALIFY row_number() OVER (PARTITION BY bestand ORDER BY rij, kolom) <= ? ORDER BY bestand, rij, kolom",
            [MAX_FINDINGS],
        ).fetchall()
    finally:
        con.execute(f"DROP TABLE IF EXISTS {parsed}_bevindingen")


def _header(con, item: Item, columns) -> tuple[list[Finding], dict[str, int], dict[str, int]]:
    """The file's findings about its header, and where its columns are: (findings, positions of
    the named columns, every column with values for the privacy gate)."""
    known = {c.name for c in columns}
    raw = item.raw
    file_findings: list[Finding] = [Finding(r, k, w, regel) for r, k, w, regel in raw.problems]
    positions: dict[str, int] = {}
    scanned: dict[str, int] = {}  # every column with values, known or not, for the privacy gate
    for i, h in enumerate(raw.headers):
        name = normalise_header(h)
        if name == "":
            scanned[f"kolom {i + 1}"] = i
            non_empty = con.execute(
                f"SELECT count(*) FROM {item.table} WHERE nullif(trim(c{i}), '') IS NOT NULL").fetchall()[0][0]
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
    return file_findings, positions, scanned


def _file_selects(columns, items: list[Item], heads) -> list[str]:
    """Per file its non-empty rows, its columns under the contract's names (a missing one as
    NULL), with the values its rules compare with."""
    files = []
    for it in items:
        positions = heads[it.bestand][1]
        named = [f"c{i}" for i in positions.values()]
        if not named:
            filled = "false"
        elif it.raw.rows < BIG_FILE_ROWS:
            # A row with a value: one trim of the cells joined, the same as a trim per cell
            # (only blanks joined are blank), and half the planning of a union of 16 small files
            # (90 -> 50 ms). A big file's rows pay for joining: there the first filled cell ends it.
            filled = f"trim(concat_ws('', {', '.join(named)})) <> ''"
        else:
            filled = "coalesce(" + ", ".join(f"nullif(trim({c}), '')" for c in named) + ") IS NOT NULL"
        start = next((p.start_datum for p in reference.proeftuinen() if p.code == it.proeftuin), None)
        # Cases before the start quarter count in the KPIs but in no quarter of the instroom figures.
        quarter = f"DATE '{dt.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1).isoformat()}'" if start else "NULL"
        cells = ", ".join(f'c{positions[c.name]} AS "r_{c.name}"' if c.name in positions
                          else f'CAST(NULL AS VARCHAR) AS "r_{c.name}"' for c in columns)
        files.append(f"SELECT {it.bestand} AS bestand, rij, {_q(it.proeftuin)} AS _proeftuin, "
                     f"DATE '{it.peildatum.isoformat()}' AS _peil, CAST({quarter} AS DATE) AS _startkwartaal, {cells} "
                     f"FROM {it.table} WHERE {filled}")
    return files


def _parsed_select(columns, union: str) -> str:
    """The rows of the union with their trimmed texts (t_*) and typed values."""
    texts = ", ".join(f"nullif(trim({_quoted('r_' + c.name)}), '') AS {_quoted('t_' + c.name)}" for c in columns)
    kept = ", ".join(_quoted("t_" + c.name) for c in columns)
    typed = ", ".join(f"{_typed_expr(c, _quoted('t_' + c.name))} AS {_quoted(c.name)}" for c in columns)
    return (f"SELECT bestand, rij, _proeftuin, _peil, _startkwartaal, {kept}, {typed} "
            f"FROM (SELECT bestand, rij, _proeftuin, _peil, _startkwartaal, {texts} FROM {union})")


def _stored_select(columns, union: str) -> str:
    """The rows of the union as ``parsed`` keeps them: the typed values, and the text only of a
    value that does not parse (``t_<column>``, for the columns that can fail to parse).

    Every text kept beside its value cost a second of CPU at a million cases, and a copy of the
    accepted rows without them another half: the rows are stored from this table as it is. The
    rules read a column's text only as :func:`_filled` and :func:`_invalid` say, which hold on
    the full texts of :func:`_parsed_select` too (the findings are listed from those)."""
    typed = ", ".join(_quoted(c.name) for c in columns)
    texts = "".join(f", CASE WHEN {_quoted(c.name)} IS NULL THEN {_quoted('t_' + c.name)} END AS {_quoted('t_' + c.name)}"
                    for c in columns if c.kind in _TYPE_RULES)
    return (f"SELECT bestand, rij, _proeftuin, _peil, _startkwartaal, {typed}{texts} "
            f"FROM ({_parsed_select(columns, union)})")


def _filled(c: Column) -> str:
    """SQL: the column's trimmed text is not empty. A value parses only from a text, and a text
    or code column's value is its text (a code normalised)."""
    v = _quoted(c.name)
    return f"({v} IS NOT NULL OR {_quoted('t_' + c.name)} IS NOT NULL)" if c.kind in _TYPE_RULES else f"{v} IS NOT NULL"


def _empty(c: Column) -> str:
    return f"NOT {_filled(c)}"


def _invalid(c: Column) -> str:
    """SQL: the column has a text that does not parse as its kind."""
    return f'"t_{c.name}" IS NOT NULL AND "{c.name}" IS NULL'


def _quoted(name: str) -> str:
    return f'"{name}"'


def _privacy_hits(con, columns, items: list[Item], heads, parsed: str, invalid: set[str]):
    """Identifying values anywhere: free text and unknown columns whole, typed columns where
    invalid (``invalid``: the typed columns that have invalid values)."""
    in_parsed = {c.name: (_quoted(c.name), "true") if c.kind == "text" else (_quoted("t_" + c.name), _invalid(c))
                 for c in columns if c.kind == "text" or c.name in invalid}
    hits = privacy.scan_values(con, parsed, in_parsed)
    known = {c.name for c in columns}
    for it in items:
        in_raw = {name: (f"c{i}", f"c{i} IS NOT NULL") for name, i in heads[it.bestand][2].items() if name not in known}
        hits += privacy.scan_values(con, f"(SELECT {it.bestand} AS bestand, * FROM {it.table})", in_raw)
    # Per file: its contract columns first, then the others, as the report has always listed them.
    order = {it.bestand: n for n, it in enumerate(items)}
    return sorted(hits, key=lambda h: (order[h[0]], h[1] not in known))


def _batch_checks(columns, soort: str, items: list[Item], heads):
    """The row checks of the batch, each limited to the files that have its column: a missing
    column is reported once, not again on every row."""
    everyone = {it.bestand for it in items}
    out = []
    for kolom, cond, regel, ernst in _row_checks(columns, soort):
        having = {it.bestand for it in items if kolom in heads[it.bestand][1]}
        if having == everyone:
            out.append((kolom, cond, regel, ernst))
        elif having:
            out.append((kolom, f"({cond}) AND bestand IN ({', '.join(map(str, sorted(having)))})", regel, ernst))
    return out


def _row_checks(columns, soort: str):
    """(kolom, SQL condition that marks a bad row, SQL expression of the rule, ernst).

    The file's own proeftuin, peildatum and start quarter are the columns _proeftuin, _peil and
    _startkwartaal of each row."""
    peil_nl = "strftime(_peil, '%d-%m-%Y')"
    out = []
    col = {c.name: c for c in columns}
    for c in columns:
        v = _quoted(c.name)
        if c.required:
            out.append((c.name, _empty(c), _q("verplicht veld is leeg"), FOUT))
        if c.kind in _TYPE_RULES:
            out.append((c.name, _invalid(c), _q(_TYPE_RULES[c.kind]), FOUT))
        if c.codes:
            out.append((c.name, f"{_filled(c)} AND {v} NOT IN {_sql_list(c.codes)}",
                        _q("onbekende code; toegestaan: " + ", ".join(c.codes)), FOUT))
        if c.max_length:
            if c.kind != "text":  # only a text column's value is its text (see _stored_select)
                raise ValueError(f"a length rule on the {c.kind} column {c.name}")
            out.append((c.name, f"length({v}) > {c.max_length}", _q(f"langer dan {c.max_length} tekens"), FOUT))
        if c.kind in ("int",) and c.min is not None:
            out.append((c.name, f"{v} < {c.min} OR {v} > {c.max}",
                        _q(f"buiten het bereik {contract.format_number(c.min)} t/m "
                           f"{contract.format_number(c.max)}"), FOUT))
        if c.kind == "date" and c.min_date is not None:
            earliest = f"DATE '{c.min_date.isoformat()}'"
            out.append((c.name, f"{v} < {earliest} OR {v} > _peil",
                        f"{_q(f'datum valt buiten {c.min_date:%d-%m-%Y} t/m de peildatum ')} || {peil_nl}", FOUT))
    if "proeftuin" in {c.name for c in columns}:
        out.append(("proeftuin", '"proeftuin" IS NOT NULL AND "proeftuin" <> _proeftuin',
                    "'hoort bij een andere proeftuin dan de levering (' || _proeftuin || ')'", FOUT))
    if soort == "casussen":
        out += [
            ("casus_id", '_dubbel_eerste < rij AND "casus_id" IS NOT NULL',
             "'casus_id komt vaker voor in dit bestand (eerst in rij ' || CAST(_dubbel_eerste AS VARCHAR) || ')'",
             FOUT),
            ("datum_start_hulp", '"datum_start_hulp" < "datum_aanmelding"', _q("ligt voor datum_aanmelding"), FOUT),
            ("datum_start_hulp", '"datum_start_hulp" > _peil', f"'ligt na de peildatum ' || {peil_nl}", FOUT),
            ("datum_afsluiting", '"datum_afsluiting" < "datum_aanmelding"', _q("ligt voor datum_aanmelding"), FOUT),
            ("datum_afsluiting", '"datum_afsluiting" > _peil', f"'ligt na de peildatum ' || {peil_nl}", FOUT),
            ("aantal_volwassenen", '"aantal_minderjarigen" + "aantal_volwassenen" < 1',
             _q("aantal_minderjarigen + aantal_volwassenen moet minstens 1 zijn"), FOUT),
            ("uitkomst", f'"datum_afsluiting" IS NOT NULL AND {_empty(col["uitkomst"])}',
             _q("verplicht als datum_afsluiting gevuld is"), FOUT),
            ("uitkomst", f'{_empty(col["datum_afsluiting"])} AND {_filled(col["uitkomst"])}',
             _q("uitkomst ingevuld bij een casus zonder datum_afsluiting"), WAARSCHUWING),
            # Such a case counts in the KPIs but in no quarter of the instroom figures, which
            # begin at the proeftuin's start quarter.
            ("datum_aanmelding", '"datum_aanmelding" < _startkwartaal',
             "'ligt voor het startkwartaal van de proeftuin (' || CAST(year(_startkwartaal) AS VARCHAR) || '-Q' || "
             "CAST(quarter(_startkwartaal) AS VARCHAR) || '); de casus telt mee in de kerncijfers, niet in de "
             "instroom per kwartaal'", WAARSCHUWING),
        ]
    if soort == "teamleden":
        out += [
            ("fte", '"fte" <= 0 OR "fte" > 1', _q("fte moet groter dan 0 en hoogstens 1 zijn"), FOUT),
            ("datum_einde", '"datum_einde" < "datum_start"', _q("ligt voor datum_start"), FOUT),
        ]
    if soort == "themas":
        codes = sorted(reference.thema_codes())
        out.append(("thema", f'{_filled(col["thema"])} AND "thema" NOT IN {_sql_list(codes)}',
                    _q("onbekend thema; zie de themalijst in docs/export-format.md"), FOUT))
    return out
