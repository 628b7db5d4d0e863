"""Checking and taking in deliveries: every file archived, every outcome logged, nothing half-done.

``check_file`` validates one file (used by ``validate``, writes nothing to the store).
``ingest_files`` checks a batch, archives every file, and publishes one new snapshot with the
accepted deliveries and the log lines and error reports of all of them: one transaction. Nothing
of a batch is visible before that snapshot is published (archive files are staged, reports live
in the snapshot), and the audit log, the reports next to the files and the caller's
``on_result`` follow only after it.

A batch is checked by ``check_files``: every file is read into its own table (two files at a
time), then the files of one soort are validated together (a few queries for the whole batch, not
per file: the demo's 458 small files cost about 60 ms each when checked one by one).
"""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import io
import itertools
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from . import audit, contract, reference
from .readers import RawTable, ReadError, read_into
from .store import NotRecorded, Store, sha256_file
from .validate import FOUT, WAARSCHUWING, Finding, Item, Validation, stored_columns, validate_batch

# Bigger files than this get a progress bar on the terminal.
PROGRESS_BYTES = 20 * 1024 * 1024

# Files of one soort are validated together up to this many bytes: the rows of one pass are in
# memory together (as text and typed), the accepted ones then only typed until stored.
PASS_BYTES = 256 * 1024 * 1024

# The raw tables of a batch live in in-memory databases attached to the snapshot's connection
# under this name and their soort, so that the cursors reading files side by side (READERS at a
# time) share them (_Reading).
RAW_DATABASE = "ruw"
READERS = 2


@dataclass(frozen=True)
class Meta:
    proeftuin: str
    soort: str
    periode: str
    formaat: str

    @property
    def peildatum(self) -> dt.date:
        return contract.peildatum(self.periode)


@dataclass(frozen=True)
class Override:
    """CLI flags that give proeftuin, soort and period instead of the file name."""

    proeftuin: str | None = None
    soort: str | None = None
    periode: str | None = None


@dataclass
class FileResult:
    path: Path
    meta: Meta | None
    checksum: str = ""
    validation: Validation | None = None
    status: str = ""  # geaccepteerd | afgewezen | ongewijzigd
    levering_id: int | None = None
    message: str = ""
    report_path: Path | None = None
    typed: str | None = None  # temporary table with the accepted rows (by bestand), until stored
    bestand: int = 0  # the file's number in its batch
    demo: bool = False
    repeated: bool = False  # the same file was received before: nothing changed

    @property
    def accepted(self) -> bool:
        return self.status in ("geaccepteerd", "ongewijzigd") and (
            self.validation is None or self.validation.ok)

    @property
    def findings(self) -> list[Finding]:
        return self.validation.findings if self.validation else []


def file_meta(path: Path, override: Override | None = None) -> Meta:
    """Proeftuin, soort, period and format from the file name and/or the flags.

    Raises ValueError with a Dutch message naming the rule.
    """
    ext = path.suffix.lower()
    if ext not in contract.EXTENSIONS:
        raise ValueError(f"bestandstype '{path.suffix}' wordt niet ondersteund; lever .csv, .xlsx of .parquet aan")
    m = contract.FILENAME_RE.match(path.name)
    o = override or Override()
    proeftuin = o.proeftuin or (m.group("proeftuin").lower() if m else None)
    soort = o.soort or (m.group("soort").lower() if m else None)
    periode = o.periode or (f"{m.group('jaar')}-Q{m.group('kwartaal')}" if m else None)
    if not (proeftuin and soort and periode):
        raise ValueError(
            "de bestandsnaam volgt niet het patroon <proeftuin>_<soort>_<jjjj>-Q<k>.<csv|xlsx|parquet> "
            "(bijvoorbeeld flevoland_casussen_2024-Q2.xlsx); geef anders --proeftuin, --soort en --periode op"
        )
    if proeftuin not in reference.proeftuin_codes():
        raise ValueError(f"onbekende proeftuin '{proeftuin}'; bekend zijn: {', '.join(sorted(reference.proeftuin_codes()))}")
    if soort not in contract.SOORTEN:
        raise ValueError(f"onbekende soort '{soort}'; bekend zijn: {', '.join(contract.SOORTEN)}")
    periode = periode.strip().upper()
    contract.parse_periode(periode)
    return Meta(proeftuin, soort, periode, contract.EXTENSIONS[ext])


