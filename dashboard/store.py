"""The file store: raw archive, error reports and immutable DuckDB snapshots.

Writers build a complete new snapshot file and publish it by replacing the one-line file
``CURRENT`` with ``os.replace``; readers only ever open snapshots read-only. A writer killed at
any moment leaves the published snapshot untouched (see docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb

from . import aggregates, audit, config, reference
from .terminal import clean

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
# Suffixes of files a writer makes before it publishes; a killed writer may leave them behind.
UNFINISHED = (".tmp", ".nieuw", ".bouw", ".bouw.wal")
DATA_TABLES = ("leveringen", "casussen", "teamleden", "themas")
KEEP_OLD_SNAPSHOTS = 2  # older snapshots a slow reader may still have open


# The names new_snapshot gives: anything else in CURRENT (a path, '../', garbage) is refused.
SNAPSHOT_NAME = re.compile(r"\d{8}T\d{12}-\d{1,10}\.duckdb")


class StoreLocked(Exception):
    pass


class NotRecorded(Exception):
    """The snapshot is published, but the audit log could not record the ingest or purge."""


class StoreDamaged(Exception):
    """The store is not what it should be (Dutch message). Nothing may read, write or replace it
    until someone has looked: an empty-looking store would otherwise be filled anew."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def open_snapshot(snap: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to `snap` after reading its whole delivery log; StoreDamaged when
    DuckDB cannot (a truncated or overwritten file)."""
    try:
        con = duckdb.connect(str(snap), read_only=True)
    except duckdb.Error as e:
        raise _unreadable(snap, e) from e
    try:
        _read_whole(con, "leveringen")
    except duckdb.Error as e:
        con.close()
        raise _unreadable(snap, e) from e
    return con


def check_snapshot(snap: Path) -> None:
    """Read every table of `snap` whole (a truncated file can still answer a count from its
    metadata); StoreDamaged when DuckDB cannot."""
    con = open_snapshot(snap)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall()]
        for table in tables:
            _read_whole(con, table)
    except duckdb.Error as e:
        raise _unreadable(snap, e) from e
    finally:
        con.close()


def _read_whole(con: duckdb.DuckDBPyConnection, table: str) -> None:
    con.execute(f'SELECT count(*), bit_xor(hash(t)) FROM "{table}" t').fetchall()


def _unreadable(snap: Path, e: Exception) -> StoreDamaged:
    first_line = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return StoreDamaged(f"snapshot {snap.name} kan niet geopend worden: {clean(first_line)}")


def _remove_building(building: Path) -> None:
    building.unlink(missing_ok=True)
    Path(f"{building}.wal").unlink(missing_ok=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _Discard(Exception):
    pass


class SnapshotBuilder:
    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.changed = True
        self.forget_old = False  # remove every older snapshot after publishing (purge)
        self.published = False  # set the moment CURRENT names the new snapshot


class Store:
    """One data directory (``--data-dir`` or ``MONITOR_DATA_DIR``)."""

    def __init__(self, data_dir: Path | str | None = None):
        self.root = Path(data_dir) if data_dir else config.data_dir()
        self.archive_dir = self.root / "archief"
        self.reports_dir = self.root / "rapporten"
        self.snapshots_dir = self.root / "snapshots"
        self.current_file = self.root / "CURRENT"
        self.lock_file = self.root / ".ingest.lock"
        self.id_file = self.root / "volgnummer"  # the highest delivery id ever given out
        self._verified: tuple | None = None

    # --- reading ----------------------------------------------------------------------

    def current_snapshot(self) -> Path | None:
        """The snapshot in force; None only for a store that never held anything.

        Raises StoreDamaged when CURRENT is unreadable, names no snapshot, names one that is
        missing, or is missing while the store holds data.
        """
        name = self._current_name()
        if name is None:
            return None
        snap = self.snapshots_dir / name
        if snap.is_file():
            return snap
        # A purge may have published a new snapshot and removed this one since CURRENT was read.
        again = self._current_name()
        if again is not None and again != name and (self.snapshots_dir / again).is_file():
            return self.snapshots_dir / again
        raise StoreDamaged(f"CURRENT verwijst naar snapshot {name}, maar dat bestand ontbreekt in {self.snapshots_dir}")

    def _current_name(self) -> str | None:
        try:
            raw = self.current_file.read_bytes()
        except FileNotFoundError:
            if self.holds_data():
                raise StoreDamaged(f"het bestand CURRENT ontbreekt in {self.root}, maar de gegevensmap bevat wel "
                                   "snapshots, archiefbestanden of rapporten") from None
            return None
        except OSError as e:
            raise StoreDamaged(f"het bestand CURRENT in {self.root} is niet leesbaar ({e.strerror})") from None
        name = raw.decode("ascii", errors="replace").strip()
        if not SNAPSHOT_NAME.fullmatch(name):
            raise StoreDamaged(f"het bestand CURRENT in {self.root} bevat geen geldige snapshotnaam: "
                               f"'{clean(name[:80])}'")
        return name

    def holds_data(self) -> bool:
        """True when anything was ever published here: a snapshot, an archived file or a report.

        Leftovers of an interrupted first ingest (``*.bouw``, ``*.tmp``, ``*.nieuw``) do not count.
        """
        for folder, pattern in ((self.snapshots_dir, "*.duckdb"), (self.archive_dir, "*"), (self.reports_dir, "*")):
            if folder.is_dir() and any(not p.name.endswith(UNFINISHED) for p in folder.glob(pattern)):
                return True
        return False

    def has_snapshot(self) -> bool:
        """True when a snapshot is in force; False for a store that never held anything."""
        return self.current_snapshot() is not None

    def verified_snapshot(self) -> Path | None:
        """The snapshot in force after reading it whole (StoreDamaged if that fails)."""
        snap = self.current_snapshot()
        if snap is None:
            return None
        st = snap.stat()
        identity = (snap, st.st_ino, st.st_size, st.st_mtime_ns)
        if identity != self._verified:  # an ingest checks once, for its clean-up and its build
            check_snapshot(snap)
            self._verified = identity
        return snap

    # --- writing ----------------------------------------------------------------------

    def ensure_dirs(self) -> None:
        for d in (self.root, self.archive_dir, self.snapshots_dir):
            d.mkdir(parents=True, exist_ok=True)
        # Raw files and snapshots are personal data: only the service user may read them.
        for d in (self.archive_dir, self.snapshots_dir):
            os.chmod(d, 0o700)

    def stage_archive(self, src: Path, checksum: str) -> Path | None:
        """Copy a received file unchanged to ``archief/<sha256>.nieuw``, on disk before the
        snapshot that logs it is published; None when the archive holds it already.

        :meth:`commit_staged` gives it its final name after publishing; :meth:`clean_leftovers`
        finishes or removes what a killed ingest left.
        """
        target = self.archive_dir / checksum
        staged = target.with_name(checksum + ".nieuw")
        if target.exists() or staged.exists():
            return None
        try:
            shutil.copyfile(src, staged)
            os.chmod(staged, 0o600)
            with open(staged, "rb") as f:
                os.fsync(f.fileno())
        except BaseException:
            staged.unlink(missing_ok=True)  # a full disk leaves no half copy behind
            raise
        return staged

    def commit_staged(self, staged: list[Path]) -> None:
        for path in staged:
            os.replace(path, path.with_suffix(""))
        if staged:
            _fsync_dir(self.archive_dir)

    @staticmethod
    def discard_staged(staged: list[Path]) -> None:
        for path in staged:
            path.unlink(missing_ok=True)

    def reserve_ids(self, con: duckdb.DuckDBPyConnection, count: int) -> range:
        """`count` new delivery ids, recorded on disk before they are used: an id is never given
        twice, also not after a killed ingest whose snapshot was never published. (Once per
        batch: an fsync per file would add seconds to the 458 files of the demo set.)"""
        used = con.execute("SELECT coalesce(max(levering_id), 0) FROM leveringen").fetchall()[0][0]
        first = max(used, self.high_water()) + 1
        tmp = self.id_file.with_suffix(".tmp")
        with open(tmp, "w", encoding="ascii") as f:
            f.write(f"{first + count - 1}\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.id_file)
        _fsync_dir(self.root)
        return range(first, first + count)

    def high_water(self) -> int:
        try:
            text = self.id_file.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return 0
        except (OSError, UnicodeDecodeError) as e:
            raise StoreDamaged(f"het bestand {self.id_file.name} (hoogste leveringsnummer) is niet leesbaar: {e}") from None
        if not text.isdigit():
            raise StoreDamaged(f"het bestand {self.id_file.name} bevat geen leveringsnummer: '{clean(text[:40])}'")
        return int(text)

    def clean_leftovers(self) -> None:
        """Finish or remove what an interrupted ingest or purge left behind (under the lock).

        Unfinished snapshots and temporary files go. A staged archive file that the published
        log refers to gets its final name (the ingest was killed right after publishing); any
        other staged file goes. An archived file that no delivery of any snapshot refers to
        (a purge killed after publishing) goes, and so does an old ``rapporten/<id>.csv`` that
        the snapshot holds or whose delivery is not in the log.
        """
        current = self.verified_snapshot()  # StoreDamaged: nothing is cleaned in a damaged store
        self._remove_unfinished()
        for tmp in (self.current_file.with_suffix(".tmp"), self.id_file.with_suffix(".tmp")):
            tmp.unlink(missing_ok=True)
        log, reports = _log_and_reports(current) if current is not None else (set(), set())
        referred = self._referred_by_any_snapshot(current, log)
        for path in self.archive_dir.glob("*") if self.archive_dir.is_dir() else []:
            if path.suffix == ".nieuw" and path.stem in log:
                self.commit_staged([path])
            elif path.name.endswith(UNFINISHED) or (referred is not None and path.name not in referred):
                path.unlink(missing_ok=True)
        ids = _delivery_ids(current) if current is not None else set()
        for path in self.reports_dir.glob("*.csv") if self.reports_dir.is_dir() else []:
            if not path.stem.isdigit() or int(path.stem) not in ids or int(path.stem) in reports:
                path.unlink(missing_ok=True)

    def _referred_by_any_snapshot(self, current: Path | None, log: set[str]) -> set[str] | None:
        """The checksums any snapshot still logs (an older one too: CURRENT may have been set back
        by hand); None when there is no snapshot or one cannot be read, so nothing is removed."""
        if current is None:
            return None
        referred = set(log)
        for snap in self.snapshots_dir.glob("*.duckdb"):
            if snap != current:
                try:
                    referred |= _log_and_reports(snap)[0]
                except StoreDamaged:
                    return None
        return referred

    @contextmanager
    def lock(self):
        """Serialise writers: one ingest or purge at a time builds a snapshot."""
        self.ensure_dirs()
        with open(self.lock_file, "a+") as f:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreLocked("er loopt al een andere inlees- of verwijderopdracht op deze gegevensmap") from None
            try:
                yield
            finally:
                fcntl.flock(f.fileno(), fcntl.LOCK_UN)

    @contextmanager
    def new_snapshot(self):
        """A :class:`SnapshotBuilder` for a new snapshot holding everything of the current one.

        The caller adds or changes rows through ``builder.con``; on a clean exit the snapshot is
        finished and published, unless the caller set ``builder.changed = False``.
        Must be used inside :meth:`lock`.
        """
        old = self.verified_snapshot()  # a damaged store is never rebuilt from nothing
        self.ensure_dirs()
        self._remove_unfinished()
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        final = self.snapshots_dir / f"{stamp}-{os.getpid()}.duckdb"
        building = final.with_suffix(".bouw")
        con = duckdb.connect(str(building))
        try:
            con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
            _load_reference(con)
            con.execute("INSERT INTO meta VALUES ('bouwsteen', ?)", [build_fingerprint()])
            if old is not None:
                _attach_old(con, old)
                for table in DATA_TABLES:
                    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM oud.{table}")
                self._copy_reports(con)
                con.execute("DETACH oud")
            builder = SnapshotBuilder(con)
            yield builder
            if not builder.changed:
                raise _Discard
            _settle_deliveries(con)
            _materialize(con)
            aggregates.build(con)
            con.execute("CHECKPOINT")
        except _Discard:
            con.close()
            _remove_building(building)
            return
        except BaseException:
            con.close()
            _remove_building(building)
            raise
        con.close()
        os.chmod(building, 0o600)
        with open(building, "rb") as f:
            os.fsync(f.fileno())
        os.rename(building, final)
        self._publish(final.name)
        builder.published = True
        self._remove_old(keep=final.name, older=0 if builder.forget_old else KEEP_OLD_SNAPSHOTS)

    def _copy_reports(self, con: duckdb.DuckDBPyConnection) -> None:
        """The error reports of the old snapshot; from ``rapporten/<id>.csv`` for a snapshot made
        before reports were kept inside the snapshot."""
        try:
            con.execute("INSERT INTO foutrapporten SELECT levering_id, rapport FROM oud.foutrapporten")
            return
        except duckdb.CatalogException:
            pass
        for (levering_id,) in con.execute("SELECT levering_id FROM leveringen").fetchall():
            path = self.reports_dir / f"{levering_id}.csv"
            if path.is_file():
                con.execute("INSERT INTO foutrapporten VALUES (?, ?)", [levering_id, path.read_bytes()])

    def snapshot_fingerprint(self) -> str | None:
        """The fingerprint the current snapshot was built with (None: none, or an old snapshot)."""
        snap = self.verified_snapshot()
        if snap is None:
            return None
        con = duckdb.connect(str(snap), read_only=True)
        try:
            return con.execute("SELECT waarde FROM meta WHERE sleutel = 'bouwsteen'").fetchall()[0][0]
        except (duckdb.CatalogException, IndexError):
            return None
        finally:
            con.close()

    def rebuild_if_needed(self, always: bool = False) -> bool:
        """Rebuild the snapshot when the schema or the reference data changed since it was built.

        The data stays as it is; the schema, views and reference tables are made anew.
        """
        if not self.has_snapshot() or (not always and self.snapshot_fingerprint() == build_fingerprint()):
            return False
        with self.lock(), self.new_snapshot():
            pass
        return True

    def _publish(self, name: str) -> None:
        tmp = self.current_file.with_suffix(".tmp")
        with open(tmp, "w", encoding="ascii") as f:
            f.write(name + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.current_file)
        _fsync_dir(self.root)

    def _remove_unfinished(self) -> None:
        """Leftovers of a killed writer (only ever removed under the lock)."""
        for p in self.snapshots_dir.glob("*.bouw"):
            p.unlink(missing_ok=True)
        for p in self.snapshots_dir.glob("*.bouw.wal"):
            p.unlink(missing_ok=True)

    def _remove_old(self, keep: str, older: int) -> None:
        """Remove all snapshots but ``keep`` and the ``older`` most recent others."""
        snaps = sorted(p for p in self.snapshots_dir.glob("*.duckdb") if p.name != keep)
        for p in snaps[: max(0, len(snaps) - older)]:
            p.unlink(missing_ok=True)


# Views of schema.sql stored as tables in each finished snapshot, in dependency order. A snapshot
# never changes after it is published, so these hold exactly what the views would give, and the
# dashboard's queries no longer recompute which delivery is current on every run (about a third
# of their time at demo scale: bench/bench_pages.py). kpi_per_casus stays a view: stored it would
# be eleven rows per case to save some 3 ms per kerncijfer query. casussen_actueel stays a view
# too: only the aggregates read the case rows (once, while the snapshot is built; no figure query
# may), and storing them a second time took 1.4 s of CPU at a million cases.
MATERIALIZED_VIEWS = ("actuele_leveringen", "teamleden_actueel", "themas_actueel", "proeftuin_kwartalen")


def _log_and_reports(snap: Path) -> tuple[set[str], set[int]]:
    """The checksums of the deliveries not purged, and the ids with a stored report, of `snap`."""
    con = open_snapshot(snap)
    try:
        log = {r[0] for r in con.execute("SELECT checksum FROM leveringen WHERE status <> 'verwijderd'").fetchall()}
        try:
            reports = {r[0] for r in con.execute("SELECT levering_id FROM foutrapporten").fetchall()}
        except duckdb.CatalogException:  # a snapshot from before reports were kept inside it
            reports = set()
    finally:
        con.close()
    return log, reports


def _delivery_ids(snap: Path) -> set[int]:
    con = open_snapshot(snap)
    try:
        return {r[0] for r in con.execute("SELECT levering_id FROM leveringen").fetchall()}
    finally:
        con.close()


def _attach_old(con: duckdb.DuckDBPyConnection, old: Path) -> None:
    try:
        con.execute("ATTACH ? AS oud (READ_ONLY)", [str(old)])
        con.execute("SELECT count(*) FROM oud.leveringen").fetchall()
    except duckdb.Error as e:
        raise _unreadable(old, e) from e


def _materialize(con: duckdb.DuckDBPyConnection) -> None:
    for view in MATERIALIZED_VIEWS:
        con.execute(f"CREATE TABLE {view}__tabel AS SELECT * FROM {view}")
        con.execute(f"DROP VIEW {view}")
        con.execute(f"ALTER TABLE {view}__tabel RENAME TO {view}")


def build_fingerprint() -> str:
    """A hash of what a snapshot is built from besides the deliveries: schema, reference data and
    the views stored as tables."""
    h = hashlib.sha256(SCHEMA_SQL.read_bytes())
    h.update(",".join(MATERIALIZED_VIEWS).encode())
    for filename in sorted(reference.REFERENCE_TABLES):
        h.update(filename.encode())
        h.update((reference.REFERENCE_DIR / filename).read_bytes())
    return h.hexdigest()


def _load_reference(con: duckdb.DuckDBPyConnection) -> None:
    for filename, table in reference.REFERENCE_TABLES.items():
        path = reference.REFERENCE_DIR / filename
        wanted = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        have = con.execute(
            "SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv(?, header = true, all_varchar = true))",
            [str(path)],
        ).fetchall()
        cols = [c for c in wanted if c in {h[0] for h in have}]
        con.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) "
            f"SELECT {', '.join(cols)} FROM read_csv(?, header = true, all_varchar = true)",
            [str(path)],
        )


def _settle_deliveries(con: duckdb.DuckDBPyConnection) -> None:
    """Mark the delivery in force per (proeftuin, soort, periode) and drop the rows of the others.

    In force: the accepted delivery received last (``ontvangen``) for that key, of those received
    on the same day the one ingested last; an operator catching up on a mailbox may ingest a
    correction before the original. Earlier ones stay in the log.
    """
    con.execute(
        """
        UPDATE leveringen SET in_gebruik = (levering_id IN (
            SELECT arg_max(levering_id, (ontvangen, levering_id)) FROM leveringen WHERE status = 'geaccepteerd'
            GROUP BY proeftuin, soort, periode))
        """
    )
    for table in DATA_TABLES[1:]:
        con.execute(f"DELETE FROM {table} WHERE levering_id NOT IN (SELECT levering_id FROM leveringen WHERE in_gebruik)")


class Reader:
    """Read-only connections to the current snapshot, one per thread, reopened when it changes.

    Opening a snapshot under a new file name avoids DuckDB's per-process cache of a path.
    """

    def __init__(self, store: Store):
        self.store = store
        self._local = threading.local()

    def wanted(self) -> Path | None:
        """The snapshot this thread reads: its own override (a pinned request, the warm-up), else
        the current one. A request never waits for the warm-up: right after an ingest the next
        request reads the new snapshot (figures the warm-up has not drawn yet are computed then)."""
        override = getattr(self._local, "override", None)
        if override is not None:
            return override
        return self.store.current_snapshot()

    @contextmanager
    def reading(self, snap: Path):
        """This thread reads `snap` inside the block (the warm-up drawing a new snapshot)."""
        self._local.override = snap
        try:
            yield
        finally:
            self._local.override = None

    @contextmanager
    def borrowing(self, con: duckdb.DuckDBPyConnection, snap: Path):
        """This thread reads `snap` through `con` inside the block: a cursor of the connection of
        the thread it works for (dashboard/ui/parallel.py), closed when the block ends. The thread
        keeps no connection of its own: a process that forks later (the demo writer) inherits no
        idle thread whose DuckDB connection the child would close."""
        self._local.override = snap
        self._local.con, self._local.snap = con, snap
        try:
            yield
        finally:
            self._local.override = None
            self._local.con = self._local.snap = None
            con.close()

    def pin(self) -> Path | None:
        """From now on this thread reads the snapshot it would read now, until `unpin()`: one
        request's figures all come from one snapshot, even when an ingest publishes mid-request.

        The connection is opened here, at once: an older snapshot removed from the folder later
        (after two more ingests, or a purge) stays readable through it for the rest of the request.
        """
        self._local.override = None
        snap = self.wanted()
        if self.connection() is None:
            return None
        self._local.override = snap
        return snap

    def unpin(self) -> None:
        self._local.override = None

    def connection(self) -> duckdb.DuckDBPyConnection | None:
        snap = self.wanted()
        cached = getattr(self._local, "snap", None)
        if snap is not None and snap == cached:
            return self._local.con
        if cached is not None:
            self._local.con.close()
            self._local.snap = self._local.con = None
        if snap is None:
            return None
        self._local.con = open_snapshot(snap)
        self._local.snap = snap
        return self._local.con

    def snapshot(self) -> Path | None:
        """The snapshot file of this thread's connection (after connection())."""
        return getattr(self._local, "snap", None)


