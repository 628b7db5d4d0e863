"""Configuration, read from the environment in one place."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_DIR / "data" / "store"


def data_dir() -> Path:
    """The store: MONITOR_DATA_DIR, or data/store in the project."""
    value = os.environ.get("MONITOR_DATA_DIR", "").strip()
    return Path(value) if value else DEFAULT_DATA_DIR
