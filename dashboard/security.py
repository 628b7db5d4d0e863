"""Web security in one place: who may see which data, on every route, and the hardening.

- ``install(app)`` (one line in ``create_app``): a login check before every request (pages,
  ``/_dash-layout``, ``/_dash-dependencies``, ``/_dash-update-component``, downloads, assets;
  only ``/healthz`` stays open), the security headers with a strict Content-Security-Policy,
  the session secret, debug off, and Dutch error pages without stack traces.
- ``data_scope``: what a role may see of one figure; applied by dashboard.figuredata, the one
  path all figure data takes, so every figure, card, table and download is scoped alike.
- ``current_viewer()``: the logged-in person of the request in progress (None without login).
- ``check_bind``: without login the app serves this machine only.
- The steering group's presentation mode decided by the server: every page's layout is drawn
  in presentation mode for that role, whatever the request names (``_present_for_stuurgroep``),
  and ``record_download`` refuses it downloads; every download is recorded in the audit log.
- Availability: a request body limit (413 before the body is read), malformed callbacks 400,
  and failed logins throttled per user name and address (429; dashboard.throttle).

The identities, roles and the users file are in dashboard.auth; docs/security.md has the
threat model and how to set it up.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import io
import ipaddress
import logging
import secrets
import sqlite3
from dataclasses import dataclass

from flask import current_app, g, has_request_context, redirect, request

from . import audit, device_cookie, settings
from .auth import PROGRAMMATEAM, AuthConfigError, AuthSettings, UnknownRole, UsersFile, Viewer, header_viewer, is_trusted
from .throttle import LoginThrottle

log = logging.getLogger(__name__)

# The delivery log and figures computed from it: a proeftuin sees its own rows only, the
# steering group none at all.
DELIVERY_LOG_FIGURES = frozenset({"leveringslog", "leveringen-status", "leveringen-per-kwartaal", "eerste-keer-geaccepteerd"})

HEALTH_PATH = "/healthz"
STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")
CALLBACK_PATH = "/_dash-update-component"
PRESENTATION_PARAM = "presentatie"
PRESENTATION_HOME = "/presentatie?presentatie=1"  # where the steering group lands
REALM = "Proeftuinmonitor"
SETTINGS_KEY = "MONITOR_AUTH_SETTINGS"
NO_LOGIN_TEXT = "geen login (alleen lokaal)"
OPEN_NO_LOGIN_TEXT = "geen login (open voor het netwerk)"
# The largest callback the pages send is 1.4 KB (every page with every filter set, a download,
# a delivery chosen on /aanleveringen; measured in Chromium by tests/test_availability.py): 1 MB
# leaves a wide margin and keeps a worker's memory small. A route that takes files (an upload)
# adds its own, larger limit to BODY_LIMITS.
MAX_BODY_BYTES = 1024 * 1024
BODY_LIMITS: dict[str, int] = {}
# Routes that stream their body to disk and enforce their own, larger limit before reading it
# (the upload of a delivery, dashboard/upload.py); the body limit above does not apply to them.
STREAMED_PATHS: set[str] = set()

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
    413: ("Verzoek te groot", "Dit verzoek is groter dan de Proeftuinmonitor aanneemt."),
    429: ("Te veel mislukte inlogpogingen", "Er is te vaak een verkeerd wachtwoord gegeven voor deze gebruiker "
          "of vanaf dit adres. Probeer het over een paar minuten opnieuw."),
    500: ("Er ging iets mis", "Er ging iets mis bij het maken van deze pagina. Probeer het later opnieuw; "
          "blijft het misgaan, meld het dan bij het landelijk programmateam."),
    503: ("Tijdelijk niet beschikbaar", "Dit kan nu niet worden vastgelegd of gecontroleerd, en is daarom niet "
          "uitgevoerd. Probeer het later opnieuw; blijft het misgaan, meld het dan bij het landelijk programmateam."),
}
OTHER_ERROR = ("Verzoek niet verwerkt", "Dit verzoek kan niet worden verwerkt.")


class Forbidden(PermissionError):
    """This viewer may not see the data asked for; the web app answers 403."""


class NotForRole(Forbidden):
    """This figure is not shown to this role at all; a page shows the rest and says so here.

    Unlike a request that names another proeftuin (plain Forbidden, answered 403)."""


class NotRecorded(Exception):
    """An action the audit log must record could not be recorded; it is refused (503)."""


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


def record_download(figure_id: str, **details) -> None:
    """Call before a download leaves the server: the steering group gets none (Forbidden), and
    who downloads which figure with which filters goes into the audit log first. A download that
    cannot be recorded is refused (NotRecorded)."""
    viewer = current_viewer()
    if viewer is not None and viewer.is_stuurgroep:
        raise Forbidden("de stuurgroep downloadt geen gegevens")
    try:
        audit.record(current_app.config["MONITOR_DATA_DIR"], audit.DOWNLOAD, viewer.user if viewer else None,
                     figuur=figure_id, **details)
    except OSError:
        log.exception("download van %s niet vastgelegd in het auditlog: geweigerd", figure_id)
        raise NotRecorded("download niet vastgelegd") from None


def _present_for_stuurgroep(layout):
    """A page's layout that the steering group always gets in presentation mode: the server
    decides, whatever URL, ids or values the request carries."""
    @functools.wraps(layout)
    def layout_for_role(*args, **kwargs):
        viewer = current_viewer()
        if viewer is not None and viewer.is_stuurgroep:
            kwargs[PRESENTATION_PARAM] = "1"
        return layout(*args, **kwargs)

    layout_for_role.pm_role_aware = True
    return layout_for_role


def _wrap_page_layouts() -> None:
    import dash

    for page in dash.page_registry.values():
        layout = page.get("layout")
        if callable(layout) and not getattr(layout, "pm_role_aware", False):
            page["layout"] = _present_for_stuurgroep(layout)


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


STORE_DAMAGED = ("Gegevens niet beschikbaar", "De gegevens van de Proeftuinmonitor zijn op dit moment niet "
                 "beschikbaar: de gegevensmap is niet in orde. Er wordt niets getoond tot de beheerder dit heeft "
                 "hersteld (python -m dashboard controleer, zie docs/operations.md).")


def error_response(status: int, extra_headers: dict | None = None, message: tuple[str, str] | None = None):
    """A short Dutch page for an error status; never a stack trace, never a value from the request."""
    title, text = message or MESSAGES.get(status, OTHER_ERROR)
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


def _stuurgroep_rule(path: str):
    """A steering-group page request without presentatie=1 goes to the slides. Callbacks need no
    rule here: every page layout is drawn in presentation mode for this role anyway."""
    if _is_page_request(path) and request.args.get(PRESENTATION_PARAM) != "1":
        return redirect(PRESENTATION_HOME, code=302)
    return None


# The value types the app's callbacks take, by property; anything else is a crafted request.
PROPERTY_TYPES = {"pathname": str, "search": str, "n_clicks": int, "selectedRows": list, "value": (str, int, float, list),
                  "data": (dict, list, str, int, float), "id": (dict, str)}


def _valid_item(item, spec: dict) -> bool:
    """An input or state as dash-renderer sends it for the registered `spec` {id, property}:
    the same property, the same id (any dict for a pattern-matching id), a value of its type."""
    if not isinstance(item, dict) or item.get("property") != spec["property"]:
        return False
    registered = spec["id"]
    if not (isinstance(item.get("id"), dict) if registered.startswith("{") else item.get("id") == registered):
        return False
    value = item.get("value")
    if value is None:
        return True
    wanted = PROPERTY_TYPES.get(spec["property"], object)
    if isinstance(value, bool) or not isinstance(value, wanted):
        return False
    if isinstance(value, list):
        inner = dict if spec["property"] == "selectedRows" else (str, int, float)
        return all(isinstance(v, inner) and not isinstance(v, bool) for v in value)
    return True


def _valid_items(items, specs: list[dict]) -> bool:
    """A list of inputs (or states) matching the registered ones one by one; a pattern-matching
    ALL input is a list of items."""
    if not isinstance(items, list) or len(items) != len(specs):
        return False
    return all(all(_valid_item(i, spec) for i in item) if isinstance(item, list) else _valid_item(item, spec)
               for item, spec in zip(items, specs))


def _valid_callback(body, callback_map: dict) -> bool:
    """Whether a callback request has the shape dash-renderer sends for a callback this app has
    (else 400, rather than a 500 from deep inside Dash or a page): a known output, inputs and
    state as registered, values of the types the callbacks take, changedPropIds strings."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return False
    registered = callback_map.get(body["output"])
    if registered is None:
        return False
    if not _valid_items(body.get("inputs"), registered.get("inputs", [])) \
            or not _valid_items(body.get("state", []), registered.get("state", [])):
        return False
    outputs, wanted = body.get("outputs"), registered.get("output")
    if isinstance(wanted, (list, tuple)):
        if not isinstance(outputs, list) or len(outputs) != len(wanted):
            return False
    elif not isinstance(outputs, (dict, list)):  # one output; a list for a pattern-matching ALL
        return False
    changed = body.get("changedPropIds", [])
    return isinstance(changed, list) and all(isinstance(c, str) for c in changed)


