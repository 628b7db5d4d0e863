"""Reading a delivery (CSV, XLSX, Parquet) into DuckDB as text, with Excel row numbers.

Every reader produces the same thing: a temporary table (``raw`` unless named) in the given
connection with one VARCHAR column per file column (``c0`` .. ``cN``) and ``rij``, the row
number as the user sees it in Excel (the header is row 1), plus the list of header names as
written in the file. Temporary, so that an ingest can read into the connection of the snapshot
it builds without writing anything into the snapshot itself; a name ``<database>.<table>``
puts it in an attached in-memory database instead, which the connection's cursors share (an
ingest reads files side by side, each on a cursor of its own).
Types are not interpreted here: validation does that in SQL over the whole table.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from . import config


class ReadError(Exception):
    """The file cannot be read as a table at all; the message is Dutch and names the file."""


@dataclass
class RawTable:
    headers: list[str]
    rows: int  # data rows read, empty rows included
    problems: list[tuple[int, str, str, str]] = field(default_factory=list)
    # (rij, kolom, waarde, regel) for structural problems such as a wrong number of fields


_BLANK_LINE = re.compile(r"(?m)^[ \t]*\r?$\n?")


# A CSV file up to this size is counted for its lines (_read_csv).
SMALL_CSV_BYTES = 1 << 20

# An XLSX whose parts unpack to more than this many times their packed size is a zip bomb.
MAX_XLSX_RATIO = 100

# A delivery has some 30 columns; a header with thousands (a line of separators) would make
# validation slow and memory-hungry, so it is refused before anything is read.
MAX_COLUMNS = 500


def _kind(table: str, kind: str = "TABLE") -> str:
    """TEMP, unless the name places the table in an attached (in-memory) database."""
    return kind if "." in table else f"TEMP {kind}"


def _check_columns(n: int) -> None:
    if n > MAX_COLUMNS:
        raise ReadError(f"de kopregel heeft {n:,} kolommen; de grens is {MAX_COLUMNS}")


def read_into(con: duckdb.DuckDBPyConnection, path: Path, formaat: str, table: str = "raw") -> RawTable:
    """Load the file into temporary table ``table`` of ``con``, within the configured size limits."""
    size = path.stat().st_size
    if size > config.max_file_bytes():
        raise ReadError(f"het bestand is {size / 1e6:,.0f} MB; de grens is {config.max_file_bytes() / 1e6:,.0f} MB "
                        "(MONITOR_MAX_FILE_MB)")
    if formaat == "csv":
        raw = _read_csv(con, path, table)
    elif formaat == "xlsx":
        _check_xlsx_package(path)
        raw = _read_xlsx(con, path, table)
    elif formaat == "parquet":
        raw = _read_parquet(con, path, table)
    else:
        raise ReadError(f"onbekend bestandsformaat '{formaat}'")
    if raw.rows > config.max_rows():
        raise ReadError(f"het bestand heeft {raw.rows:,} rijen; de grens is {config.max_rows():,} (MONITOR_MAX_ROWS)")
    return raw


def _check_xlsx_package(path: Path) -> None:
    """Refuse a damaged or inflated XLSX before anything is unpacked."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError) as e:
        raise ReadError("het bestand is geen leesbaar Excel-bestand (.xlsx): geen geldig zip-pakket") from e
    total = sum(i.file_size for i in infos)
    if total > config.max_xlsx_unpacked_bytes():
        raise ReadError(f"het Excel-bestand pakt uit tot {total / 1e6:,.0f} MB; de grens is "
                        f"{config.max_xlsx_unpacked_bytes() / 1e6:,.0f} MB (MONITOR_MAX_XLSX_UNPACKED_MB)")
    for i in infos:
        if i.file_size > 1_000_000 and i.file_size > MAX_XLSX_RATIO * max(i.compress_size, 1):
            raise ReadError(f"het Excel-bestand is verdacht sterk gecomprimeerd ({i.filename}: "
                            f"{i.file_size / max(i.compress_size, 1):,.0f} keer); het wordt niet uitgepakt")
    # The sheet reader lays out the whole rectangle up to the last cell: a file of a few
    # kilobytes with cells in A1 and XFD1048576 would ask for 17 billion cells and abort the
    # process. Every part is scanned (the workbook may point its sheet at any part).
    try:
        with zipfile.ZipFile(path) as z:
            for i in infos:
                with z.open(i) as f:
                    rows, cols = _sheet_extent(f)
                if cols > MAX_COLUMNS or rows * cols > MAX_XLSX_CELLS:
                    raise ReadError(f"het Excel-bestand beslaat {rows:,} rijen bij {cols:,} kolommen ({i.filename}); "
                                    f"de grens is {MAX_COLUMNS} kolommen en {MAX_XLSX_CELLS:,} cellen")
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError, zlib.error) as e:
        raise ReadError(f"het bestand is geen leesbaar Excel-bestand (.xlsx): beschadigd zip-pakket ({e})") from e


