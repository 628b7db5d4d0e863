"""``python -m dashboard controleer``: the whole store checked, nothing changed.

Every archived file against its checksum name, the delivery log of the current snapshot against
the archive, every snapshot file openable, CURRENT valid. Problems are what an operator must look
at (the store is damaged or something was removed by hand); notes are leftovers of an interrupted
command that the next ingest cleans up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .store import UNFINISHED, Store, StoreDamaged, check_snapshot, open_snapshot, sha256_file
from .terminal import clean

CHECKSUM_NAME = re.compile(r"[0-9a-f]{64}")


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_store(store: Store) -> Outcome:
    out = Outcome()
    try:
        current = store.current_snapshot()
    except StoreDamaged as e:
        out.problems.append(str(e))
        current = None
    for snap in sorted(store.snapshots_dir.glob("*")) if store.snapshots_dir.is_dir() else []:
        if snap.name.endswith(UNFINISHED):
            out.notes.append(f"snapshots/{clean(snap.name)}: rest van een onderbroken opdracht")
        elif snap.suffix == ".duckdb":
            try:
                check_snapshot(snap)
            except StoreDamaged as e:
                out.problems.append(str(e))
    try:
        store.high_water()
    except StoreDamaged as e:
        out.problems.append(str(e))
    archived = _check_archive(store, out)
    if current is not None and not any(current.name in p for p in out.problems):
        _check_log(store, current, archived, out)
    return out


def _check_archive(store: Store, out: Outcome) -> set[str]:
    """The checksums of the archived files that match their name."""
    good = set()
    for path in sorted(store.archive_dir.glob("*")) if store.archive_dir.is_dir() else []:
        name = clean(path.name)
        if path.name.endswith(UNFINISHED):
            out.notes.append(f"archief/{name}: rest van een onderbroken opdracht")
        elif not CHECKSUM_NAME.fullmatch(path.name) or not path.is_file():
            out.problems.append(f"archief/{name}: hoort niet in het archief (geen sha256-naam)")
        elif sha256_file(path) != path.name:
            out.problems.append(f"archief/{name}: de inhoud klopt niet met de controlesom in de naam")
        else:
            good.add(path.name)
    return good


def _check_log(store: Store, current: Path, archived: set[str], out: Outcome) -> None:
    con = open_snapshot(current)
    try:
        log = con.execute("SELECT levering_id, checksum, status FROM leveringen ORDER BY levering_id").fetchall()
    finally:
        con.close()
    referred = {checksum for _, checksum, status in log if status != "verwijderd"}
    present = {p.name for p in store.archive_dir.glob("*")} if store.archive_dir.is_dir() else set()
    for levering_id, checksum, status in log:
        if status != "verwijderd" and checksum not in present:
            out.problems.append(f"levering {levering_id}: het archiefbestand {checksum} ontbreekt")
    for checksum in sorted(archived - referred):
        out.problems.append(f"archief/{checksum}: geen levering in het logboek verwijst naar dit bestand")
