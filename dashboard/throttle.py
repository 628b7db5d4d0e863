"""Failed logins, counted per user name and per address, shared by every worker and every app
instance over one data folder: a small SQLite file, ``<data dir>/beveiliging/inloggen.sqlite``.

After LIMITS[kind] failures within WINDOW_SECONDS, that user name or address is refused for
LOCK_SECONDS (the web layer answers 429 with Retry-After, before any password check). The same
file remembers when a user's login was last written to the audit log, so that a login is
recorded once per user per LOGIN_AUDIT_SECONDS, not for each of the twenty requests of a page.
"""

from __future__ import annotations

import math
import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

STATE_DIR = "beveiliging"
STATE_FILE = "inloggen.sqlite"
WINDOW_SECONDS = 300
LOCK_SECONDS = 300
# An address is often shared (an office behind one NAT or proxy): it may fail more often than
# one user name before it is refused.
LIMITS = {"gebruiker": 10, "adres": 30}
LOGIN_AUDIT_SECONDS = 1800

_SCHEMA = """
CREATE TABLE IF NOT EXISTS fouten (sleutel TEXT NOT NULL, tijd REAL NOT NULL);
CREATE INDEX IF NOT EXISTS fouten_sleutel ON fouten (sleutel, tijd);
CREATE TABLE IF NOT EXISTS blokkades (sleutel TEXT PRIMARY KEY, tot REAL NOT NULL);
CREATE TABLE IF NOT EXISTS aanmeldingen (gebruiker TEXT PRIMARY KEY, tijd REAL NOT NULL);
"""


def state_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / STATE_DIR / STATE_FILE


def _keys(user: str | None, address: str | None) -> list[tuple[str, str]]:
    keys = []
    if user:
        keys.append(("gebruiker", f"gebruiker:{user[:64]}"))
    if address:
        keys.append(("adres", f"adres:{address}"))
    return keys


class LoginThrottle:
    """The shared login state of one data folder. Every method may raise sqlite3.Error or
    OSError when the state cannot be read or written; the caller then refuses the login."""

    def __init__(self, data_dir: Path | str):
        self.path = state_path(data_dir)
        # user -> when this process last saw the login recorded: spares the shared file a
        # transaction on every request of a logged-in user.
        self._seen: dict[str, float] = {}

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        con.executescript(_SCHEMA)
        return con

    def retry_after(self, user: str | None, address: str | None, now: float | None = None) -> int:
        """Seconds until this user name and address may try again; 0 when neither is refused."""
        now = time.time() if now is None else now
        keys = [k for _, k in _keys(user, address)]
        if not keys:
            return 0
        with closing(self._connect()) as con:
            marks = ",".join("?" * len(keys))
            (until,) = con.execute(f"SELECT max(tot) FROM blokkades WHERE sleutel IN ({marks})", keys).fetchone()
        return max(0, math.ceil(until - now)) if until else 0

    def failed(self, user: str | None, address: str | None, now: float | None = None) -> int:
        """Count one failed login; returns the seconds the user name or address is now refused."""
        now = time.time() if now is None else now
        with closing(self._connect()) as con:
            con.execute("BEGIN IMMEDIATE")
            con.execute("DELETE FROM fouten WHERE tijd <= ?", [now - WINDOW_SECONDS])
            con.execute("DELETE FROM blokkades WHERE tot <= ?", [now])
            for kind, key in _keys(user, address):
                con.execute("INSERT INTO fouten VALUES (?, ?)", [key, now])
                (count,) = con.execute("SELECT count(*) FROM fouten WHERE sleutel = ?", [key]).fetchone()
                if count >= LIMITS[kind]:
                    con.execute("INSERT OR REPLACE INTO blokkades VALUES (?, ?)", [key, now + LOCK_SECONDS])
                    con.execute("DELETE FROM fouten WHERE sleutel = ?", [key])
            con.execute("COMMIT")
        return self.retry_after(user, address, now)

    def succeeded(self, user: str) -> None:
        """A correct password: that user name's earlier failures no longer count (its address's do)."""
        with closing(self._connect()) as con:
            con.execute("DELETE FROM fouten WHERE sleutel = ?", [f"gebruiker:{user[:64]}"])

    def login_due(self, user: str, now: float | None = None) -> bool:
        """True (and remembered) when this user's login was not recorded in the audit log in the
        last LOGIN_AUDIT_SECONDS, by any worker or instance."""
        now = time.time() if now is None else now
        if self._seen.get(user, -math.inf) > now - LOGIN_AUDIT_SECONDS:
            return False
        with closing(self._connect()) as con:
            con.execute("BEGIN IMMEDIATE")
            row = con.execute("SELECT tijd FROM aanmeldingen WHERE gebruiker = ?", [user]).fetchone()
            due = row is None or row[0] <= now - LOGIN_AUDIT_SECONDS
            if due:
                con.execute("INSERT OR REPLACE INTO aanmeldingen VALUES (?, ?)", [user, now])
            con.execute("COMMIT")
        self._seen[user] = now if due else row[0]
        return due

    def forget_login(self, user: str) -> None:
        """The login could not be recorded after all: the next request tries again."""
        self._seen.pop(user, None)
        with closing(self._connect()) as con:
            con.execute("DELETE FROM aanmeldingen WHERE gebruiker = ?", [user])