# The largest sheet rectangle read (rows x columns): a full Excel sheet of 30 columns is 31 million.
MAX_XLSX_CELLS = 60_000_000
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"\sr\s*=\s*[\"']([A-Za-z]*)([0-9]+)[\"']")
_REF_LETTERS = re.compile(rb' r="([A-Za-z]+)')
_REF_DIGITS = re.compile(rb' r="[A-Za-z]*([0-9]+)"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _sheet_extent(f) -> tuple[int, int]:
    """The highest row and column a sheet part places a cell in, as the reader would (1-based)."""
    rows = cols = row = col = 0
    tail = b""
    while True:
        chunk = f.read(1 << 20)
        data = tail + chunk
        cut = data.rfind(b"<") if chunk else -1
        data, tail = (data[:cut], data[cut:]) if 0 < cut and len(data) - cut < 65536 else (data, b"")
        plain = data.count(b":c") + data.count(b":row") == 0  # no prefixed tags (<x:c>)
        if plain and data.count(b"<c") + data.count(b"<row") == data.count(b' r="'):
            # Tags that all say where they are (as Excel writes them): the highest references do.
            cols = max([cols, *map(_column_number, set(_REF_LETTERS.findall(data)))])
            rows = max([rows, *map(int, set(_REF_DIGITS.findall(data)))])
            last = max(data.rfind(b"<c"), data.rfind(b"<row"))
            tokens = [m.groups() for m in [_TAG.match(data, last)] if m] if last >= 0 else []
        else:
            tokens = _TAG.findall(data)
        for name, attrs in tokens:  # a cell or row without a reference follows the one before it
            ref = _REF.search(attrs)
            if name == b"row":
                row, col = (int(ref.group(2)) if ref else row + 1), 0
            elif ref and ref.group(1):
                row, col = int(ref.group(2)), _column_number(ref.group(1))
            else:
                col += 1
            rows, cols = max(rows, row), max(cols, col)
        if not chunk:
            return rows, cols


# --- CSV -------------------------------------------------------------------------------

def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text and the name of its encoding: UTF-8 (with or without BOM) or Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "UTF-8 met BOM"
        except UnicodeDecodeError as e:
            raise ReadError(f"het bestand begint als UTF-8 maar byte {e.start} is geen geldige UTF-8") from e
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as e:
        raise ReadError(
            f"de tekencodering is geen UTF-8 en geen Windows-1252 (byte {e.start}); lever UTF-8 of Windows-1252 aan"
        ) from e


def sniff_delimiter(header_line: str) -> str:
    """The field separator: ';' or ',' (or a tab), whichever the header line uses most."""
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ";"


def _read_csv(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> RawTable:
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadError("het bestand is UTF-16; sla het op als 'CSV (gescheiden door lijstscheidingsteken)' of als UTF-8")
    if b"\x00" in data[:4096]:
        raise ReadError("het bestand bevat binaire gegevens; is het wel een CSV-bestand?")
    text: str | None
    if data.isascii():
        # Plain ASCII is valid UTF-8: decoding a big file whole would cost more than DuckDB's
        # reading it, so only the header line is decoded unless the file must be rewritten.
        end = data.find(b"\n")
        text, encoding = None, "UTF-8"
        first_line = data[:end if end >= 0 else len(data)].decode("ascii").rstrip("\r")
    else:
        text, encoding = decode_bytes(data)
        first_line = text.split("\n", 1)[0].rstrip("\r")
    if not first_line.strip():
        raise ReadError("de eerste regel (de kolomnamen) is leeg")
    delim = sniff_delimiter(first_line)
    try:
        headers = next(csv.reader([first_line], delimiter=delim, quotechar='"'))
    except csv.Error as e:  # e.g. a lone carriage return (old Mac line ends) inside the first line
        raise ReadError(f"de kopregel is geen leesbare CSV-regel ({e}); sla het bestand op met gewone regeleinden") from e
    n = len(headers)
    _check_columns(n)
    # DuckDB skips blank lines, which would shift every later row number; a blank line
    # becomes an empty record instead, so row numbers stay those the user sees in Excel. The
    # rewrite appends one empty record after the last line, counted in the rows (never kept).
    # A UTF-8 file that ends its last line and has no blank line is read as it is (DuckDB
    # skips a byte-order mark): the same records, without copying a big file through Python.
    as_is = encoding != "Windows-1252" and data.endswith(b"\n") and not _may_have_blank_line(data)
    tmp = None if as_is else _rewritten(text if text is not None else data.decode("ascii"), delim, n)
    # The records DuckDB makes of a small file read as it is, when each line is one: every
    # record takes a line or more, so as many records as lines means none was rejected, and
    # the query of the rejects (a millisecond a file) is left out. A carriage return without a
    # line feed may end a line of its own: then the rejects are always asked.
    lines = data.count(b"\n") if as_is and len(data) <= SMALL_CSV_BYTES and data.count(b"\r") == data.count(b"\r\n") else -1
    del data, text
    try:
        source = tmp or str(path)
        columns = {f"c{i}": "VARCHAR" for i in range(n)}
        con.execute("DROP TABLE IF EXISTS reject_errors")
        con.execute("DROP TABLE IF EXISTS reject_scans")
        created = con.execute(
            f"""
            CREATE OR REPLACE {_kind(table)} {table}_gelezen AS
            SELECT * FROM read_csv(?, delim = ?, quote = '"', escape = '"', header = false,
                                   auto_detect = false, columns = ?, store_rejects = true,
                                   ignore_errors = true, null_padding = false,
                                   max_line_size = 10000000)
            """,
            [source, delim, columns],
        ).fetchall()[0][0]  # the records made, the header's included
        rejects = [] if created == lines else con.execute(
            "SELECT line, min(error_type), min(error_message) FROM reject_errors GROUP BY line ORDER BY line"
        ).fetchall()
    except duckdb.Error as e:
        raise ReadError(f"het bestand is geen leesbare CSV: {str(e).splitlines()[0]}") from e
    finally:
        if tmp is not None:
            os.unlink(tmp)
    # A view, not a copy: the rows are read once more only by validation.
    con.execute(
        f"""CREATE OR REPLACE {_kind(table, "VIEW")} {table} AS
            SELECT {", ".join(f"c{i}" for i in range(n))}, CAST(rowid + 1 AS INTEGER) AS rij
            FROM {table}_gelezen WHERE rowid > 0"""
    )
    problems = [(_rij(line), "", "", _reject_rule(kind, msg, n)) for line, kind, msg in rejects]
    # The view's rows: every record after the first.
    rows = max(created - 1, 0) + (1 if as_is else 0)
    return RawTable(headers=headers, rows=rows, problems=problems)


# A line after the first that starts blank: an empty line, or one of spaces, tabs or a carriage return.
_BLANK_START = re.compile(rb"\n(?:\n|\r\n| |\t)")


def _rewritten(text: str, delim: str, n: int) -> str:
    """A temporary UTF-8 copy of the text with every blank line an empty record; its path."""
    if text.strip() and not text.endswith("\n"):
        text += "\n"
    text = _BLANK_LINE.sub(delim * (n - 1) + "\n", text)
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="monitor-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    except BaseException:
        os.unlink(tmp)  # a full disk leaves no half copy behind
        raise
    return tmp


def _may_have_blank_line(data: bytes) -> bool:
    """Whether a line after the first may be blank (only spaces, tabs or a carriage return).
    One scan for a newline and the byte after it: 0.09 s of CPU on 200 MB, where four substring
    searches took 0.7 s (the space is frequent, so searching for newline-space is slow)."""
    return _BLANK_START.search(data) is not None


def _rij(line) -> int:
    return int(line) if line is not None else 0


def _reject_rule(kind: str, message: str, n: int) -> str:
    if kind == "TOO MANY COLUMNS":
        return f"de rij heeft meer velden dan de {n} kolomnamen in rij 1"
    if kind == "MISSING COLUMNS":
        return f"de rij heeft minder velden dan de {n} kolomnamen in rij 1"
    if kind == "UNQUOTED VALUE":
        return 'een aanhalingsteken (") wordt niet afgesloten'
    return f"onleesbare rij ({message})"


# --- XLSX ------------------------------------------------------------------------------

def _cell_text(v) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        if v.time() == dt.time(0, 0):
            return v.date().isoformat()
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _read_xlsx(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheet = wb.get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as e:  # calamine raises its own error types for damaged files
        raise ReadError(f"het bestand is geen leesbaar Excel-bestand (.xlsx): {e}") from e
    first = next((i for i, r in enumerate(rows) if any(c not in (None, "") for c in r)), None)
    if first is None:
        raise ReadError("het eerste werkblad is leeg")
    headers = [_cell_text(c) or "" for c in rows[first]]
    while headers and headers[-1] == "":
        headers.pop()
    n = len(headers)
    _check_columns(n)
    body = rows[first + 1:]
    cols = {f"c{i}": pa.array([_cell_text(r[i]) if i < len(r) else None for r in body], pa.string())
            for i in range(n)}
    cols["rij"] = pa.array(range(first + 2, first + 2 + len(body)), pa.int32())
    raw_arrow = pa.table(cols)  # noqa: F841 - read by its name in the statement below (DuckDB's replacement scan)
    problems = [
        (first + 2 + k, "", "", f"de rij heeft een waarde in een kolom zonder kolomnaam (kolom {len(r)})")
        for k, r in enumerate(body)
        if any(c not in (None, "") for c in r[n:])
    ]
    # By the variable's name, not register/unregister: 0.6 ms less a file (0.9 instead of 1.5).
    con.execute(f"CREATE OR REPLACE {_kind(table)} {table} AS SELECT * FROM raw_arrow")
    return RawTable(headers=headers, rows=len(body), problems=problems)


# --- Parquet ---------------------------------------------------------------------------

def _read_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> RawTable:
    try:
        desc = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    except duckdb.Error as e:
        raise ReadError(f"het bestand is geen leesbaar Parquet-bestand: {str(e).splitlines()[0]}") from e
    headers = [d[0] for d in desc]
    _check_columns(len(headers))
    # A column of one repeated value packs a billion rows into a few megabytes: count first.
    try:
        n_rows = con.execute("SELECT sum(num_rows) FROM parquet_file_metadata(?)", [str(path)]).fetchall()[0][0] or 0
    except duckdb.Error as e:
        raise ReadError(f"het bestand is geen leesbaar Parquet-bestand: {str(e).splitlines()[0]}") from e
    if n_rows > config.max_rows():
        raise ReadError(f"het bestand heeft {n_rows:,} rijen; de grens is {config.max_rows():,} (MONITOR_MAX_ROWS)")
    exprs = []
    for i, (name, typ, *_rest) in enumerate(desc):
        quoted = '"' + name.replace('"', '""') + '"'
        if typ.startswith("TIMESTAMP"):
            # A date stored as a timestamp at midnight reads as the date, as in Excel.
            expr = (f"CASE WHEN CAST({quoted} AS TIME) = TIME '00:00' THEN CAST(CAST({quoted} AS DATE) AS VARCHAR) "
                    f"ELSE CAST({quoted} AS VARCHAR) END")
        elif typ in ("FLOAT", "DOUBLE") or typ.startswith("DECIMAL"):
            expr = (f"CASE WHEN {quoted} = floor({quoted}) THEN CAST(CAST({quoted} AS BIGINT) AS VARCHAR) "
                    f"ELSE CAST(CAST({quoted} AS DOUBLE) AS VARCHAR) END")
        else:
            expr = f"CAST({quoted} AS VARCHAR)"
        exprs.append(f"{expr} AS c{i}")
    try:
        con.execute(
            f"""CREATE OR REPLACE {_kind(table)} {table} AS
                SELECT {", ".join(exprs) or "NULL AS c0"}, CAST(row_number() OVER () + 1 AS INTEGER) AS rij
                FROM read_parquet(?)""",
            [str(path)],
        )
    except duckdb.Error as e:
        raise ReadError(f"het Parquet-bestand kan niet worden gelezen: {str(e).splitlines()[0]}") from e
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    return RawTable(headers=headers, rows=rows)

