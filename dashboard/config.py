"""Derived configuration values; every MONITOR_* variable itself is declared in dashboard.settings."""

from __future__ import annotations

from pathlib import Path

from . import settings

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_DIR / "data" / "store"
MB = 1024 * 1024
# The CSV layouts of a download or export: Dutch Excel (semicolon, decimal comma) and plain.
CSV_FORMATS = ("csv-nl", "csv")


def data_dir() -> Path:
    """The store: MONITOR_DATA_DIR, or data/store in the project."""
    return settings.value("MONITOR_DATA_DIR") or DEFAULT_DATA_DIR


def resolve_data_dir(given: Path | str | None = None) -> Path:
    """The store folder, absolute: `given`, else the configured one (data_dir())."""
    return Path(given if given is not None else data_dir()).resolve()


def max_file_bytes() -> int:
    """MONITOR_MAX_FILE_MB in bytes: the largest delivery file accepted."""
    return settings.value("MONITOR_MAX_FILE_MB") * MB


def max_rows() -> int:
    """MONITOR_MAX_ROWS: the most data rows in one delivery."""
    return settings.value("MONITOR_MAX_ROWS")


def max_xlsx_unpacked_bytes() -> int:
    """MONITOR_MAX_XLSX_UNPACKED_MB in bytes: the largest unpacked size of an XLSX."""
    return settings.value("MONITOR_MAX_XLSX_UNPACKED_MB") * MB