def check_file(path: Path, override: Override | None = None, progress=None) -> FileResult:
    """Read and validate one file in a private in-memory database; touch nothing else."""
    con = duckdb.connect()
    try:
        return check_files(con, [path], override, [progress])[0]
    finally:
        con.close()


def check_files(con: duckdb.DuckDBPyConnection, paths: list[Path], override: Override | None = None,
                progress: list | None = None, ready=None) -> list[FileResult]:
    """Read and validate a batch of files beside ``con``; touch nothing else.

    The files are read into an in-memory database attached to ``con`` while they are checked.
    The rows of each accepted file stay in the temporary table ``FileResult.typed`` (column
    bestand = ``FileResult.bestand``) for :func:`store_typed`. ``progress`` holds a progress
    bar or None per file; ``ready(path)`` as in :func:`ingest_files`.
    """
    results: list[FileResult] = []
    to_read: list[tuple[int, Path, Meta]] = []
    for k, path in enumerate(paths):
        path = Path(path)
        try:
            meta = file_meta(path, override)
        except ValueError as e:
            results.append(FileResult(path, None, status="afgewezen", message=str(e), validation=_file_error(str(e)),
                                      bestand=k))
            continue
        results.append(FileResult(path, meta, bestand=k))
        to_read.append((k, path, meta))
    pending: dict[str, list[Item]] = {}
    passes = itertools.count()

    def take_read(reading: _Reading) -> None:
        for (k, path, meta), raw in reading.results():
            fr = results[k]
            _step(progress[k] if progress else None, "lezen")
            if isinstance(raw, ReadError):  # what the read left goes with the soort's database
                fr.validation = _file_error(str(raw))
                fr.status, fr.message = "afgewezen", str(raw)
                continue
            pending.setdefault(meta.soort, []).append(
                Item(k, reading.table(k, meta.soort), raw, meta.proeftuin, meta.peildatum))

    def validate(reading: _Reading, soort: str) -> None:
        _validate_pass(con, soort, pending.pop(soort), results, progress, next(passes))
        reading.empty(soort)

    with _Reading(con, len(to_read) == 1) as reading:
        for item, full in _runs(to_read, ready):
            reading.submit(item)
            if full is not None:
                take_read(reading)
                if full in pending:
                    validate(reading, full)
        take_read(reading)
        for soort in list(pending):
            validate(reading, soort)
    return results


def _runs(files: list[tuple[int, Path, Meta]], ready=None):
    """(file, soort) in order, each file once it is completely written (``ready``): soort None
    while reading goes on, a soort when the files of that soort read so far hold PASS_BYTES (its
    pass of validation follows), so that no more files are read ahead than one pass holds."""
    size: dict[str, int] = {}
    for item in files:
        if ready is not None:
            ready(item[1])
        soort = item[2].soort
        size[soort] = size.get(soort, 0) + item[1].stat().st_size
        if size[soort] >= PASS_BYTES:
            size[soort] = 0
            yield item, soort
        else:
            yield item, None


