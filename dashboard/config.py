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


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} '{value}' is geen geheel getal") from None


def max_file_bytes() -> int:
    """MONITOR_MAX_FILE_MB: the largest delivery file accepted (default 1024 MB)."""
    return _int_env("MONITOR_MAX_FILE_MB", 1024) * 1024 * 1024


def max_rows() -> int:
    """MONITOR_MAX_ROWS: the most data rows in one delivery (default 5 million)."""
    return _int_env("MONITOR_MAX_ROWS", 5_000_000)


def max_xlsx_unpacked_bytes() -> int:
    """MONITOR_MAX_XLSX_UNPACKED_MB: the largest unpacked size of an XLSX (default 2048 MB)."""
    return _int_env("MONITOR_MAX_XLSX_UNPACKED_MB", 2048) * 1024 * 1024
