"""Web security in one place: who may see which data, on every route, and the hardening.

- ``install(app)`` (one line in ``create_app``): a login check before every request (pages,
  ``/_dash-layout``, ``/_dash-dependencies``, ``/_dash-update-component``, downloads, assets;
  only ``/healthz`` stays open), the security headers with a strict Content-Security-Policy,
  the session secret, debug off, and Dutch error pages without stack traces.
- ``data_scope``: what a role may see of one figure; applied by dashboard.figuredata, the one
  path all figure data takes, so every figure, card, table and download is scoped alike.
- ``current_viewer()``: the logged-in person of the request in progress (None without login).
- ``check_bind``: without login the app serves this machine only.

The identities, roles and the users file are in dashboard.auth; docs/security.md has the
threat model and how to set it up.
"""

from __future__ import annotations

import dataclasses
import html
import ipaddress
import logging
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs

from flask import current_app, g, has_request_context, redirect, request

from . import settings
from .auth import PROGRAMMATEAM, AuthConfigError, AuthSettings, UnknownRole, UsersFile, Viewer, header_viewer, is_trusted

log = logging.getLogger(__name__)

# The delivery log and figures computed from it: a proeftuin sees its own rows only, the
# steering group none at all.
DELIVERY_LOG_FIGURES = frozenset({"leveringslog", "leveringen-status", "leveringen-per-kwartaal", "eerste-keer-geaccepteerd"})

HEALTH_PATH = "/healthz"
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")
CALLBACK_PATH = "/_dash-update-component"
PAGES_LOCATION_ID = "_pages_location"  # dash.page_container's dcc.Location
PRESENTATION_PARAM = "presentatie"
PRESENTATION_HOME = "/presentatie?presentatie=1"  # where the steering group lands
REALM = "Proeftuinmonitor"
SETTINGS_KEY = "MONITOR_AUTH_SETTINGS"
NO_LOGIN_TEXT = "geen login (alleen lokaal)"
OPEN_NO_LOGIN_TEXT = "geen login (open voor het netwerk)"

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=()"
HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

MESSAGES = {
    400: ("Ongeldig verzoek", "Het verzoek bevat een ongeldige waarde, bijvoorbeeld een onbekende filterwaarde."),
    401: ("Inloggen nodig", "Log in om de Proeftuinmonitor te gebruiken."),
    403: ("Geen toegang", "U heeft geen toegang tot deze pagina of deze gegevens."),
    404: ("Niet gevonden", "Deze pagina bestaat niet."),
    500: ("Er ging iets mis", "Er ging iets mis bij het maken van deze pagina. Probeer het later opnieuw; "
          "blijft het misgaan, meld het dan bij het landelijk programmateam."),
}
OTHER_ERROR = ("Verzoek niet verwerkt", "Dit verzoek kan niet worden verwerkt.")


class Forbidden(PermissionError):
    """This viewer may not see the data asked for; the web app answers 403."""


class NotForRole(Forbidden):
    """This figure is not shown to this role at all; a page shows the rest and says so here.

    Unlike a request that names another proeftuin (plain Forbidden, answered 403)."""


class BindRefused(Exception):
    """Serving beyond this machine is not allowed with these settings; the message is Dutch."""


# --- what a role may see ------------------------------------------------------------------------


@dataclass(frozen=True)
class DataScope:
    """The filters a figure is computed with for one viewer, and which result rows it may see."""

    filters: object  # dashboard.figuredata.Filters, checked
    always_protect: bool = False
    proeftuin: str | None = None  # only rows of this proeftuin, when the result has that column
    aggregates: bool = True  # whether a result without a proeftuin column may be shown

    def rows(self, df):
        """The rows of a figure result this viewer may see (raises Forbidden)."""
        if self.proeftuin is None:
            return df
        if "proeftuin" in df.columns:
            return df[df["proeftuin"] == self.proeftuin].reset_index(drop=True)
        if not self.aggregates:
            raise NotForRole("deze figuur is er alleen per proeftuin")
        return df