class _Reading:
    """Files read READERS at a time, each by one DuckDB thread on a cursor of its own, as they
    are handed in (:meth:`submit`): the demo's files are read while the writers write the next.

    DuckDB's parallel reading of one 20-40 MB CSV took a third more CPU and more time than
    reading two of them side by side, one thread each (1M-row bench: 2.0 against 2.6 s of CPU).
    A batch of a single file keeps every thread. The raw tables of each soort live in an
    in-memory database of their own, attached to ``con`` (shared by the cursors): after the
    soort's pass one DETACH drops them all (two DROPs per file cost 0.3 s of the demo's start).
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, alone: bool):
        self.con, self.alone = con, alone
        self.attached: set[str] = set()
        self.futures: list[tuple[tuple[int, Path, Meta], Future]] = []
        self.pool: ThreadPoolExecutor | None = None
        self.threads: int | None = None

    def __enter__(self) -> _Reading:
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._stop()
        finally:
            for database in sorted(self.attached):
                self.con.execute(f"DETACH {database}")

    @staticmethod
    def database(soort: str) -> str:
        return f"{RAW_DATABASE}_{soort}"

    @classmethod
    def table(cls, k: int, soort: str) -> str:
        return f"{cls.database(soort)}._ruw_{k}"

    def submit(self, item: tuple[int, Path, Meta]) -> None:
        database = self.database(item[2].soort)
        if database not in self.attached:
            self.con.execute(f"ATTACH ':memory:' AS {database}")
            self.attached.add(database)
        if self.alone:
            future: Future = Future()
            future.set_result(self._read(item))
        else:
            if self.pool is None:
                self.threads = self.con.execute("SELECT current_setting('threads')").fetchall()[0][0]
                self.con.execute("SET threads = 1")
                self.pool = ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="lezen")
            future = self.pool.submit(self._read, item)
        self.futures.append((item, future))

    def results(self) -> list[tuple[tuple[int, Path, Meta], RawTable | ReadError]]:
        """Per file handed in since the last call, in order, its RawTable or its ReadError; every
        thread is the connection's again when this returns."""
        try:
            return [(item, future.result()) for item, future in self.futures]
        finally:
            self.futures = []
            self._stop()

    def empty(self, soort: str) -> None:
        """Drop every raw table of the soort (none is being read)."""
        database = self.database(soort)
        if database in self.attached:
            self.con.execute(f"DETACH {database}")
            self.attached.discard(database)

    def _read(self, item: tuple[int, Path, Meta]) -> RawTable | ReadError:
        k, path, meta = item
        cursor = self.con.cursor()
        try:
            return read_into(cursor, path, meta.formaat, self.table(k, meta.soort))
        except ReadError as e:
            return e
        finally:
            cursor.close()

    def _stop(self) -> None:
        if self.pool is not None:
            # A failure elsewhere (a writer that never finishes a file) leaves no read running.
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
            self.con.execute(f"SET threads = {int(self.threads)}")


def _validate_pass(con, soort: str, items: list[Item], results: list[FileResult], progress, number: int) -> None:
    """Validate files of one soort together; keep their typed rows for the accepted ones."""
    parsed = f"_gecontroleerd_{number}"
    validations = validate_batch(con, soort, items, parsed)
    con.execute(f"DROP TABLE IF EXISTS {parsed}_dubbel")
    if not any(v.ok for v in validations.values()):
        con.execute(f"DROP TABLE IF EXISTS {parsed}")
    for it in items:
        fr = results[it.bestand]  # one result per file, in batch order
        fr.validation = validations[it.bestand]
        if fr.validation.ok:
            fr.status = "geaccepteerd"
            fr.typed = parsed
            fr.demo = soort == "casussen" and fr.validation.rows > 0 and fr.validation.demo
        else:
            fr.status = "afgewezen"
        _step(progress[it.bestand] if progress else None, "controleren")


