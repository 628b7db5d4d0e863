"""The audit log (AVG accountability): who downloaded, uploaded, ingested or purged what, and
every login, kept with the data and never served to a browser.

One JSON object per line in ``<data dir>/audit/audit.jsonl`` (mode 0600), appended under an
exclusive lock so that the workers and the command line can write at the same time. A line is
written with one ``write`` and flushed to disk before the action it records is answered: an
action that cannot be recorded is refused by its caller (``record`` raises ``OSError``).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path

AUDIT_DIR = "audit"
AUDIT_FILE = "audit.jsonl"

# What happened; the callers use these names, `python -m dashboard audit` shows them.
LOGIN_OK = "inloggen"
LOGIN_FAILED = "inloggen_mislukt"
LOGIN_THROTTLED = "inloggen_geblokkeerd"
DOWNLOAD = "download"
UPLOAD = "upload"
INGEST = "inlezen"
PURGE = "verwijderen"


def audit_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / AUDIT_DIR / AUDIT_FILE


def record(data_dir: Path | str, event: str, user: str | None, **details) -> None:
    """Append one event. ``details`` must be JSON-serialisable (dates become ISO text)."""
    path = audit_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    entry = {"tijd": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), "gebeurtenis": event,
             "gebruiker": user or "", **details}
    line = (json.dumps(entry, ensure_ascii=False, default=str, sort_keys=False) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def entries(data_dir: Path | str, van: dt.date | None = None, gebruiker: str | None = None) -> Iterator[dict]:
    """The recorded events, oldest first, from the day `van` (UTC) and of `gebruiker` only if given.

    A line that is not valid JSON (a write cut off by a crash) is given as an event
    'onleesbare_regel' with its line number, not skipped silently.
    """
    path = audit_path(data_dir)
    if not path.exists():
        return
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, raw in enumerate(f, start=1):
            try:
                entry = json.loads(raw)
            except json.JSONDecodeError:
                entry = {"tijd": "", "gebeurtenis": "onleesbare_regel", "gebruiker": "", "regel": number}
            if not isinstance(entry, dict):
                continue
            if van is not None and str(entry.get("tijd", ""))[:10] < van.isoformat():
                continue
            if gebruiker is not None and entry.get("gebruiker") != gebruiker:
                continue
            yield entry
