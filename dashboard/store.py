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
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import duckdb

from . import config, reference

SCHEMA_SQL = Path(__file__).with_name("schema.sql")
DATA_TABLES = ("leveringen", "casussen", "teamleden", "themas")
KEEP_OLD_SNAPSHOTS = 2  # older snapshots a slow reader may still have open


class StoreLocked(Exception):
    pass


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


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


class Store:
    """One data directory (``--data-dir`` or ``MONITOR_DATA_DIR``)."""

    def __init__(self, data_dir: Path | str | None = None):
        self.root = Path(data_dir) if data_dir else config.data_dir()
        self.archive_dir = self.root / "archief"
        self.reports_dir = self.root / "rapporten"
        self.snapshots_dir = self.root / "snapshots"
        self.current_file = self.root / "CURRENT"
        self.lock_file = self.root / ".ingest.lock"

    # --- reading ----------------------------------------------------------------------

    def current_snapshot(self) -> Path | None:
        try:
            name = self.current_file.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        return self.snapshots_dir / name if name else None

    def has_snapshot(self) -> bool:
        snap = self.current_snapshot()
        return snap is not None and snap.exists()

    # --- writing ----------------------------------------------------------------------

    def ensure_dirs(self) -> None:
        for d in (self.root, self.archive_dir, self.reports_dir, self.snapshots_dir):
            d.mkdir(parents=True, exist_ok=True)
        # Raw files and snapshots are personal data: only the service user may read them.
        for d in (self.archive_dir, self.reports_dir, self.snapshots_dir):
            os.chmod(d, 0o700)

    def archive(self, src: Path, checksum: str) -> Path:
        """Copy a received file unchanged into the content-addressed archive."""
        target = self.archive_dir / checksum
        if not target.exists():
            tmp = target.with_suffix(".tmp")
            shutil.copyfile(src, tmp)
            os.chmod(tmp, 0o600)
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp, target)
        return target

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
            old = self.current_snapshot()
            if old is not None and old.exists():
                con.execute("ATTACH ? AS oud (READ_ONLY)", [str(old)])
                for table in DATA_TABLES:
                    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM oud.{table}")
                con.execute("DETACH oud")
            builder = SnapshotBuilder(con)
            yield builder
            if not builder.changed:
                raise _Discard
            _settle_deliveries(con)
            _materialize(con)
            con.execute("CHECKPOINT")
        except _Discard:
            con.close()
            building.unlink(missing_ok=True)
            return
        except BaseException:
            con.close()
            building.unlink(missing_ok=True)
            raise
        con.close()
        os.chmod(building, 0o600)
        with open(building, "rb") as f:
            os.fsync(f.fileno())
        os.rename(building, final)
        self._publish(final.name)
        self._remove_old(keep=final.name, older=0 if builder.forget_old else KEEP_OLD_SNAPSHOTS)

    def snapshot_fingerprint(self) -> str | None:
        """The fingerprint the current snapshot was built with (None: none, or an old snapshot)."""
        snap = self.current_snapshot()
        if snap is None or not snap.exists():
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
# be eleven rows per case to save some 3 ms per kerncijfer query.
MATERIALIZED_VIEWS = ("actuele_leveringen", "casussen_actueel", "teamleden_actueel", "themas_actueel",
                      "proeftuin_kwartalen")


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

    In force: the accepted delivery received last for that key. Earlier ones stay in the log.
    """
    con.execute(
        """
        UPDATE leveringen SET in_gebruik = (levering_id IN (
            SELECT max(levering_id) FROM leveringen WHERE status = 'geaccepteerd'
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
        # Set by a serving process's warm-up (dashboard/warm.py): requests read this snapshot
        # until the warm-up has drawn the next one; None: always the current one.
        self.serving: Path | None = None

    def wanted(self) -> Path | None:
        """The snapshot this thread reads: its own override, the serving one while it exists,
        else the current one."""
        override = getattr(self._local, "override", None)
        if override is not None:
            return override
        serving = self.serving
        if serving is not None and serving.exists():
            return serving
        return self.store.current_snapshot()

    @contextmanager
    def reading(self, snap: Path):
        """This thread reads `snap` inside the block (the warm-up drawing a new snapshot)."""
        self._local.override = snap
        try:
            yield
        finally:
            self._local.override = None

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
        if snap is None or not snap.exists():
            return None
        self._local.con = duckdb.connect(str(snap), read_only=True)
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
            shared = con.execute(
                "SELECT count(*) FROM leveringen WHERE checksum = ? AND status <> 'verwijderd'", [checksum]
            ).fetchall()[0][0]
        # Files go only after the new snapshot is published: a crash before leaves them in place.
        if not shared:
            (store.archive_dir / checksum).unlink(missing_ok=True)
        (store.reports_dir / f"{levering_id}.csv").unlink(missing_ok=True)
    return f"levering {levering_id} ({name}) verwijderd: archiefbestand, rapport en rijen"
