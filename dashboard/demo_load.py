"""Loading the demo set into an empty store (what ``python app.py`` does on first start)."""

from __future__ import annotations

from pathlib import Path

from .demo import write_demo
from .ingest import ingest_files
from .store import Store


def ensure_demo(data_dir: Path | str | None = None, seed: int = 2026, tot: str = "2026-Q3") -> bool:
    """Generate and ingest the demo set into a store that never held anything; True when it did.

    A store with a snapshot, or with archived files or reports, is left alone; a damaged one
    raises StoreDamaged (Store.current_snapshot): demo data is never published over real data.
    """
    store = Store(data_dir)
    if store.current_snapshot() is not None or store.holds_data():
        return False
    out = store.root / "demo-bestanden"
    files = write_demo(out, seed=seed, tot=tot)
    ingest_files([f.path for f in files], store, demo=True,
                 ontvangen_per_file={f.path: f.ontvangen for f in files}, only_into_empty=True)
    return True
