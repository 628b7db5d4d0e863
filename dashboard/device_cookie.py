"""The device cookie: a browser that logged in correctly gets past a lock on its address.

The address limit (dashboard.throttle) refuses every new login from an address after 30 failures
there, and an office behind one NAT or proxy shares its address with whoever guesses passwords
from it. A worker remembers a correct password for a few minutes, but only that worker: a colleague
who was logged in got 429 from the other worker. So after a correct password the response carries
a cookie, signed with the shared MONITOR_SECRET_KEY, that names the user and a keyed fingerprint of
the stored password hash (OWASP's "device cookie" against lockout abuse). A request with a valid one
for the user name it logs in with is not refused for its address; the lock on the user name and the
password check still apply. A changed password or a removed user voids the cookie at once.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .auth import UsersFile

COOKIE = "monitor_apparaat"
MAX_AGE_SECONDS = 7 * 24 * 3600
_SALT = "proeftuinmonitor-apparaat"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def _fingerprint(users: UsersFile, name: str) -> str | None:
    """A keyed digest of the user's stored hash (the cookie is signed, not secret): None when the
    user has no password entry."""
    stored = users.stored_hash(name)
    if stored is None:
        return None
    key = str(current_app.secret_key).encode()
    return hmac.new(key, stored.encode(), hashlib.sha256).hexdigest()[:32]


def holds(users: UsersFile, name: str) -> bool:
    """Whether this request carries a valid, unexpired device cookie for user `name`."""
    value = request.cookies.get(COOKIE)
    if not value or not name:
        return False
    try:
        data = _serializer().loads(value, max_age=MAX_AGE_SECONDS)
    except BadSignature:  # also SignatureExpired
        return False
    if not isinstance(data, dict) or data.get("u") != name:
        return False
    expected = _fingerprint(users, name)
    return expected is not None and hmac.compare_digest(str(data.get("h", "")), expected)


def issue(users: UsersFile, name: str) -> None:
    """Give this browser a device cookie for `name` with the response of this request."""
    fingerprint = _fingerprint(users, name)
    if fingerprint is None:
        return
    value = _serializer().dumps({"u": name, "h": fingerprint})

    @after_this_request
    def _set(response):
        response.set_cookie(COOKIE, value, max_age=MAX_AGE_SECONDS, path="/", httponly=True, samesite="Strict",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", True) or request.is_secure)
        return response
