"""The store check before serving, and the demo set for a store that never held anything (what
``python app.py`` does on first start)."""

from __future__ import annotations

import time
from pathlib import Path

from .demo import start_demo
from .ingest import ingest_files
from .store import Store, StoreDamaged


class DemoLoadFailed(Exception):
    """Writing or ingesting the demo set failed; nothing of it was published. Dutch message."""


def prepare_store(data_dir: Path | str, say=print, demo: bool = True, load_demo=None) -> None:
    """Make the store ready to serve: the demo set into a store that never held anything, a
    rebuild of an outdated snapshot. Raises StoreDamaged (before anything is written) for a
    damaged store, and for one without a snapshot that still holds archived files or reports;
    DemoLoadFailed when the demo set could not be written or ingested. `load_demo(data_dir,
    say=...)` loads the demo set instead of ensure_demo (serving: in a process of its own)."""
    store = Store(data_dir)
    if store.verified_snapshot() is None:
        if store.holds_data():
            raise StoreDamaged(f"er is geen snapshot in {store.root}, maar wel archiefbestanden of rapporten")
        if demo:  # not in production (serve --zonder-demo): an empty store stays empty
            say(f"Geen gegevens in {store.root}: demodata (fictief) aanmaken en inlezen...")
            (load_demo or ensure_demo)(data_dir, say=say)
    elif store.rebuild_if_needed():
        say("Snapshot opnieuw gebouwd voor de nieuwe versie van schema en referentiegegevens.")


def ensure_demo(data_dir: Path | str | None = None, seed: int = 2026, tot: str = "2026-Q3",
                say=lambda _line: None, written=lambda: None) -> bool:
    """Generate and ingest the demo set into a store that never held anything; True when it did.

    A store with a snapshot, or with archived files or reports, is left alone; a damaged one
    raises StoreDamaged (Store.current_snapshot): demo data is never published over real data.
    Any other failure raises DemoLoadFailed: the ingest publishes all of the set or nothing.
    `say` gets a line with the time each step took (the ingest's, from the moment the last file
    was written); `written()` is called once the files are written, while the ingest reads them.
    """
    store = Store(data_dir)
    if store.current_snapshot() is not None or store.holds_data():
        return False
    out = store.root / "demo-bestanden"
    started = time.perf_counter()
    files_written = [started]

    def all_written() -> None:
        files_written[0] = time.perf_counter()
        written()

    try:
        # The ingest reads each file as soon as the writers have written it: the writers and the
        # ingest share the two cores, where the ingest alone leaves part of one idle (2-3 s of a
        # first start).
        writing = start_demo(out, seed=seed, tot=tot, written=all_written)
        files = writing.files
        try:
            ingest_files([f.path for f in files], store, demo=True,
                         ontvangen_per_file={f.path: f.ontvangen for f in files}, only_into_empty=True,
                         ready=writing.ready)
        finally:
            writing.join()  # the writers done, also when the ingest failed (a writer's error is then the ingest's)
        writing.wait()  # ontvangen.csv written too
    except StoreDamaged:
        raise
    except Exception as e:
        raise DemoLoadFailed(f"de demodata konden niet worden aangemaakt of ingelezen ({type(e).__name__}: {e}); "
                             "er is niets gepubliceerd") from e
    say(f"{len(files)} demobestanden geschreven in {files_written[0] - started:.1f} s, "
        f"gecontroleerd en ingelezen in {time.perf_counter() - files_written[0]:.1f} s")
    return True