def client_address(settings: AuthSettings) -> str:
    """The client's address: the connection's, or behind a trusted proxy the last address the
    proxy put in X-Forwarded-For."""
    remote = request.remote_addr or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    if forwarded and is_trusted(remote, settings.trusted_proxies):
        return forwarded.split(",")[-1].strip()[:64] or remote
    return remote


def _audit_login(viewer: Viewer, throttle: LoginThrottle, how: str):
    """Record a login once per user per throttle.LOGIN_AUDIT_SECONDS; None, or the 503 to give
    when it cannot be recorded (a login that is not accounted for is not let in)."""
    data_dir = current_app.config["MONITOR_DATA_DIR"]
    try:
        if throttle.login_due(viewer.user):
            try:
                audit.record(data_dir, audit.LOGIN_OK, viewer.user, rol=viewer.role, adres=request.remote_addr,
                             via=how)
            except OSError:
                throttle.forget_login(viewer.user)
                raise
    except (OSError, sqlite3.Error):
        log.exception("inloggen van %s niet vastgelegd: geweigerd", viewer.user)
        return error_response(503)
    return None


def _login_failed(name: str, address: str, event: str, **details) -> None:
    """Log and audit a failed or refused login; their recording failing never lets anyone in."""
    log.warning("%s voor %r vanaf %s", "inloggen geblokkeerd" if event == audit.LOGIN_THROTTLED
                else "inloggen mislukt", name, address)
    try:
        audit.record(current_app.config["MONITOR_DATA_DIR"], event, name, adres=address, **details)
    except OSError:
        log.exception("mislukte inlogpoging niet vastgelegd in het auditlog")


