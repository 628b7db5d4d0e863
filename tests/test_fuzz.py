"""Property-based fuzzing of `validate` (check_file) and `ingest` (ingest_files).

Whatever bytes arrive, every file must end in a clear outcome: accepted without errors, or
rejected with at least one error finding whose rule is a Dutch sentence. Nothing may escape as
an exception, hang, or eat the machine (XLSX and Parquet bombs), and a rejected file changes
nothing in the published store except its own new line in the delivery log.

Runs are derandomized (fixed seeds, no example database) so CI sees the same examples every
time; the example counts keep the whole module at about a minute on the 2-core machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import faulthandler
import io
import os
import re
import struct
import tempfile
import warnings
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import xlsxwriter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dashboard import contract, readers
from dashboard.ingest import check_file, ingest_files, report_csv
from dashboard.store import Store
from tests.exportfiles import casus, teamlid, thema, write_csv, write_parquet, write_xlsx

# --- settings -----------------------------------------------------------------------------

FUZZ = settings(
    derandomize=True,  # the same examples on every run: reproducible in CI
    database=None,
    deadline=dt.timedelta(seconds=30),  # one file taking longer is a failure (a near-hang)
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    print_blob=True,
)
HANG_SECONDS = 600  # per test: a real hang dumps every thread's stack and ends the run

BIG = 1_000_000  # a very long field: about 1 MB

NAMES = {"casussen": "flevoland_casussen_2024-Q2", "teamleden": "flevoland_teamleden_2024-Q2",
         "themas": "flevoland_themas_2024-Q2"}

# --- shared strategies ----------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """One file as it arrives: its name (which fixes proeftuin, soort, period, format) and bytes."""

    name: str
    data: bytes

    def __repr__(self) -> str:  # keep hypothesis' reports readable for 1 MB files
        shown = self.data[:120] + (b"..." if len(self.data) > 120 else b"")
        return f"Delivery({self.name!r}, {len(self.data)} bytes: {shown!r})"


CONTRACT_NAMES = sorted({c.name for cols in contract.COLUMNS.values() for c in cols})
HEADER_SPELLINGS = ["CASUS_ID", " Datum Aanmelding ", "datum-aanmelding", "\ufeffcasus_id", "Proeftuin",
                    "aantal minderjarigen", "kolom", "extra", "opmerking", "Team naam", "organisatienaam"]
IDENTIFIER_NAMES = ["naam", "Voornaam", "achternaam kind", "BSN", "bsn_ouder", "Burgerservicenummer",
                    "geboortedatum", "Geb.datum", "adres", "postcode", "Telefoonnummer", "E-mailadres", "mail"]
INTERESTING_VALUES = [
    "", " ", "ja", "nee", "J", "waar", "misschien", "2024-04-02", "02-04-2024", "2-4-2024", "31-02-2024",
    "2024-04-02 13:45", "0001-01-01", "9999-12-31", "flevoland", "utrecht", "duo", "rvt", "lokaal_team", "geen",
    "ots", "veilig_thuis", "veiligheid_hersteld", "verklarende_analyse", "lopend", "gezinsprofessional",
    "0", "1", "2", "15", "16", "-1", "2024", "1e400", "-1e400", "NaN", "inf", "-inf", "0,8", "1.5", "1,000.5",
    "99999999999999999999", "0x10", "١٢", "１２", "𝟙", "🙂", "\u202e", "\ufeff", "\x00", "\x1b[2J",
    '"', '""', '"a"b"', ";", ",", "\t", "\n", "\r\n", "\r", "a\nb", "=HYPERLINK(\"http://x\")", "@SUM(1)", "+1",
    "111222333", "123456782", "a@b.nl", "06-12345678", "+31 6 1234 5678", "DEMO-1", "X" * 65, "Y" * 101,
    "'; DROP TABLE casussen; --", "Súdwest-Fryslân",
]

header_names = st.one_of(
    st.sampled_from(CONTRACT_NAMES), st.sampled_from(HEADER_SPELLINGS), st.sampled_from(IDENTIFIER_NAMES),
    st.just(""), st.text(max_size=20),
)
cell_text = st.one_of(st.sampled_from(INTERESTING_VALUES), st.text(max_size=30),
                      st.from_regex(r"[0-9]{1,12}", fullmatch=True))
soorten = st.sampled_from(contract.SOORTEN)
TEXT_ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-32", "cp437",
                  "mac_roman", "shift_jis", "koi8-r"]


@st.composite
def csv_files(draw) -> Delivery:
    """Random CSVs: random (contract, identifier, empty, duplicate) columns and random cells."""
    soort = draw(soorten)
    headers = draw(st.lists(header_names, min_size=1, max_size=12))
    if draw(st.booleans()):  # all contract columns, so that rows reach the per-row rules
        headers = [c.name for c in contract.COLUMNS[soort]] + headers[:2]
    width = len(headers)
    rows = draw(st.lists(st.lists(cell_text, min_size=max(0, width - 2), max_size=width + 2), max_size=5))
    if rows and draw(st.integers(0, 9)) == 0:  # now and then one very long field
        seed = draw(st.text(min_size=1, max_size=3))
        r = draw(st.integers(0, len(rows) - 1))
        rows[r] = rows[r] or [""]
        rows[r][draw(st.integers(0, len(rows[r]) - 1))] = (seed * (BIG // len(seed) + 1))[:BIG]
    delim = draw(st.sampled_from([";", ",", "\t", "|"]))
    buf = io.StringIO()
    if draw(st.booleans()):
        w = csv.writer(buf, delimiter=delim, lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])))
        w.writerow(headers)
        w.writerows(rows)
    else:  # naive joining: broken quoting, embedded separators and line ends left as they are
        buf.write("\n".join(delim.join(r) for r in [headers, *rows]) + draw(st.sampled_from(["", "\n", "\n\n  \n"])))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return Delivery(f"{NAMES[soort]}.csv", buf.getvalue().encode(encoding, errors="replace"))


@st.composite
def random_byte_files(draw) -> Delivery:
    """Random bytes under any of the three extensions, sometimes behind the right magic number."""
    ext = draw(st.sampled_from(["csv", "xlsx", "parquet"]))
    body = draw(st.binary(max_size=3000))
    magic = draw(st.sampled_from([b"", b"", b"PK\x03\x04", b"PAR1", b"\xef\xbb\xbf", b"\xff\xfe"]))
    trailer = b"PAR1" if magic == b"PAR1" and draw(st.booleans()) else b""
    return Delivery(f"{NAMES[draw(soorten)]}.{ext}", magic + body + trailer)


@cache
def valid_files() -> dict[str, Delivery]:
    """Valid deliveries in every format, written by tests/exportfiles.py (made once)."""
    rows = [casus(casus_id=f"FL-{i:04d}", werkgebied="Súdwest-Fryslân" if i % 2 else "Dronten",
                  aantal_minderjarigen=i % 4, aantal_volwassenen=1 + i % 2) for i in range(1, 9)]
    rows.append(casus(casus_id="FL-0100", datum_afsluiting=dt.date(2024, 6, 1), uitkomst="deels_hersteld"))
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        made = {
            "csv-nl": write_csv(tmp / "a.csv", rows, style="nl"),
            "csv-win": write_csv(tmp / "b.csv", rows, style="win"),
            "csv-iso": write_csv(tmp / "c.csv", rows, style="iso"),
            "xlsx": write_xlsx(tmp / "d.xlsx", rows),
            "parquet": write_parquet(tmp / "e.parquet", rows),
            "teamleden-xlsx": write_xlsx(tmp / "f.xlsx", [teamlid(), teamlid(rol="jurist", fte=0.5)]),
            "themas-parquet": write_parquet(tmp / "g.parquet", [thema(), thema(thema="rechtsbescherming")]),
            "themas-csv": write_csv(tmp / "h.csv", [thema(), thema(status="gepland")], style="iso"),
        }
        for key, path in made.items():
            soort = "teamleden" if key.startswith("teamleden") else "themas" if key.startswith("themas") else "casussen"
            out[key] = Delivery(f"{NAMES[soort]}{path.suffix}", path.read_bytes())
    return out


VALID_KEYS = ["csv-nl", "csv-win", "csv-iso", "xlsx", "parquet", "teamleden-xlsx", "themas-parquet", "themas-csv"]
CSV_ENCODING = {"csv-nl": "utf-8-sig", "csv-win": "cp1252", "csv-iso": "utf-8", "themas-csv": "utf-8"}


@st.composite
def mangled_files(draw) -> Delivery:
    """Valid files truncated at a random offset, re-encoded, or with random bytes flipped or inserted."""
    key = draw(st.sampled_from(VALID_KEYS))
    base = valid_files()[key]
    data = base.data
    how = draw(st.sampled_from(["truncate", "flip", "insert", "reencode"] if key in CSV_ENCODING
                               else ["truncate", "truncate", "flip", "insert"]))
    if how == "truncate":
        data = data[:draw(st.integers(0, len(data)))]
    elif how == "flip":
        buf = bytearray(data)
        for pos, byte in draw(st.lists(st.tuples(st.integers(0, len(buf) - 1), st.integers(0, 255)),
                                       min_size=1, max_size=8)):
            buf[pos] = byte
        data = bytes(buf)
    elif how == "insert":
        pos = draw(st.integers(0, len(data)))
        data = data[:pos] + draw(st.binary(min_size=1, max_size=64)) + data[pos:]
    else:
        text = data.decode(CSV_ENCODING[key])
        data = text.encode(draw(st.sampled_from(TEXT_ENCODINGS)), errors="replace")
    return Delivery(base.name, data)


def _wrong_type_column(kind: str, n: int) -> pa.Array:
    """A column of n values of a type no delivery should have."""
    makers = {
        "list": lambda: pa.array([[1, 2]] * n, pa.list_(pa.int64())),
        "struct": lambda: pa.array([{"a": 1, "b": "x"}] * n),
        "map": lambda: pa.array([[("k", 1)]] * n, pa.map_(pa.string(), pa.int64())),
        "binary": lambda: pa.array([b"\xff\xfe\x00"] * n, pa.binary()),
        "float-special": lambda: pa.array([[float("nan"), float("inf"), -float("inf"), 1e300][i % 4]
                                           for i in range(n)], pa.float64()),
        "float32": lambda: pa.array([2.5] * n, pa.float32()),
        "int-huge": lambda: pa.array([2**62] * n, pa.int64()),
        "uint64": lambda: pa.array([2**64 - 1] * n, pa.uint64()),
        "int-negative": lambda: pa.array([-5] * n, pa.int8()),
        "timestamp-tz": lambda: pa.array([dt.datetime(2024, 4, 2, 12, 30)] * n, pa.timestamp("us", tz="Europe/Amsterdam")),
        "timestamp-midnight": lambda: pa.array([dt.datetime(2024, 4, 2)] * n, pa.timestamp("ns")),
        "date-extreme": lambda: pa.array([[dt.date(1, 1, 1), dt.date(9999, 12, 31)][i % 2] for i in range(n)], pa.date32()),
        "duration": lambda: pa.array([dt.timedelta(days=1)] * n, pa.duration("s")),
        "time": lambda: pa.array([dt.time(1, 2)] * n, pa.time64("us")),
        "decimal": lambda: pa.array([Decimal("12345678901234567890.125")] * n, pa.decimal128(38, 3)),
        "dictionary": lambda: pa.array(["duo", "rvt"] * n)[:n].dictionary_encode(),
        "null": lambda: pa.nulls(n),
        "bool": lambda: pa.array([True] * n),
        "large-string": lambda: pa.array(["🙂" * 50] * n, pa.large_string()),
    }
    return makers[kind]()


WRONG_TYPES = ["list", "struct", "map", "binary", "float-special", "float32", "int-huge", "uint64",
               "int-negative", "timestamp-tz", "timestamp-midnight", "date-extreme", "duration", "time",
               "decimal", "dictionary", "null", "bool", "large-string", "valid"]


@st.composite
def parquet_files(draw) -> Delivery:
    """Parquet with contract columns of deeply wrong types (nested, binary, extreme, special floats)."""
    soort = draw(soorten)
    n = draw(st.integers(0, 4))
    good = {"casussen": casus, "teamleden": teamlid, "themas": thema}[soort]()
    names = [c.name for c in contract.COLUMNS[soort]]
    names = draw(st.lists(st.sampled_from(names + ["extra", "naam", ""]), min_size=1, max_size=len(names) + 2))
    columns, fields = [], []
    for name in names:
        kind = draw(st.sampled_from(WRONG_TYPES))
        if kind == "valid" and name in good:
            columns.append(pa.array([good[name]] * n))
        else:
            columns.append(_wrong_type_column("bool" if kind == "valid" else kind, n))
        fields.append(name)
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_arrays(columns, names=fields), buf)
    return Delivery(f"{NAMES[soort]}.parquet", buf.getvalue())


@st.composite
def xlsx_files(draw) -> Delivery:
    """XLSX with cells of every Excel type in every column, leading empty rows, a second sheet."""
    soort = draw(soorten)
    headers = draw(st.lists(header_names, min_size=1, max_size=8))
    if draw(st.booleans()):
        headers = [c.name for c in contract.COLUMNS[soort]]
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("Blad1")
    date_fmt = wb.add_format({"num_format": "dd-mm-yyyy"})
    top = draw(st.integers(0, 2))
    for j, h in enumerate(headers):
        ws.write_string(top, j, h)
    for i in range(top + 1, top + 1 + draw(st.integers(0, 4))):
        for j in range(len(headers) + draw(st.integers(0, 1))):
            kind = draw(st.sampled_from(["number", "bool", "formula", "date", "time", "text", "blank", "url"]))
            if kind == "number":
                ws.write_number(i, j, draw(st.sampled_from([0, 1, -1, 0.5, 45000, 45000.5, 2958465, 1e308, -1e308])))
            elif kind == "bool":
                ws.write_boolean(i, j, draw(st.booleans()))
            elif kind == "formula":
                ws.write_formula(i, j, draw(st.sampled_from(["=1/0", "=NA()", "=A1", '="ja"', "=2+2"])))
            elif kind == "date":
                ws.write_datetime(i, j, draw(st.sampled_from([dt.datetime(1900, 1, 1), dt.datetime(2024, 4, 2),
                                                              dt.datetime(2024, 4, 2, 13, 5), dt.datetime(9999, 12, 31)])),
                                  date_fmt)
            elif kind == "time":
                ws.write_datetime(i, j, dt.time(12, 30), date_fmt)
            elif kind == "text":
                ws.write_string(i, j, draw(cell_text))
            elif kind == "url":
                ws.write_url(i, j, "https://example.org/x")
    if draw(st.booleans()):
        wb.add_worksheet("Blad2").write_string(0, 0, "casus_id")
    wb.close()
    return Delivery(f"{NAMES[soort]}.xlsx", buf.getvalue())


any_file = st.one_of(csv_files(), random_byte_files(), mangled_files(), parquet_files(), xlsx_files())

# --- checks ---------------------------------------------------------------------------------

_DUTCH = re.compile(
    r"\b(de|het|een|is|geen|niet|kolom|kolommen|rij|rijen|bestand|waarde|waarden|verplicht|veld|onbekende?|"
    r"datum|getal|grens|leesbare?|lijkt|ligt|komt|hoort|mag|moet|buiten|langer|tekens|kopregel|codering|"
    r"werkblad|levering|bevat)\b", re.IGNORECASE)


def is_dutch_rule(text: str) -> bool:
    return bool(text and text.strip()) and bool(_DUTCH.search(text)) and "Traceback" not in text


def assert_clear_outcome(fr) -> None:
    """Accepted without errors, or rejected with at least one Dutch error rule; never anything else."""
    assert fr.status in ("geaccepteerd", "afgewezen"), fr.status
    v = fr.validation
    assert v is not None
    for f in v.findings:
        assert isinstance(f.rij, int) and f.rij >= 0 and isinstance(f.kolom, str) and isinstance(f.waarde, str)
        assert f.ernst in ("fout", "waarschuwing") and is_dutch_rule(f.regel), f
    if fr.status == "geaccepteerd":
        assert v.errors == 0 and all(f.ernst == "waarschuwing" for f in v.findings)
    else:
        assert v.errors >= 1 and any(f.ernst == "fout" for f in v.findings), v
    # The error report echoes values: writing it must work for whatever came in.
    report = report_csv(fr).decode("utf-8-sig")
    assert report.startswith("bestand;rij;kolom;waarde;regel;ernst")


def write(tmp: Path, delivery: Delivery) -> Path:
    folder = Path(tempfile.mkdtemp(dir=tmp))
    path = folder / delivery.name
    path.write_bytes(delivery.data)
    return path


@pytest.fixture(autouse=True)
def _watchdog():
    """A hang (even inside C code) ends the run with every thread's stack instead of blocking CI."""
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@contextmanager
def env(**values):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update({k: str(v) for k, v in values.items()})
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