def store_typed(con: duckdb.DuckDBPyConnection, files: list[FileResult]) -> None:
    """Insert the rows of the accepted files into their tables, in file and row order."""
    tables: dict[tuple[str, str], list[FileResult]] = {}
    for fr in files:
        if fr.typed is not None and fr.levering_id is not None and fr.status == "geaccepteerd":
            tables.setdefault((fr.typed, fr.meta.soort), []).append(fr)
    for (typed, soort), accepted in tables.items():
        # The delivery id of each bestand, looked up by position (a list is 1-based).
        ids = [None] * (max(fr.bestand for fr in accepted) + 1)
        for fr in accepted:
            ids[fr.bestand] = fr.levering_id
        con.execute(f"""INSERT INTO {soort} BY NAME
                        SELECT CAST(? AS INTEGER[])[bestand + 1] AS levering_id, {stored_columns(soort)}
                        FROM {typed} WHERE bestand IN ({', '.join(str(fr.bestand) for fr in accepted)})
                        ORDER BY bestand, rij""", [ids])
    for fr in files:
        if fr.typed is not None:
            con.execute(f"DROP TABLE IF EXISTS {fr.typed}")
            fr.typed = None


def _file_error(message: str) -> Validation:
    return Validation(findings=[Finding(0, "", "", message)], errors=1, warnings=0, rows=0)


def _step(progress, label: str) -> None:
    if progress is not None:
        progress.set_postfix_str(label)
        progress.update(1)


def report_csv(result: FileResult) -> bytes:
    """The findings of one file as a Dutch Excel CSV (';', UTF-8 with BOM)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(["bestand", "rij", "kolom", "waarde", "regel", "ernst"])
    for f in result.findings:
        # The file name and a column name are the sender's text as much as a value is.
        w.writerow([_neutralise(result.path.name), f.rij or "", _neutralise(f.kolom), _neutralise(f.waarde),
                    f.regel, f.ernst])
    v = result.validation
    if v and (v.errors + v.warnings) > len(v.findings):
        rest = v.errors + v.warnings - len(v.findings)
        w.writerow([_neutralise(result.path.name), "", "", "", f"... en nog {rest} bevindingen", ""])
    return buf.getvalue().encode("utf-8-sig")


def _neutralise(value: str) -> str:
    """A value that Excel would read as a formula is shown as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_report_next_to(result: FileResult) -> Path | None:
    """Write ``<name>.fouten.csv`` beside the file when there is anything to report."""
    target = result.path.with_name(result.path.name + ".fouten.csv")
    try:
        if result.findings:
            target.write_bytes(report_csv(result))
            return target
        target.unlink(missing_ok=True)
    except OSError:
        return None  # a read-only delivery folder: the report is still in the store and on screen
    return None


@dataclass
class IngestResult:
    files: list[FileResult] = field(default_factory=list)

    @property
    def all_accepted(self) -> bool:
        return all(f.accepted for f in self.files)