def _basic_login(users: UsersFile, throttle: LoginThrottle, settings: AuthSettings):
    """Basic login: remembered credentials at once; otherwise refused while throttled (before
    any scrypt), checked, and a failure counted for the user name and the address."""
    creds = request.authorization
    if creds is None or creds.type != "basic":
        return _unauthorized()
    name, password = (creds.username or "")[:64], creds.password
    found = users.remembered(name, password)
    if found is not None:
        return found
    address = client_address(settings)
    try:
        # A browser that logged in as this user before is not refused for its address.
        wait = throttle.retry_after(name, None if device_cookie.holds(users, name) else address)
        if wait:
            _login_failed(name, address, audit.LOGIN_THROTTLED, wacht_seconden=wait)
            return error_response(429, {"Retry-After": str(wait)})
        found = users.authenticate(name, password)
        if found is None:
            wait = throttle.failed(name, address)
            _login_failed(name, address, audit.LOGIN_FAILED, geblokkeerd=bool(wait))
            return _unauthorized()
        throttle.succeeded(name)
        device_cookie.issue(users, name)
    except (OSError, sqlite3.Error):
        log.exception("de inlogpogingen van %s kunnen niet worden bijgehouden: geweigerd", throttle.path)
        return error_response(503)
    return found


def _chunked_body_within(limit: int) -> bool:
    """A chunked body (no Content-Length) is read here up to `limit` bytes and kept for the app;
    False when it is longer. (werkzeug would stop at the limit too, but hand the app a cut-off
    body: a 400 for the wrong reason.)"""
    if "chunked" not in request.headers.get("Transfer-Encoding", "").lower():
        return True
    data = request.environ["wsgi.input"].read(limit + 1)
    if len(data) > limit:
        return False
    request.environ["wsgi.input"] = io.BytesIO(data)
    request.environ["CONTENT_LENGTH"] = str(len(data))
    return True