def data_scope(viewer: Viewer | None, indicator, filters) -> DataScope:
    """What `viewer` may see of `indicator` under the checked `filters` (raises Forbidden).

    None (no login) and programmateam: everything. stuurgroep: small numbers always protected,
    no delivery log. proeftuin:<code>: its own rows; other proeftuinen only inside aggregates
    (tranche, programme) that the filters do not narrow to them; the delivery log only its own.
    """
    if viewer is None or viewer.role == PROGRAMMATEAM:
        return DataScope(filters)
    if viewer.is_stuurgroep:
        if indicator.id in DELIVERY_LOG_FIGURES:
            raise NotForRole("de stuurgroep ziet het leveringenlogboek niet")
        return DataScope(filters, always_protect=True)
    own = viewer.proeftuin
    if own is None:
        raise Forbidden("onbekende rol")
    if any(p != own for p in filters.proeftuinen):
        raise Forbidden("gegevens van een andere proeftuin")
    if indicator.id in DELIVERY_LOG_FIGURES:
        return DataScope(dataclasses.replace(filters, proeftuinen=(own,)), proeftuin=own,
                         aggregates="proeftuinen" in indicator.parameters)
    return DataScope(filters, proeftuin=own)


def current_viewer() -> Viewer | None:
    """The logged-in viewer of the request in progress; None outside a request or without login.

    Fails closed: with login switched on, a request that did not pass the login check sees nothing.
    """
    if not has_request_context():
        return None
    if "viewer" in g:
        return g.viewer
    settings = current_app.config.get(SETTINGS_KEY)
    if settings is not None and settings.mode is not None:
        raise Forbidden("niet ingelogd")
    return None


def check_delivery_access(proeftuin: str | None) -> None:
    """For page code serving a delivery's own files (e.g. an error report): raises Forbidden
    unless the viewer may see the delivery log of `proeftuin`."""
    viewer = current_viewer()
    if viewer is None or viewer.role == PROGRAMMATEAM:
        return
    if viewer.is_stuurgroep or viewer.proeftuin != proeftuin:
        raise Forbidden("leveringen van een andere proeftuin")


def login_status_text() -> str:
    """For the header: 'geen login (alleen lokaal)' or 'ingelogd als anna (programmateam)'."""
    try:
        viewer = current_viewer()
    except Forbidden:  # Dash builds the layout once before the first request's login check
        return "niet ingelogd"
    if viewer is not None:
        return f"ingelogd als {viewer.user} ({viewer.role_label})"
    settings = current_app.config.get(SETTINGS_KEY) if has_request_context() else None
    return OPEN_NO_LOGIN_TEXT if settings is not None and settings.allow_open_bind else NO_LOGIN_TEXT


# --- where the app may listen -------------------------------------------------------------------


def is_local_address(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, data_dir=None, environ=None, debug: bool = False) -> str | None:
    """Raise BindRefused when the app may not listen on `host`; return a warning to print, if any.

    Without MONITOR_AUTH only this machine (127.0.0.1) is allowed, unless MONITOR_ALLOW_OPEN_BIND=1
    says that something else (an authenticating proxy) guards the door. The development server
    with its debugger never listens beyond this machine. With login the settings must be complete.
    """
    try:
        login = settings.value("MONITOR_AUTH", environ)
        open_bind = settings.value("MONITOR_ALLOW_OPEN_BIND", environ)
    except settings.SettingError as e:
        raise BindRefused(str(e)) from None
    if login:
        from .config import data_dir as configured_data_dir

        try:
            AuthSettings.from_env(data_dir or configured_data_dir(), environ)
        except AuthConfigError as e:
            raise BindRefused(str(e)) from None
    if is_local_address(host):
        return None
    if debug:
        raise BindRefused(
            f"MONITOR_DEBUG=1 start de ontwikkelserver met debugger; die luistert alleen op 127.0.0.1, niet op {host}."
        )
    if login:
        return None
    if open_bind:
        return (f"Waarschuwing: de Proeftuinmonitor luistert op {host} zonder eigen login "
                "(MONITOR_ALLOW_OPEN_BIND=1); zorg dat een proxy met login ervoor staat.")
    raise BindRefused(
        f"De Proeftuinmonitor heeft geen login (MONITOR_AUTH is niet gezet) en luistert dan alleen op "
        f"127.0.0.1, niet op {host}. Zet MONITOR_AUTH=basic of MONITOR_AUTH=header (zie docs/security.md), "
        "of zet MONITOR_ALLOW_OPEN_BIND=1 als een proxy met login al voor de app staat."
    )


# --- the Flask layer ------------------------------------------------------------------------------


def error_response(status: int, extra_headers: dict | None = None):
    """A short Dutch page for an error status; never a stack trace, never a value from the request."""
    title, text = MESSAGES.get(status, OTHER_ERROR)
    body = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} · Proeftuinmonitor</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
    return current_app.response_class(body, status=status, headers=extra_headers or {},
                                      content_type="text/html; charset=utf-8")