# --- validate -------------------------------------------------------------------------------

def test_the_valid_base_files_are_accepted(fuzz_dir):
    """The mangling starts from files that are accepted as they are."""
    for key, delivery in valid_files().items():
        fr = check_file(write(fuzz_dir, delivery))
        assert fr.status == "geaccepteerd", (key, fr.findings)


@settings(FUZZ, max_examples=80)
@given(random_byte_files())
@example(Delivery("flevoland_casussen_2024-Q2.csv", b""))
@example(Delivery("flevoland_casussen_2024-Q2.csv", b"casus_id;proeftuin\rA;flevoland\r"))  # old Mac line ends
@example(Delivery("flevoland_casussen_2024-Q2.csv", b'"\n'))  # no contract column at all
@example(Delivery("flevoland_casussen_2024-Q2.parquet", b"PAR1PAR1"))
@example(Delivery("flevoland_casussen_2024-Q2.xlsx", b"PK\x05\x06" + b"\x00" * 18))  # an empty zip
def test_validate_random_bytes(fuzz_dir, delivery):
    assert_clear_outcome(check_file(write(fuzz_dir, delivery)))


@FUZZ
@given(mangled_files())
def test_validate_truncated_reencoded_and_flipped_files(fuzz_dir, delivery):
    assert_clear_outcome(check_file(write(fuzz_dir, delivery)))


