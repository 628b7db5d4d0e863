"""Who is asking: the login settings, the roles and the users file. No Flask in here.

``MONITOR_AUTH`` unset: no login; the app then serves this machine only (dashboard.security).
``MONITOR_AUTH=basic``: HTTP Basic against the users file (``MONITOR_USERS_FILE``, default
``<data dir>/gebruikers.json``, mode 0600) holding salted scrypt hashes; ``python -m dashboard
gebruiker NAAM --rol ROL`` adds or changes a user. ``MONITOR_AUTH=header``: the organisation's
reverse proxy logs the user in and passes user and role in two headers, which are believed only
from the addresses in ``MONITOR_TRUSTED_PROXIES``. See docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import re
import secrets
import stat
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from . import reference, settings

log = logging.getLogger(__name__)

PROGRAMMATEAM = "programmateam"
STUURGROEP = "stuurgroep"
PROEFTUIN_PREFIX = "proeftuin:"
USERS_FILE_NAME = "gebruikers.json"
MIN_PASSWORD_LENGTH = 12
MIN_SECRET_LENGTH = 32
PASSWORD_METHOD = "scrypt"
_USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_HEADER_USER = re.compile(r"^[\w.@\\-]{1,200}$")


class AuthConfigError(ValueError):
    """Login is configured wrongly; the app refuses to start. The message is Dutch."""


class UnknownRole(ValueError):
    """A role that is not programmateam, stuurgroep or proeftuin:<known code>."""


def check_role(role: str) -> str:
    """The role, normalised; raises UnknownRole for anything else."""
    value = (role or "").strip().lower()
    if value in (PROGRAMMATEAM, STUURGROEP):
        return value
    if value.startswith(PROEFTUIN_PREFIX) and value[len(PROEFTUIN_PREFIX):] in reference.proeftuin_codes():
        return value
    raise UnknownRole("onbekende rol; kies programmateam, stuurgroep of proeftuin:<code>")


@dataclass(frozen=True)
class Viewer:
    """A logged-in person and the role that decides what they may see."""

    user: str
    role: str

    @property
    def proeftuin(self) -> str | None:
        """The proeftuin code of a proeftuin role, else None."""
        return self.role[len(PROEFTUIN_PREFIX):] if self.role.startswith(PROEFTUIN_PREFIX) else None

    @property
    def is_stuurgroep(self) -> bool:
        return self.role == STUURGROEP

    @property
    def role_label(self) -> str:
        """The role as the shell shows it: 'programmateam', 'stuurgroep', 'proeftuin Flevoland'."""
        code = self.proeftuin
        if code is None:
            return self.role
        names = {p.code: p.naam for p in reference.proeftuinen()}
        return f"proeftuin {names.get(code, code)}"


def viewer(user: str, role: str) -> Viewer:
    """A Viewer with a checked role (raises UnknownRole)."""
    return Viewer(user=user, role=check_role(role))


# --- settings ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthSettings:
    mode: str | None  # None (no login), 'basic' or 'header'
    users_file: Path
    user_header: str
    role_header: str
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]
    secret_key: str | None
    allow_open_bind: bool

    @classmethod
    def from_env(cls, data_dir: Path, environ=None) -> AuthSettings:
        """Read and check MONITOR_AUTH and its companions (raises AuthConfigError)."""
        try:
            mode = settings.value("MONITOR_AUTH", environ)
            secret = settings.value("MONITOR_SECRET_KEY", environ) or None
            proxies = settings.value("MONITOR_TRUSTED_PROXIES", environ)
            user_header = settings.value("MONITOR_AUTH_USER_HEADER", environ)
            role_header = settings.value("MONITOR_AUTH_ROLE_HEADER", environ)
            allow_open_bind = settings.value("MONITOR_ALLOW_OPEN_BIND", environ)
        except settings.SettingError as e:
            raise AuthConfigError(str(e)) from None
        if mode and (secret is None or len(secret) < MIN_SECRET_LENGTH):
            raise AuthConfigError(
                f"MONITOR_AUTH={mode} vraagt een geheime sleutel van minstens {MIN_SECRET_LENGTH} tekens in "
                "MONITOR_SECRET_KEY, voor alle workers dezelfde; maak er een met: "
                "python -c \"import secrets; print(secrets.token_hex(32))\""
            )
        if mode == "header" and not proxies:
            raise AuthConfigError(
                "MONITOR_AUTH=header vraagt MONITOR_TRUSTED_PROXIES: de adressen van de reverse proxy "
                "(bijvoorbeeld 10.0.0.5 of 10.0.0.0/24), anders kan iedereen de kopregels zelf meesturen"
            )
        return cls(
            mode=mode,
            users_file=users_file_path(data_dir, environ),
            user_header=user_header,
            role_header=role_header,
            trusted_proxies=proxies,
            secret_key=secret,
            allow_open_bind=allow_open_bind,
        )


def users_file_path(data_dir: Path | str, environ=None) -> Path:
    """MONITOR_USERS_FILE, or gebruikers.json in the data folder."""
    return settings.value("MONITOR_USERS_FILE", environ) or Path(data_dir) / USERS_FILE_NAME


def is_trusted(remote_addr: str | None, networks) -> bool:
    """Whether the connection comes from one of the trusted proxy addresses."""
    if not remote_addr:
        return False
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    return any(address in net for net in networks)


def header_viewer(user: str | None, role: str | None) -> Viewer | None:
    """The viewer the proxy passed on, or None when the user header is missing or malformed.

    Raises UnknownRole for a role that does not exist.
    """
    user = (user or "").strip()
    if not _HEADER_USER.match(user):
        return None
    return viewer(user, role or "")


# --- the users file ------------------------------------------------------------------------------


def check_user_name(name: str) -> str:
    if not _USER_NAME.match(name or ""):
        raise ValueError("een gebruikersnaam is 1 tot 64 tekens: letters, cijfers en . _ @ -, zonder spaties of ':'")
    return name


def read_users(path: Path) -> dict[str, dict]:
    """{name: {'rol': ..., 'wachtwoord': <hash>, 'gewijzigd': ...}}; empty when the file is missing."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    data = json.loads(text)
    users = data.get("gebruikers", {}) if isinstance(data, dict) else {}
    return {name: entry for name, entry in users.items() if isinstance(entry, dict)}