def ingest_files(paths: list[Path], store: Store, ontvangen: dt.date | None = None,
                 override: Override | None = None, demo: bool = False,
                 ontvangen_per_file: dict[Path, dt.date] | None = None,
                 progress_factory=None, on_result=None, door: str | None = None,
                 only_into_empty: bool = False, ready=None) -> IngestResult:
    """Check, archive and log every file; publish one new snapshot with the accepted ones.

    Files are processed in the given order; of the accepted deliveries for the same proeftuin,
    soort and period the one received last is in force. `on_result` is called per file once the
    snapshot is published; `door` is who ingests, for the audit log (default: the system user),
    and, when given (the web page's uploads), kept in the delivery log as ontvangen_door.
    With `only_into_empty` nothing happens unless the store never held anything (the demo set).
    `ready(path)` (the demo set, read while it is written) returns once a file is completely
    written, and raises when it never will be; nothing of the batch is published then.
    Raises StoreDamaged for a damaged store, OSError for a full disk: nothing is published then.
    """
    result = IngestResult()
    today = dt.date.today()
    staged: list[Path] = []
    with store.lock():
        store.clean_leftovers()
        if only_into_empty and (store.current_snapshot() is not None or store.holds_data()):
            return result
        builder = None
        try:
            with store.new_snapshot() as builder:
                ids: list[int] = []  # reserved for the rest of the batch when the first is needed

                def next_id(remaining: int) -> int:
                    if not ids:
                        ids.extend(store.reserve_ids(builder.con, remaining))
                    return ids.pop(0)

                paths = [Path(p) for p in paths]
                bars = [progress_factory(p) if progress_factory and p.stat().st_size > PROGRESS_BYTES else None
                        for p in paths]
                # Hashing and archiving (an fsync per file) wait on the disk, not the processor:
                # one thread does them in file order while DuckDB checks the files.
                archiver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="archief")
                try:
                    archived = [archiver.submit(_archive, store, p, staged, ready) for p in paths]
                    checked = check_files(builder.con, paths, override, bars, ready)
                    log = _DeliveryLog(builder.con)
                    for number, fr in enumerate(checked):
                        _ingest_one(log, fr, archived[number], bars[number],
                                    (ontvangen_per_file or {}).get(fr.path, ontvangen or today), demo, staged,
                                    lambda n=len(paths) - number: next_id(n), door)
                        result.files.append(fr)
                    log.write()
                    store_typed(builder.con, result.files)
                finally:
                    # A failure stops the files not yet started; what was staged is in `staged`.
                    archiver.shutdown(cancel_futures=True)
                    for bar in bars:
                        if bar is not None:
                            bar.close()
                # Files received before change nothing: no new snapshot then.
                builder.changed = any(not f.repeated for f in result.files)
        finally:
            if builder is not None and builder.published:
                store.commit_staged(staged)
            else:
                store.discard_staged(staged)
    for fr in result.files:
        fr.report_path = write_report_next_to(fr)
        if on_result:
            on_result(fr)
    _record(store, result, door or system_user())
    return result


def system_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # a container user without a name
        return f"uid {os.getuid()}"


def _record(store: Store, result: IngestResult, who: str) -> None:
    try:
        for fr in result.files:
            m = fr.meta
            audit.record(store.root, audit.INGEST, who, levering_id=fr.levering_id, proeftuin=m and m.proeftuin,
                         soort=m and m.soort, periode=m and m.periode, status=fr.status, checksum=fr.checksum,
                         bestandsnaam=fr.path.name)
    except OSError as e:
        raise NotRecorded(f"de leveringen zijn ingelezen en gepubliceerd, maar het auditlog kon ze niet vastleggen "
                          f"({e.strerror or e})") from e


def _archive(store: Store, path: Path, staged: list[Path], ready=None) -> tuple[str, Path | None]:
    """The file's checksum, and its copy staged in the archive (None: the archive holds it)."""
    if ready is not None:
        ready(path)
    checksum = sha256_file(path)
    new = store.stage_archive(path, checksum)
    if new is not None:
        staged.append(new)
    return checksum, new