def _big(text: str) -> str:
    return (text * (BIG // len(text) + 1))[:BIG]


@FUZZ
@given(csv_files())
@example(Delivery("flevoland_casussen_2024-Q2.csv", ("casus_id;werkgebied\nA;" + _big("é") + "\n").encode()))
@example(Delivery("flevoland_casussen_2024-Q2.csv", (_big("naam") + "\nA\n").encode()))  # a 1 MB column name
@example(Delivery("flevoland_casussen_2024-Q2.csv", ('casus_id;werkgebied\nA;"' + _big('x\n;"') + '"\n').encode()))
@example(Delivery("flevoland_casussen_2024-Q2.csv", (";" * 5000 + "\n").encode()))  # thousands of empty names
@example(Delivery("flevoland_casussen_2024-Q2.csv", (";".join(f"k{i}" for i in range(700)) + "\n1\n").encode()))
def test_validate_random_csv(fuzz_dir, delivery):
    assert_clear_outcome(check_file(write(fuzz_dir, delivery)))


@settings(FUZZ, max_examples=40)
@given(parquet_files())
def test_validate_parquet_with_deeply_wrong_types(fuzz_dir, delivery):
    assert_clear_outcome(check_file(write(fuzz_dir, delivery)))


@settings(FUZZ, max_examples=40)
@given(xlsx_files())
def test_validate_xlsx_with_every_cell_type(fuzz_dir, delivery):
    assert_clear_outcome(check_file(write(fuzz_dir, delivery)))


# --- XLSX bombs and malformed zips ---------------------------------------------------------

def _xlsx_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(valid_files()["xlsx"].data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _zip(parts: dict[str, bytes] | list[tuple[str, bytes]], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are the point of one case
        with zipfile.ZipFile(buf, "w", compression=method) as z:
            for name, data in (parts.items() if isinstance(parts, dict) else parts):
                z.writestr(name, data)
    return buf.getvalue()


def _with_sheet(transform) -> bytes:
    parts = _xlsx_parts()
    parts["xl/worksheets/sheet1.xml"] = transform(parts["xl/worksheets/sheet1.xml"])
    return _zip(parts)


def _append_row(xml: bytes, row: bytes) -> bytes:
    return xml.replace(b"</sheetData>", row + b"</sheetData>")


def _patch_method(data: bytes, method: int) -> bytes:
    """Set the compression method of every member (local and central headers) to ``method``."""
    buf = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        for m in re.finditer(re.escape(sig), bytes(buf)):
            struct.pack_into("<H", buf, m.start() + offset, method)
    return bytes(buf)


def _set_flag(data: bytes, flag: int) -> bytes:
    buf = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for m in re.finditer(re.escape(sig), bytes(buf)):
            old = struct.unpack_from("<H", buf, m.start() + offset)[0]
            struct.pack_into("<H", buf, m.start() + offset, old | flag)
    return bytes(buf)


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
          + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
          + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')

# (name, builder, fragment of the expected rule or None when any clear error will do)
BOMBS = [
    ("highly compressed sheet", lambda: _zip({**_xlsx_parts(), "xl/worksheets/sheet1.xml": b"<" + b"a" * 30_000_000}),
     "gecomprimeerd"),
    ("cells in A1 and XFD1048576", lambda: _with_sheet(lambda x: _append_row(
        x, b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')), "kolommen"),
    ("many columns far down", lambda: _with_sheet(lambda x: _append_row(
        x, b'<row r="1048576"><c r="SF1048576" t="inlineStr"><is><t>x</t></is></c></row>')), "cellen"),
    ("cells without references", lambda: _with_sheet(lambda x: _append_row(
        x, b'<row r="1048576">' + b"<c/>" * 20_000 + b'<c t="inlineStr"><is><t>x</t></is></c></row>')), "kolommen"),
    ("prefixed tags without references", lambda: _with_sheet(lambda x: x.replace(
        b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ').replace(
        b"</sheetData>", b'<x:row r="1048576">' + b"<x:c/>" * 20_000 + b"</x:row></sheetData>")), "kolommen"),
    ("parts that unpack beyond the limit", lambda: _zip({**_xlsx_parts(), **{f"xl/media/p{i}.bin": bytes(900_000)
                                                                              for i in range(3)}}), "pakt uit tot"),
    ("billion laughs", lambda: _with_sheet(lambda x: LAUGHS), None),
    ("empty zip", lambda: _zip({}), None),
    ("no sheet", lambda: _zip({k: v for k, v in _xlsx_parts().items() if "worksheets" not in k}), None),
    ("parts that are not XML", lambda: _zip({k: b"\x00\xffgarbage" for k in _xlsx_parts()}), None),
    ("a zip inside the zip", lambda: _zip({"xl/workbook.xml": valid_files()["xlsx"].data}), None),
    ("path traversal names", lambda: _zip({**_xlsx_parts(), "../../../../tmp/evil.xml": b"<x/>"}), None),
    ("duplicate members", lambda: _zip([*_xlsx_parts().items(), ("xl/worksheets/sheet1.xml", b"<broken")]), None),
    ("unsupported compression method", lambda: _patch_method(_zip(_xlsx_parts(), zipfile.ZIP_STORED), 99), None),
    ("encrypted flag", lambda: _set_flag(_zip(_xlsx_parts()), 0x1), None),
    ("CRC mismatch", lambda: _zip(_xlsx_parts(), zipfile.ZIP_STORED).replace(b"Dronten", b"Drontem", 1), None),
    ("truncated central directory", lambda: valid_files()["xlsx"].data[:-10], None),
]


@pytest.mark.parametrize("name,build,fragment", BOMBS, ids=[b[0] for b in BOMBS])
def test_xlsx_bombs_refused_and_malformed_zips_handled(fuzz_dir, name, build, fragment):
    data = build()
    assert len(data) < 5_000_000, "a bomb is small when packed"
    limit = 2 if name == "parts that unpack beyond the limit" else 2048
    with env(MONITOR_MAX_XLSX_UNPACKED_MB=limit):
        fr = check_file(write(fuzz_dir, Delivery(f"{NAMES['casussen']}.xlsx", data)))
    assert_clear_outcome(fr)  # a damaged package: a clear error, or read as far as it is sound
    if fragment:  # a bomb: refused, with the reason
        assert fr.status == "afgewezen" and any(fragment in f.regel for f in fr.findings), fr.findings


def test_parquet_bomb_is_refused_before_its_rows_are_read(fuzz_dir):
    """One repeated value packs a billion rows into a megabyte: the row count is read first."""
    path = fuzz_dir / "bomb" / f"{NAMES['casussen']}.parquet"
    path.parent.mkdir()
    con = duckdb.connect()
    con.execute(f"COPY (SELECT 'x' AS casus_id FROM range(2_000_000)) TO '{path}' (FORMAT parquet)")
    assert path.stat().st_size < 200_000
    with env(MONITOR_MAX_ROWS=1000):
        with pytest.raises(readers.ReadError, match="2,000,000 rijen; de grens is 1,000"):
            readers.read_into(con, path, "parquet")
        assert not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'raw'").fetchall()[0][0]
        assert_clear_outcome(check_file(path))
    con.close()


# --- ingest: a rejected file leaves the store as it was -------------------------------------

@pytest.fixture(scope="module")
def fuzz_store(fuzz_dir) -> Store:
    """A store with accepted casussen, teamleden and themas deliveries to protect."""
    store = Store(fuzz_dir / "store")
    base = fuzz_dir / "base"
    base.mkdir()
    files = []
    for key in ("csv-nl", "teamleden-xlsx", "themas-parquet"):
        files.append(base / valid_files()[key].name)
        files[-1].write_bytes(valid_files()[key].data)
    assert ingest_files(files, store, ontvangen=dt.date(2024, 7, 10)).all_accepted
    return store


def store_state(store: Store):
    """CURRENT's content, the rows of the data tables and views, and the delivery log."""
    current = store.current_file.read_text(encoding="ascii")
    con = duckdb.connect(str(store.current_snapshot()), read_only=True)
    try:
        tables = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                  for t in ("casussen", "teamleden", "themas", "casussen_actueel", "teamleden_actueel",
                            "themas_actueel", "actuele_leveringen")}
        log = con.execute("SELECT * FROM leveringen ORDER BY levering_id").fetchall()
        columns = [d[0] for d in con.execute("SELECT * FROM leveringen LIMIT 0").description]
    finally:
        con.close()
    return current, tables, [dict(zip(columns, row)) for row in log]


@settings(FUZZ, max_examples=30)
@given(any_file)
@example(Delivery("flevoland_casussen_2024-Q2.csv", b"casus_id;proeftuin\rA;flevoland\r"))
@example(Delivery("flevoland_casussen_2024-Q2.xlsx", _with_sheet(lambda x: _append_row(
    x, b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'))))
def test_ingest_rejected_file_leaves_snapshot_and_log_unchanged(fuzz_store, fuzz_dir, delivery):
    before_current, before_tables, before_log = store_state(fuzz_store)
    (fr,) = ingest_files([write(fuzz_dir, delivery)], fuzz_store, ontvangen=dt.date(2024, 7, 11)).files
    after_current, after_tables, after_log = store_state(fuzz_store)
    if fr.repeated:  # the same bytes came before: nothing at all happens
        assert (after_current, after_tables, after_log) == (before_current, before_tables, before_log)
        return
    assert_clear_outcome(fr)
    if fr.status == "geaccepteerd":
        return  # a clean accept may change the figures; the next example compares against it
    assert after_tables == before_tables
    assert after_log[:-1] == before_log, "earlier log lines changed"
    new = after_log[-1]
    assert new["levering_id"] == fr.levering_id == max(r["levering_id"] for r in before_log) + 1
    assert (new["status"], new["in_gebruik"], new["bestandsnaam"]) == ("afgewezen", False, delivery.name)
    assert new["aantal_fouten"] >= 1 and new["checksum"] == fr.checksum
    assert (fuzz_store.archive_dir / fr.checksum).read_bytes() == delivery.data


def test_no_leftovers_after_fuzzing(fuzz_store):
    """Every ingest above finished its snapshot: nothing half-built stays behind."""
    assert not list(fuzz_store.snapshots_dir.glob("*.bouw*"))
    assert fuzz_store.has_snapshot()