def _unauthorized():
    return error_response(401, {"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'})


def _is_page_request(path: str) -> bool:
    return request.method == "GET" and not path.startswith("/_") and not path.startswith("/assets/")


def _presentation(search) -> bool:
    values = parse_qs(str(search or "").lstrip("?")).get(PRESENTATION_PARAM, [])
    return "1" in values


def _callback_inputs(body) -> list[dict]:
    """The inputs and states of a callback request, pattern-matching lists flattened."""
    items = []
    for key in ("inputs", "state"):
        for item in (body or {}).get(key) or []:
            items.extend(item if isinstance(item, list) else [item])
    return [i for i in items if isinstance(i, dict)]


def _stuurgroep_rule(path: str):
    """The steering group sees the pages in presentation mode only."""
    if _is_page_request(path) and request.args.get(PRESENTATION_PARAM) != "1":
        return redirect(PRESENTATION_HOME, code=302)
    if path == CALLBACK_PATH:
        for item in _callback_inputs(request.get_json(silent=True)):
            if item.get("id") == PAGES_LOCATION_ID and item.get("property") == "search" \
                    and not _presentation(item.get("value")):
                return error_response(403)
    return None


def _identify(settings: AuthSettings, users: UsersFile | None):
    """The viewer of this request, or the error response to give instead."""
    try:
        if settings.mode == "basic":
            creds = request.authorization
            if creds is None or creds.type != "basic":
                return _unauthorized()
            found = users.authenticate(creds.username, creds.password)
            if found is None:
                log.warning("inloggen mislukt voor %r vanaf %s", (creds.username or "")[:64], request.remote_addr)
                return _unauthorized()
            return found
        if not is_trusted(request.remote_addr, settings.trusted_proxies):
            log.warning("kopregel-login geweigerd: %s is geen vertrouwde proxy", request.remote_addr)
            return error_response(403)
        found = header_viewer(request.headers.get(settings.user_header), request.headers.get(settings.role_header))
        return found if found is not None else error_response(403)
    except UnknownRole:
        return error_response(403)


def _csp(app) -> str:
    """default-src 'self', scripts only from the app plus the hashes of Dash's own inline scripts."""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *app.csp_hashes()]),
        # Dash and plotly.js set style attributes and add <style> elements at run time.
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "frame-ancestors": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def install(app) -> None:
    """Put login, role checks, security headers and error pages on a Dash app (once, in create_app)."""
    from .figuredata import FilterError
    from .registry import RegistryError

    server = app.server
    settings = AuthSettings.from_env(server.config["MONITOR_DATA_DIR"])
    users = UsersFile(settings.users_file) if settings.mode == "basic" else None
    server.config[SETTINGS_KEY] = settings
    if settings.secret_key:
        server.secret_key = settings.secret_key
    else:
        log.warning("MONITOR_SECRET_KEY is niet gezet: een willekeurige sessiesleutel voor dit proces (geen login)")
        server.secret_key = secrets.token_hex(32)
    server.config.update(
        DEBUG=False,  # app.run(debug=True) in development (MONITOR_DEBUG=1, local only) turns it on
        PROPAGATE_EXCEPTIONS=False,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.mode is not None,
    )

    @server.before_request
    def _check_access():
        g.viewer = None
        path = request.path
        if path == HEALTH_PATH:
            return None
        if settings.mode is None:
            if not settings.allow_open_bind and not is_local_address(request.remote_addr or ""):
                return error_response(403)
            return None
        if request.method == "POST" and request.headers.get("Sec-Fetch-Site") == "cross-site":
            return error_response(403)
        found = _identify(settings, users)
        if not isinstance(found, Viewer):
            return found
        g.viewer = found
        return _stuurgroep_rule(path) if found.is_stuurgroep else None

    @server.after_request
    def _security_headers(response):
        # Computed per response (a few hashes of short strings): Dash adds inline scripts during
        # its first request, and a policy cached before that would block them for good.
        response.headers["Content-Security-Policy"] = _csp(app)
        for name, value in HEADERS.items():
            response.headers[name] = value
        if not request.path.startswith(STATIC_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
        return response

    def _forbidden(_error):
        return error_response(403)

    def _bad_request(_error):
        return error_response(400)

    def _http_error(error):
        return error_response(error.code or 500)

    def _server_error(error):
        server.logger.error("fout bij %s %s", request.method, request.path, exc_info=error)
        return error_response(500)

    from werkzeug.exceptions import HTTPException

    server.register_error_handler(Forbidden, _forbidden)
    server.register_error_handler(FilterError, _bad_request)
    server.register_error_handler(RegistryError, _bad_request)
    server.register_error_handler(HTTPException, _http_error)
    server.register_error_handler(Exception, _server_error)