def _identify(settings: AuthSettings, users: UsersFile | None, throttle: LoginThrottle):
    """The viewer of this request, or the error response to give instead."""
    try:
        if settings.mode == "basic":
            found = _basic_login(users, throttle, settings)
            how = "basic"
        else:
            if not is_trusted(request.remote_addr, settings.trusted_proxies):
                log.warning("kopregel-login geweigerd: %s is geen vertrouwde proxy", request.remote_addr)
                return error_response(403)
            found = header_viewer(request.headers.get(settings.user_header), request.headers.get(settings.role_header))
            if found is None:
                return error_response(403)
            how = "kopregel"
    except UnknownRole:
        return error_response(403)
    if not isinstance(found, Viewer):
        return found
    refused = _audit_login(found, throttle, how)
    return refused if refused is not None else found


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
    throttle = LoginThrottle(server.config["MONITOR_DATA_DIR"])
    _wrap_page_layouts()
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
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
    )

    @server.before_request
    def _check_access():
        g.viewer = None
        path = request.path
        # Before anything reads the body (werkzeug also stops a chunked body at this limit).
        if path not in STREAMED_PATHS:
            request.max_content_length = BODY_LIMITS.get(path, MAX_BODY_BYTES)
            if (request.content_length or 0) > request.max_content_length or not _chunked_body_within(
                    request.max_content_length):
                return error_response(413, {"Connection": "close"})
        if path == HEALTH_PATH:
            return None
        refused = _check_viewer(path)
        if refused is None and path == CALLBACK_PATH and request.method == "POST":
            if not request.is_json:  # a plain form post (no CORS preflight): no callback
                return error_response(415)
            if not _valid_callback(request.get_json(silent=True), app.callback_map):
                log.warning("ongeldig callbackverzoek van %s", request.remote_addr)
                return error_response(400)
        return refused

    def _check_viewer(path: str):
        if settings.mode is None:
            if not settings.allow_open_bind and not is_local_address(request.remote_addr or ""):
                return error_response(403)
            return None
        if request.method == "POST" and request.headers.get("Sec-Fetch-Site") == "cross-site":
            return error_response(403)
        found = _identify(settings, users, throttle)
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
        # A body over the limit (413) is not read to its end: the connection closes instead.
        return error_response(error.code or 500, {"Connection": "close"} if error.code == 413 else None)

    def _server_error(error):
        server.logger.error("fout bij %s %s", request.method, request.path, exc_info=error)
        return error_response(500)

    from werkzeug.exceptions import HTTPException

    def _not_recorded(_error):
        return error_response(503)

    server.register_error_handler(Forbidden, _forbidden)
    server.register_error_handler(NotRecorded, _not_recorded)
    server.register_error_handler(FilterError, _bad_request)
    server.register_error_handler(RegistryError, _bad_request)
    server.register_error_handler(HTTPException, _http_error)
    server.register_error_handler(Exception, _server_error)