def purge_delivery(store: Store, levering_id: int, door: str) -> str:
    """Remove one delivery's archived file, report and rows; the log keeps who and when.

    Returns a Dutch sentence saying what was removed. Raises KeyError for an unknown id.
    """
    with store.lock():
        with store.new_snapshot() as builder:
            con = builder.con
            found = con.execute("SELECT checksum, status, bestandsnaam FROM leveringen WHERE levering_id = ?",
                                [levering_id]).fetchall()
            if not found:
                raise KeyError(f"levering {levering_id} bestaat niet")
            checksum, status, name = found[0]
            if status == "verwijderd":
                builder.changed = False
                return f"levering {levering_id} ({name}) was al verwijderd"
            builder.forget_old = True  # purged rows must not survive in older snapshots
            con.execute(
                """UPDATE leveringen SET status = 'verwijderd', in_gebruik = false, verwijderd_door = ?,
                       verwijderd_op = current_timestamp WHERE levering_id = ?""",
                [door, levering_id],
            )
            con.execute("DELETE FROM foutrapporten WHERE levering_id = ?", [levering_id])
            shared = con.execute(
                "SELECT count(*) FROM leveringen WHERE checksum = ? AND status <> 'verwijderd'", [checksum]
            ).fetchall()[0][0]
        # Files go only after the new snapshot is published: a crash before leaves them in place,
        # a crash after leaves an archived file no log line refers to, removed by the next ingest.
        if not shared:
            (store.archive_dir / checksum).unlink(missing_ok=True)
        (store.reports_dir / f"{levering_id}.csv").unlink(missing_ok=True)  # from before foutrapporten
    try:
        audit.record(store.root, audit.PURGE, door, levering_id=levering_id, checksum=checksum, bestandsnaam=name)
    except OSError as e:
        raise NotRecorded(f"levering {levering_id} is verwijderd, maar het auditlog kon dat niet vastleggen "
                          f"({e.strerror or e})") from e
    return f"levering {levering_id} ({name}) verwijderd: archiefbestand, rapport en rijen"