def _write_users(path: Path, users: dict[str, dict]) -> None:
    """Write the file atomically, readable by the service user only (0600)."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"versie": 1, "gebruikers": dict(sorted(users.items()))}, f, indent=2, ensure_ascii=False)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def set_user(path: Path, name: str, role: str, password: str) -> bool:
    """Add a user or replace its role and password; True when the user is new."""
    name = check_user_name(name)
    role = check_role(role)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"het wachtwoord is te kort: minstens {MIN_PASSWORD_LENGTH} tekens")
    users = read_users(path)
    new = name not in users
    users[name] = {
        "rol": role,
        "wachtwoord": generate_password_hash(password, method=PASSWORD_METHOD),
        "gewijzigd": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    _write_users(path, users)
    return new


def remove_user(path: Path, name: str) -> bool:
    """Remove a user; False when there was none by that name."""
    users = read_users(path)
    if users.pop(name, None) is None:
        return False
    _write_users(path, users)
    return True


@cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, so a wrong name costs as long as a wrong password."""
    return generate_password_hash(secrets.token_hex(16), method=PASSWORD_METHOD)


class UsersFile:
    """The users file as the web app reads it: reloaded when it changes on disk.

    A scrypt check costs about 75 ms, and a browser sends the password with every request (a
    page is some twenty): a successful check is remembered for a few minutes, keyed by an HMAC
    of name, password and stored hash under a per-process key, so a changed password or a
    removed user takes effect at once.
    """

    CACHE_SECONDS = 300
    CACHE_SIZE = 1000

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._users: dict[str, dict] = {}
        self._key = secrets.token_bytes(32)
        self._verified: dict[bytes, float] = {}

    def _current(self) -> dict[str, dict]:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            if self._stamp != ("missing",):
                log.warning("gebruikersbestand %s bestaat niet: niemand kan inloggen", self.path)
                self._stamp, self._users = ("missing",), {}
            return self._users
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size, st.st_mode)
        if stamp != self._stamp:
            self._stamp, self._users = stamp, self._load(st)
        return self._users

    def _load(self, st: os.stat_result) -> dict[str, dict]:
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            log.error("gebruikersbestand %s is door anderen te wijzigen (chmod 600): niemand kan inloggen", self.path)
            return {}
        if st.st_mode & (stat.S_IRGRP | stat.S_IROTH):
            log.warning("gebruikersbestand %s is door anderen te lezen; zet het op chmod 600", self.path)
        try:
            return read_users(self.path)
        except (OSError, ValueError):
            log.exception("gebruikersbestand %s is onleesbaar: niemand kan inloggen", self.path)
            return {}

    def _entry(self, name: str) -> tuple[dict | None, str | None]:
        """The user's entry and stored password hash as the file says now (None, None: no such user)."""
        with self._lock:
            entry = self._current().get(name)
        stored = entry.get("wachtwoord") if entry else None
        return (entry, stored) if isinstance(stored, str) else (None, None)

    def stored_hash(self, name: str) -> str | None:
        """The stored password hash of user `name` (None: no such user)."""
        return self._entry(name)[1]

    def _entry_and_key(self, name: str | None, password: str | None) -> tuple[dict | None, bytes | None]:
        """The user's entry and the cache key of these credentials (None, None: no such user)."""
        if not name or password is None:
            return None, None
        entry, stored = self._entry(name)
        if stored is None:
            return None, None
        key = hmac.new(self._key, "\0".join((name, password, stored)).encode("utf-8"), hashlib.sha256).digest()
        return entry, key

    def remembered(self, name: str | None, password: str | None) -> Viewer | None:
        """The viewer when these credentials were checked correct in the last few minutes, else None
        (no scrypt: a logged-in user is not slowed down by others guessing passwords)."""
        entry, key = self._entry_and_key(name, password)
        if key is None:
            return None
        with self._lock:
            ok = self._verified.get(key, 0) > time.monotonic()
        return self._viewer(name, entry) if ok else None

    def authenticate(self, name: str | None, password: str | None) -> Viewer | None:
        """The viewer for a correct name and password, else None."""
        if not name or password is None:
            return None
        entry, key = self._entry_and_key(name, password)
        if key is None:
            check_password_hash(_dummy_hash(), password)
            return None
        now = time.monotonic()
        with self._lock:
            ok = self._verified.get(key, 0) > now
        if not ok:
            if not check_password_hash(entry["wachtwoord"], password):
                return None
            with self._lock:
                if len(self._verified) >= self.CACHE_SIZE:
                    self._verified = {k: t for k, t in self._verified.items() if t > now}
                    if len(self._verified) >= self.CACHE_SIZE:
                        self._verified.clear()
                self._verified[key] = now + self.CACHE_SECONDS
        return self._viewer(name, entry)

    def _viewer(self, name: str, entry: dict) -> Viewer:
        try:
            return viewer(name, str(entry.get("rol", "")))
        except UnknownRole:
            log.warning("gebruiker %s heeft een onbekende rol in %s", name, self.path)
            raise