class _DeliveryLog:
    """The batch's rows for the delivery log and its reports, written by one statement each
    (:meth:`write`): an INSERT per file cost some 1.2 ms, half a second of the demo's first
    start. A file is compared with the rows of the batch before it as with the stored ones."""

    COLUMNS = ("levering_id", "proeftuin", "soort", "periode", "peildatum", "bestandsnaam", "checksum", "formaat",
               "ontvangen", "rijen", "status", "aantal_fouten", "aantal_waarschuwingen", "formaat_versie", "demo",
               "ontvangen_door")
    ROWS_PER_STATEMENT = 256

    def __init__(self, con) -> None:
        self.con = con
        # The checksums in the log so far: a file never received before needs no look-up.
        self.checksums = {r[0] for r in con.execute("SELECT DISTINCT checksum FROM leveringen").fetchall()}
        self.batch: dict[tuple, tuple[int, str]] = {}  # (checksum, proeftuin, soort, periode): the batch's latest
        self.rows: list[tuple] = []
        self.reports: list[tuple[int, bytes]] = []

    def earlier(self, checksum: str, m: Meta) -> tuple[int, str] | None:
        """The latest delivery of this file for the same proeftuin, soort and period: (id, status)."""
        if checksum not in self.checksums:
            return None
        key = (checksum, m.proeftuin, m.soort, m.periode)
        if key in self.batch:  # the batch's ids follow the stored ones
            return self.batch[key]
        same = self.con.execute(
            """SELECT levering_id, status FROM leveringen
               WHERE checksum = ? AND proeftuin = ? AND soort = ? AND periode = ?
               ORDER BY levering_id DESC LIMIT 1""",
            list(key),
        ).fetchall()
        return same[0] if same else None

    def add(self, row: tuple, report: bytes | None) -> None:
        """One line of the log, its values in COLUMNS order, and the file's report if it has one."""
        line = dict(zip(self.COLUMNS, row))
        self.checksums.add(line["checksum"])
        key = (line["checksum"], line["proeftuin"], line["soort"], line["periode"])
        self.batch[key] = (line["levering_id"], line["status"])
        self.rows.append(row)
        if report is not None:
            self.reports.append((line["levering_id"], report))

    def write(self) -> None:
        names = ", ".join(self.COLUMNS)
        marks = "(" + ", ".join("?" * len(self.COLUMNS)) + ")"
        for i in range(0, len(self.rows), self.ROWS_PER_STATEMENT):
            part = self.rows[i:i + self.ROWS_PER_STATEMENT]
            self.con.execute(
                f"INSERT INTO leveringen ({names}, verwerkt_op, in_gebruik) "
                f"SELECT *, current_timestamp, false FROM (VALUES {', '.join([marks] * len(part))})",
                [v for row in part for v in row])
        for i in range(0, len(self.reports), self.ROWS_PER_STATEMENT):
            part = self.reports[i:i + self.ROWS_PER_STATEMENT]
            self.con.execute(f"INSERT INTO foutrapporten VALUES {', '.join(['(?, ?)'] * len(part))}",
                             [v for row in part for v in row])
        self.rows, self.reports = [], []


def _ingest_one(log: _DeliveryLog, fr: FileResult, archived: Future, progress, ontvangen: dt.date, demo: bool,
                staged: list[Path], new_id, door: str | None = None) -> FileResult:
    """Log a checked file (its rows follow in store_typed) once it is archived; keep its report.

    ``archived``: the checksum and staged copy from :func:`_archive`."""
    path = fr.path
    checksum, new = archived.result()
    fr.checksum = checksum
    same = log.earlier(checksum, fr.meta) if fr.meta is not None else None
    if same:
        fr.levering_id, earlier = same
        fr.status = "ongewijzigd" if earlier == "geaccepteerd" else "afgewezen"
        fr.message = f"dit bestand is al eerder ontvangen (levering {fr.levering_id}, {earlier}); niets gewijzigd"
        fr.repeated = True
        if new is not None:  # received before and purged since: nothing to archive again
            staged.remove(new)
            Store.discard_staged([new])
        return fr
    _step(progress, "opslaan")
    levering_id = new_id()
    m = fr.meta
    v = fr.validation
    fr.levering_id = levering_id
    if fr.status == "geaccepteerd":
        fr.message = f"geaccepteerd: {v.rows} rijen" + (f", {v.warnings} waarschuwingen" if v.warnings else "")
    else:
        fr.message = fr.message or f"afgewezen: {v.errors} fouten"
    log.add((levering_id, m and m.proeftuin, m and m.soort, m and m.periode, m and m.peildatum, path.name,
             checksum, m and m.formaat, ontvangen, v.rows if v else 0, fr.status,
             v.errors if v else 0, v.warnings if v else 0, contract.FORMAT_VERSION, demo or fr.demo, door),
            report_csv(fr) if fr.findings else None)
    return fr


__all__ = ["FOUT", "WAARSCHUWING", "FileResult", "IngestResult", "Meta", "Override",
           "check_file", "check_files", "file_meta", "ingest_files", "report_csv", "write_report_next_to"]
