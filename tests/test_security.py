"""Login, roles and web hardening, attacked over HTTP (Flask's test client) on a small real store.

The store holds two proeftuinen: flevoland (tranche 2, 12 cases) and foodvalley (tranche 1,
9 cases), and one rejected foodvalley delivery, so the delivery log has rows of both.
Users: anna (programmateam), fleur (proeftuin:flevoland), sam (stuurgroep), and vreemd,
whose role in the users file does not exist.

Callback requests are built the way dash-renderer sends them; the ids come from
/_dash-dependencies and from the page content the app itself returns.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import importlib.util
import io
import json
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import dash
import pytest

from dashboard import auth, cli, figuredata, pagecache, registry, security, throttle
from dashboard.app import create_app
from dashboard.figuredata import FilterError, Filters, figure_data
from dashboard.ingest import ingest_files
from dashboard.pagecache import page_body
from dashboard.store import Store
from dashboard.ui.view import PARAM
from tests.exportfiles import casus, write_csv

ROOT = Path(__file__).resolve().parent.parent
SECRET = "s" * 40
PASSWORDS = {"anna": "anna-wachtwoord-1", "fleur": "fleur-wachtwoord-2", "sam": "sam-wachtwoord-33",
             "vreemd": "vreemd-wachtwoord-4"}
ROLES = {"anna": "programmateam", "fleur": "proeftuin:flevoland", "sam": "stuurgroep"}
DOWNLOAD_BUTTON = "pm-download-knop"
PER_PROEFTUIN = "instroom-per-kwartaal"  # rows per proeftuin and quarter
AGGREGATE = "instroom-per-tranche"  # rows per tranche and quarter: no proeftuin column
DELIVERY_LOG = "leveringslog"
TRUSTED = "10.0.0.5"


# --- the store, the users and the apps ------------------------------------------------------------


def _cases(code: str, prefix: str, n: int, month_offset: int = 0) -> list[dict]:
    return [casus(casus_id=f"{prefix}-{i:04d}", proeftuin=code, werkgebied="", datum_start_hulp=None,
                  datum_aanmelding=dt.date(2024, 1 + (i + month_offset) % 6, 1 + i)) for i in range(n)]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("security")
    store = Store(tmp / "store")
    files = [write_csv(tmp / "flevoland_casussen_2024-Q2.csv", _cases("flevoland", "FL", 12)),
             write_csv(tmp / "foodvalley_casussen_2024-Q2.csv", _cases("foodvalley", "FV", 9, 2))]
    assert ingest_files(files, store, ontvangen=dt.date(2024, 7, 10)).all_accepted
    late = tmp / "later" / "foodvalley_casussen_2024-Q2.csv"
    late.parent.mkdir()
    # Registered after the peildatum: rejected, but in the delivery log.
    write_csv(late, [casus(casus_id="FV-9999", proeftuin="foodvalley", datum_aanmelding=dt.date(2024, 8, 1))])
    assert not ingest_files([late], store, ontvangen=dt.date(2024, 7, 20)).all_accepted
    return store.root


def _add_user(data_dir: Path, name: str, role: str, password: str) -> int:
    """`python -m dashboard gebruiker` in-process, the password piped on stdin."""
    old = sys.stdin
    sys.stdin = io.StringIO(password + "\n")
    try:
        return cli.main(["--data-dir", str(data_dir), "gebruiker", name, "--rol", role])
    finally:
        sys.stdin = old


@pytest.fixture(scope="module")
def users_file(store_dir) -> Path:
    for name, role in ROLES.items():
        assert _add_user(store_dir, name, role, PASSWORDS[name]) == 0
    path = store_dir / auth.USERS_FILE_NAME
    data = json.loads(path.read_text())
    data["gebruikers"]["vreemd"] = {**data["gebruikers"]["anna"], "rol": "beheerder"}
    data["gebruikers"]["vreemd"]["wachtwoord"] = auth.generate_password_hash(PASSWORDS["vreemd"])
    path.write_text(json.dumps(data))
    path.chmod(0o600)
    return path


def create_app_with(store_dir: Path, env: dict):
    """create_app with exactly these login settings in the environment."""
    with pytest.MonkeyPatch.context() as mp:
        for name in ("MONITOR_AUTH", "MONITOR_SECRET_KEY", "MONITOR_USERS_FILE", "MONITOR_TRUSTED_PROXIES",
                     "MONITOR_ALLOW_OPEN_BIND", "MONITOR_AUTH_USER_HEADER", "MONITOR_AUTH_ROLE_HEADER"):
            mp.delenv(name, raising=False)
        for name, value in env.items():
            mp.setenv(name, value)
        return create_app(store_dir)


def _app(store_dir: Path, env: dict):
    """An app built with these settings; one first request so Dash registers its callbacks now
    (the autouse fixture in conftest.py clears Dash's global callback list before each test)."""
    app = create_app_with(store_dir, env)
    app.server.test_client().get("/healthz")
    return app


@pytest.fixture(scope="module")
def basic_app(store_dir, users_file):
    return _app(store_dir, {"MONITOR_AUTH": "basic", "MONITOR_SECRET_KEY": SECRET,
                            "MONITOR_USERS_FILE": str(users_file)})


@pytest.fixture(scope="module")
def header_app(store_dir):
    return _app(store_dir, {"MONITOR_AUTH": "header", "MONITOR_SECRET_KEY": SECRET,
                            "MONITOR_TRUSTED_PROXIES": f"{TRUSTED}, 192.168.7.0/24"})


@pytest.fixture(scope="module")
def open_app(store_dir):
    return _app(store_dir, {})


@pytest.fixture(autouse=True)
def _no_failed_logins_carried_over(store_dir):
    """Each test starts with no failed logins counted (they share one data folder)."""
    throttle.state_path(store_dir).unlink(missing_ok=True)


@pytest.fixture
def client(basic_app):
    return basic_app.server.test_client()


def client_from(app, address: str):
    """A test client whose requests come from `address`."""
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def login(name: str, password: str | None = None) -> dict:
    token = base64.b64encode(f"{name}:{password or PASSWORDS[name]}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def proxy(name: str, role: str) -> dict:
    return {"X-Remote-User": name, "X-Remote-Role": role}


# --- requests as the browser sends them ------------------------------------------------------------


def page_paths(code: str = "flevoland") -> list[str]:
    """Every registered page, a path variable filled with `code`."""
    return [re.sub(r"<[^>]+>", code, p.get("path_template") or p["path"]) for p in dash.page_registry.values()]


def button_ids(layout) -> list[dict]:
    """The ids of the download buttons in a page's content."""
    found = []
    if isinstance(layout, dict):
        ident = layout.get("id")
        if isinstance(ident, dict) and ident.get("type") == DOWNLOAD_BUTTON:
            found.append(ident)
        for value in layout.values():
            found += button_ids(value)
    elif isinstance(layout, list):
        for value in layout:
            found += button_ids(value)
    return found


def download_callback(client, headers) -> tuple[str, dict]:
    """The download callback as /_dash-dependencies lists it: its output spec and a button id."""
    deps = client.get("/_dash-dependencies", headers=headers).get_json()
    found = [d for d in deps if '"type":"pm-download"' in d["output"]]
    assert len(found) == 1, [d["output"] for d in deps]
    button = json.loads(found[0]["inputs"][0]["id"])
    assert button["type"] == DOWNLOAD_BUTTON and "figuur" in button and "filters" in button, button
    return found[0]["output"], {k: "kaart-test" if v == ["MATCH"] else v for k, v in button.items()}


def download_body(output: str, template: dict, figure_id: str, filters: str = "") -> dict:
    """A click on a download button whose id asks for `figure_id` under `filters` (a URL query)."""
    button = {**template, "figuur": figure_id, "filters": filters}
    key = json.dumps(button, sort_keys=True, separators=(",", ":"))
    return {
        "output": output,
        "outputs": {"id": {**button, "type": "pm-download"}, "property": "data"},
        "inputs": [{"id": button, "property": "n_clicks", "value": 1}],
        "changedPropIds": [f"{key}.n_clicks"],
        "state": [],
    }


@pytest.fixture(scope="module")
def download(basic_app, users_file):
    """download(client, headers, figure_id, filters) -> the response to a download click."""
    output, template = download_callback(basic_app.server.test_client(), login("anna"))

    def post(client, headers, figure_id, filters=""):
        return client.post("/_dash-update-component", json=download_body(output, template, figure_id, filters),
                           headers=headers)

    return post


def csv_rows(response) -> list[dict]:
    """The CSV rows of a download callback's answer."""
    assert response.status_code == 200, response.status_code
    (answer,) = response.get_json()["response"].values()
    text = base64.b64decode(answer["data"]["content"]).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def get_routes(client, headers) -> list[str]:
    """Every GET route: pages, Dash's JSON routes, an asset, a component script, the favicon."""
    index = client.get("/", headers=headers).get_data(as_text=True)
    script = re.search(r'src="(/_dash-component-suites/[^"]+)"', index)
    assert script, "no component script in the index page"
    return [*page_paths(), "/_dash-layout", "/_dash-dependencies", "/assets/app.css", script.group(1),
            "/_favicon.ico"]


# --- basic login ----------------------------------------------------------------------------------------


def test_every_route_refuses_a_missing_or_wrong_login(client, download, monkeypatch):
    # Some sixty wrong logins: throttling (tested in tests/test_availability.py) would answer 429.
    monkeypatch.setattr(throttle, "LIMITS", {"gebruiker": 10**6, "adres": 10**6})
    routes = get_routes(client, login("anna"))
    wrong = [None, login("anna", "fout-wachtwoord-0"), login("niemand", "wat-dan-ook-123"),
             {"Authorization": "Bearer abc"}]
    for headers in wrong:
        for route in routes:
            r = client.get(route, headers=headers)
            assert r.status_code == 401, (route, headers, r.status_code)
            assert r.headers["WWW-Authenticate"].startswith('Basic realm="Proeftuinmonitor"')
            assert b"Traceback" not in r.data
        r = client.post("/_dash-update-component", json=page_body("/"), headers=headers)
        assert r.status_code == 401
        r = download(client, headers or {}, PER_PROEFTUIN)
        assert r.status_code == 401


def test_a_user_with_an_unknown_role_is_refused(client):
    for route in ("/", "/_dash-layout", "/assets/app.css"):
        assert client.get(route, headers=login("vreemd")).status_code == 403


def test_programmateam_reaches_every_route_and_all_data(client, download):
    headers = login("anna")
    for route in get_routes(client, headers):
        assert client.get(route, headers=headers).status_code == 200, route
    for path in page_paths():
        r = client.post("/_dash-update-component", json=page_body(path), headers=headers)
        assert r.status_code == 200, path
    rows = csv_rows(download(client, headers, PER_PROEFTUIN))
    assert {r["proeftuin"] for r in rows} == {"flevoland", "foodvalley"}
    log = csv_rows(download(client, headers, DELIVERY_LOG))
    assert {r["proeftuin"] for r in log} == {"flevoland", "foodvalley"}


def test_the_download_ids_sent_here_are_those_the_overview_draws(client):
    content = client.post("/_dash-update-component", json=page_body("/"), headers=login("anna")).get_json()
    buttons = button_ids(content)
    keys = set(download_callback(client, login("anna"))[1])
    assert buttons and all(set(b) == keys for b in buttons)


def test_proeftuin_sees_its_own_rows_and_aggregates(client, download):
    headers = login("fleur")
    for route in get_routes(client, headers):
        assert client.get(route, headers=headers).status_code == 200, route
    for path in page_paths():
        r = client.post("/_dash-update-component", json=page_body(path), headers=headers)
        assert r.status_code == 200, path
    for filters in ("", "proeftuinen=flevoland", "tranche=1", "tranche=2"):
        rows = csv_rows(download(client, headers, PER_PROEFTUIN, filters))
        assert {r["proeftuin"] for r in rows} <= {"flevoland"}, filters
    assert {r["proeftuin"] for r in csv_rows(download(client, headers, PER_PROEFTUIN))} == {"flevoland"}
    # Tranche aggregates include the other proeftuinen, summed: allowed.
    tranches = csv_rows(download(client, headers, AGGREGATE))
    assert {r["tranche"] for r in tranches} == {"1", "2"}
    # The delivery log: its own deliveries only.
    assert {r["proeftuin"] for r in csv_rows(download(client, headers, DELIVERY_LOG))} == {"flevoland"}


def test_proeftuin_asking_directly_for_another_proeftuin_gets_403(client, download):
    headers = login("fleur")
    for figure_id in (PER_PROEFTUIN, AGGREGATE, DELIVERY_LOG, "kpi-programma", "leveringen-status"):
        for filters in ("proeftuinen=foodvalley", "proeftuinen=flevoland,foodvalley"):
            r = download(client, headers, figure_id, filters)
            assert r.status_code == 403, (figure_id, filters, r.status_code)
            assert b"foodvalley" not in r.data
    search = "?proeftuinen=foodvalley"
    r = client.post("/_dash-update-component", json=page_body("/", search), headers=headers)
    assert r.status_code == 403
    # A page of another proeftuin (/proeftuin/<code>) says so, with links, and carries no data of it.
    for path in sorted(set(page_paths("foodvalley")) - set(page_paths())):
        r = client.post("/_dash-update-component", json=page_body(path), headers=headers)
        assert r.status_code == 200, path
        text = r.get_data(as_text=True)
        assert "andere-proeftuin" in text and "U bent ingelogd voor proeftuin Flevoland" in text, path
        assert "/_dash-update-component" not in text and '"figure"' not in text and "pm-card" not in text, path
    # Its figures, asked for directly, still get 403 (above, with proeftuinen=foodvalley).


def test_stuurgroep_gets_presentation_mode_only(client, download, monkeypatch):
    headers = login("sam")
    for path in page_paths():
        r = client.get(path, headers=headers)
        assert r.status_code == 302 and r.headers["Location"] == security.PRESENTATION_HOME, path
    assert client.get(security.PRESENTATION_HOME, headers=headers).status_code == 200
    assert client.get("/?presentatie=1", headers=headers).status_code == 200
    for route in ("/_dash-layout", "/_dash-dependencies", "/assets/app.css"):
        assert client.get(route, headers=headers).status_code == 200
    # A page asked for outside presentation mode, also with the location input renamed the way a
    # crafted request would: the server draws it in presentation mode, without filters or downloads.
    for path in page_paths():
        plain = page_body(path, "")
        renamed = {**plain, "inputs": [{**i, "id": "zoekveld"} for i in plain["inputs"]],
                   "changedPropIds": ["zoekveld.pathname"]}
        r = client.post("/_dash-update-component", json=plain, headers=headers)
        if path == "/aanleveren":  # not the steering group's page at all (dashboard/upload_access.py)
            assert r.status_code == 403
            continue
        assert r.status_code == 200, path
        assert button_ids(r.get_json()) == [] and f'"type":"{PARAM}"' not in r.get_data(as_text=True)
        # An input id the callback does not have: not a request dash-renderer sends.
        assert client.post("/_dash-update-component", json=renamed, headers=headers).status_code == 400
    normal = client.post("/_dash-update-component", json=page_body("/", ""), headers=login("anna"))
    assert button_ids(normal.get_json()) and f'"type":"{PARAM}"' in normal.get_data(as_text=True)
    r = client.post("/_dash-update-component", json=page_body("/presentatie", "?presentatie=1"), headers=headers)
    assert r.status_code == 200
    # Every download refused, whatever figure or filters the button id names.
    for figure_id in (PER_PROEFTUIN, AGGREGATE, "kpi-programma"):
        assert download(client, headers, figure_id).status_code == 403, figure_id
    for figure_id in sorted(security.DELIVERY_LOG_FIGURES & set(registry.load_registry())):
        assert download(client, headers, figure_id).status_code == 403, figure_id
    # Protection is on for the steering group even where the setting switches it off.
    monkeypatch.setenv("MONITOR_SMALL_CELL_THRESHOLD", "0")
    shown = figure_data(PER_PROEFTUIN, data_dir=client.application.config["MONITOR_DATA_DIR"],
                        viewer=auth.viewer("sam", "stuurgroep")).df["aangemeld"].tolist()
    assert "<5" in shown
    raw = [r["aangemeld"] for r in csv_rows(download(client, login("anna"), PER_PROEFTUIN))]
    assert "<5" not in raw


def test_a_changed_password_counts_at_once(client, store_dir, users_file):
    assert client.get("/_dash-layout", headers=login("fleur")).status_code == 200
    auth.set_user(users_file, "fleur", ROLES["fleur"], "nieuw-wachtwoord-22")
    try:
        assert client.get("/_dash-layout", headers=login("fleur")).status_code == 401
        assert client.get("/_dash-layout", headers=login("fleur", "nieuw-wachtwoord-22")).status_code == 200
    finally:
        auth.set_user(users_file, "fleur", ROLES["fleur"], PASSWORDS["fleur"])


def test_the_header_shows_who_is_logged_in(client):
    layout = client.get("/_dash-layout", headers=login("fleur")).get_data(as_text=True)
    assert "ingelogd als fleur (proeftuin Flevoland)" in layout


def test_a_cross_site_post_is_refused(client):
    headers = {**login("anna"), "Sec-Fetch-Site": "cross-site"}
    assert client.post("/_dash-update-component", json=page_body("/"), headers=headers).status_code == 403
    # A plain form post (no CORS preflight) is not JSON: refused before any callback runs.
    r = client.post("/_dash-update-component", data=json.dumps(page_body("/")), headers=login("anna"),
                    content_type="text/plain")
    assert r.status_code == 415


# --- header login (reverse proxy) ------------------------------------------------------------------


def test_header_login_from_the_trusted_proxy(header_app, download):
    client = client_from(header_app, TRUSTED)
    routes = get_routes(client, proxy("anna", "programmateam"))
    for route in routes:
        assert client.get(route, headers=proxy("anna", "programmateam")).status_code == 200, route
    fleur = proxy("fleur", "proeftuin:flevoland")
    assert {r["proeftuin"] for r in csv_rows(download(client, fleur, PER_PROEFTUIN))} == {"flevoland"}
    assert download(client, fleur, PER_PROEFTUIN, "proeftuinen=foodvalley").status_code == 403
    sam = proxy("sam", "stuurgroep")
    assert client.get("/", headers=sam).status_code == 302
    assert download(client, sam, DELIVERY_LOG).status_code == 403
    # A trusted network given as CIDR.
    other = client_from(header_app, "192.168.7.20")
    assert other.get("/_dash-layout", headers=proxy("anna", "programmateam")).status_code == 200


def test_header_login_is_refused_from_elsewhere_or_incomplete(header_app):
    untrusted = client_from(header_app, "10.0.0.6")
    for route in ("/", "/_dash-layout", "/_dash-dependencies", "/assets/app.css"):
        assert untrusted.get(route, headers=proxy("anna", "programmateam")).status_code == 403, route
    r = untrusted.post("/_dash-update-component", json=page_body("/"), headers=proxy("anna", "programmateam"))
    assert r.status_code == 403
    trusted = client_from(header_app, TRUSTED)
    assert trusted.get("/").status_code == 403  # the proxy passed no user
    assert trusted.get("/", headers=proxy("anna", "")).status_code == 403
    assert trusted.get("/", headers=proxy("anna", "beheerder")).status_code == 403
    assert trusted.get("/", headers=proxy("anna", "proeftuin:atlantis")).status_code == 403
    # Forwarded-for headers do not make an untrusted client trusted.
    spoofed = {**proxy("anna", "programmateam"), "X-Forwarded-For": TRUSTED, "X-Real-IP": TRUSTED}
    assert untrusted.get("/", headers=spoofed).status_code == 403


# --- no login: this machine only -----------------------------------------------------------------------


def test_without_login_only_this_machine_is_served(open_app):
    local = open_app.server.test_client()
    assert local.get("/").status_code == 200
    assert security.NO_LOGIN_TEXT in local.get("/_dash-layout").get_data(as_text=True)
    remote = client_from(open_app, "192.168.1.20")
    for route in ("/", "/_dash-layout", "/assets/app.css"):
        assert remote.get(route).status_code == 403, route
    assert remote.post("/_dash-update-component", json=page_body("/")).status_code == 403
    assert remote.get("/healthz").status_code == 200


def test_healthz_is_open_and_says_only_ok(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.get_data(as_text=True) == "ok"


# --- where the app may listen -------------------------------------------------------------------------


def test_check_bind(tmp_path):
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert security.check_bind(host, tmp_path, environ={}) is None
    with pytest.raises(security.BindRefused, match="geen login"):
        security.check_bind("0.0.0.0", tmp_path, environ={})
    with pytest.raises(security.BindRefused):
        security.check_bind("10.1.2.3", tmp_path, environ={})
    warning = security.check_bind("0.0.0.0", tmp_path, environ={"MONITOR_ALLOW_OPEN_BIND": "1"})
    assert "zonder eigen login" in warning
    login_env = {"MONITOR_AUTH": "basic", "MONITOR_SECRET_KEY": SECRET}
    assert security.check_bind("0.0.0.0", tmp_path, environ=login_env) is None
    with pytest.raises(security.BindRefused, match="MONITOR_SECRET_KEY"):
        security.check_bind("0.0.0.0", tmp_path, environ={"MONITOR_AUTH": "basic"})
    with pytest.raises(security.BindRefused, match="debugger"):
        security.check_bind("0.0.0.0", tmp_path, environ=login_env, debug=True)


def test_app_py_refuses_an_open_bind_without_login(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("root_app", ROOT / "app.py")
    root_app = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(root_app)
    for name in ("MONITOR_AUTH", "MONITOR_ALLOW_OPEN_BIND", "MONITOR_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit, match="geen login"):
        root_app.check_bind("0.0.0.0")
    root_app.check_bind("127.0.0.1")

    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    data_dir = tmp_path / "leeg"
    data_dir.mkdir()
    env["MONITOR_DATA_DIR"] = str(data_dir)
    result = subprocess.run([sys.executable, str(ROOT / "app.py"), "--bind", "0.0.0.0"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "MONITOR_AUTH" in result.stderr and "127.0.0.1" in result.stderr
    assert not any(data_dir.iterdir()), "nothing may happen before the refusal"
    env["MONITOR_BIND"] = "0.0.0.0"
    result = subprocess.run([sys.executable, str(ROOT / "app.py")], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1 and "geen login" in result.stderr


def test_login_settings_that_do_not_add_up_refuse_to_start(store_dir, monkeypatch):
    monkeypatch.delenv("MONITOR_SECRET_KEY", raising=False)
    cases = [
        ({"MONITOR_AUTH": "ldap", "MONITOR_SECRET_KEY": SECRET}, "onbekend"),
        ({"MONITOR_AUTH": "basic"}, "MONITOR_SECRET_KEY"),
        ({"MONITOR_AUTH": "basic", "MONITOR_SECRET_KEY": "kort"}, "MONITOR_SECRET_KEY"),
        ({"MONITOR_AUTH": "header", "MONITOR_SECRET_KEY": SECRET}, "MONITOR_TRUSTED_PROXIES"),
        ({"MONITOR_AUTH": "header", "MONITOR_SECRET_KEY": SECRET, "MONITOR_TRUSTED_PROXIES": "proxy.local"},
         "geen IP-adres"),
    ]
    for env, message in cases:
        with pytest.raises(auth.AuthConfigError, match=message):
            auth.AuthSettings.from_env(store_dir, env)


# --- the gebruiker command and the users file --------------------------------------------------------


def test_gebruiker_command(tmp_path):
    path = tmp_path / auth.USERS_FILE_NAME
    result = subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(tmp_path), "gebruiker", "pia",
                             "--rol", "proeftuin:zeeland"], input="een-lang-wachtwoord\n", capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "toegevoegd" in result.stdout and "een-lang-wachtwoord" not in result.stdout + result.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    entry = json.loads(path.read_text())["gebruikers"]["pia"]
    assert entry["rol"] == "proeftuin:zeeland"
    assert entry["wachtwoord"].startswith("scrypt:") and "een-lang-wachtwoord" not in path.read_text()
    users = auth.UsersFile(path)
    assert users.authenticate("pia", "een-lang-wachtwoord") == auth.Viewer("pia", "proeftuin:zeeland")
    assert users.authenticate("pia", "een-ander-wachtwoord") is None

    assert _add_user(tmp_path, "pia", "stuurgroep", "nog-een-wachtwoord") == 0
    assert json.loads(path.read_text())["gebruikers"]["pia"]["rol"] == "stuurgroep"
    assert _add_user(tmp_path, "pia", "proeftuin:atlantis", "nog-een-wachtwoord") == 2
    assert _add_user(tmp_path, "pia", "beheerder", "nog-een-wachtwoord") == 2
    assert _add_user(tmp_path, "pia", "stuurgroep", "kort") == 2
    assert _add_user(tmp_path, "p:a", "stuurgroep", "nog-een-wachtwoord") == 2
    assert cli.main(["--data-dir", str(tmp_path), "gebruiker", "pia", "--verwijder"]) == 0
    assert "pia" not in auth.read_users(path)


def test_a_users_file_others_can_change_lets_nobody_in(tmp_path):
    path = tmp_path / auth.USERS_FILE_NAME
    auth.set_user(path, "pia", "stuurgroep", "een-lang-wachtwoord")
    path.chmod(0o666)
    assert auth.UsersFile(path).authenticate("pia", "een-lang-wachtwoord") is None
    path.chmod(0o600)
    assert auth.UsersFile(path).authenticate("pia", "een-lang-wachtwoord") is not None


# --- the data path: role scoping in figure_data ---------------------------------------------------------


def test_figure_data_scopes_by_viewer(store_dir):
    fleur = auth.viewer("fleur", "proeftuin:flevoland")
    sam = auth.viewer("sam", "stuurgroep")
    rows = figure_data(PER_PROEFTUIN, Filters(), store_dir, viewer=fleur).df
    assert set(rows["proeftuin"]) == {"flevoland"}
    with pytest.raises(security.Forbidden):
        figure_data(PER_PROEFTUIN, Filters(proeftuinen=("foodvalley",)), store_dir, viewer=fleur)
    with pytest.raises(security.Forbidden):
        figure_data(AGGREGATE, Filters(proeftuinen=("foodvalley", "flevoland")), store_dir, viewer=fleur)
    assert not figure_data(AGGREGATE, Filters(tranche=1), store_dir, viewer=fleur).df.empty
    log = figure_data(DELIVERY_LOG, Filters(), store_dir, viewer=fleur)
    assert set(log.df["proeftuin"]) == {"flevoland"} and log.filters.proeftuinen == ("flevoland",)
    with pytest.raises(security.Forbidden):
        figure_data(DELIVERY_LOG, Filters(), store_dir, viewer=sam)
    assert figure_data(PER_PROEFTUIN, Filters(), store_dir, viewer=sam).threshold > 0
    # Outside a request and without a viewer: the CLI, full access.
    assert set(figure_data(PER_PROEFTUIN, Filters(), store_dir).df["proeftuin"]) == {"flevoland", "foodvalley"}


def test_error_reports_follow_the_delivery_log_scope(basic_app, store_dir):
    from flask import g

    error_report = figuredata.error_report
    log = figure_data(DELIVERY_LOG, Filters(), store_dir).df
    rejected = int(log[(log["proeftuin"] == "foodvalley") & (log["status"] == "afgewezen")]["levering_id"].iloc[0])
    for name, allowed in (("anna", True), ("fleur", False), ("sam", False), ("fv", True)):
        role = ROLES.get(name, "proeftuin:foodvalley")
        with basic_app.server.test_request_context("/"):
            g.viewer = auth.viewer(name, role)
            if allowed:
                assert error_report(rejected, store_dir) is not None, name
            else:  # refused, or not found for this viewer
                try:
                    assert error_report(rejected, store_dir) is None, name
                except security.Forbidden:
                    pass


def test_a_delivery_figure_without_proeftuin_column_or_filter_is_refused_to_a_proeftuin():
    class Indicator:
        id = "leveringen-status"
        parameters = ("tranche",)

    import pandas as pd

    scope = security.data_scope(auth.viewer("fleur", "proeftuin:flevoland"), Indicator, Filters())
    with pytest.raises(security.Forbidden):
        scope.rows(pd.DataFrame({"kwartaal": ["2024-Q2"], "op_tijd": [3]}))


def test_inside_a_request_without_the_login_check_nothing_is_shown(basic_app, store_dir):
    with basic_app.server.test_request_context("/"):
        with pytest.raises(security.Forbidden):
            figure_data(PER_PROEFTUIN, Filters(), store_dir)


# --- injection ------------------------------------------------------------------------------------------

SQL = "1'; DROP TABLE casussen; --"


@pytest.fixture
def queries(monkeypatch):
    """Every parameter set that reaches a query."""
    seen = []
    real = registry.run
    figuredata.clear_cache()  # figure data cached by earlier tests would not reach a query

    def spy(con, indicator, values):
        seen.append(dict(values))
        return real(con, indicator, values)

    monkeypatch.setattr(registry, "run", spy)
    return seen


def _all_known(params: dict) -> bool:
    codes = figuredata.reference.proeftuin_codes()
    return (params.get("tranche") in (None, 1, 2) and all(p in codes for p in params.get("proeftuinen", []))
            and all(v is None or isinstance(v, dt.date) for v in (params.get("van"), params.get("tot"))))


def test_sql_in_filters_never_reaches_a_query(client, download, queries):
    headers = login("anna")
    search = f"?tranche={SQL}&proeftuinen={SQL}&van={SQL}&tot=2024-Q2' OR '1'='1"
    assert client.get("/" + search, headers=headers).status_code == 200
    r = client.post("/_dash-update-component", json=page_body("/", search), headers=headers)
    assert r.status_code in (200, 400)
    for filters in (f"tranche={SQL}", f"proeftuinen=flevoland,{SQL}", f"van={SQL}", "tot=2024-Q5"):
        r = download(client, headers, PER_PROEFTUIN, filters)
        assert r.status_code in (200, 400), filters
        assert b"Traceback" not in r.data
    assert queries and all(_all_known(p) for p in queries), queries


def test_filters_checked_rejects_values_that_are_not_codes(store_dir, queries):
    for bad in (Filters(proeftuinen=(SQL,)), Filters(tranche=True), Filters(tranche="1"), Filters(van=SQL),
                Filters(tot=20242), Filters(proeftuinen="flevoland"), Filters(proeftuinen=(["flevoland"],))):
        with pytest.raises(FilterError):
            figure_data(PER_PROEFTUIN, bad, store_dir)
    assert queries == []


# --- headers and errors --------------------------------------------------------------------------------


def test_security_headers_on_every_kind_of_response(client, basic_app, download):
    responses = {
        "page": client.get("/", headers=login("anna")),
        "asset": client.get("/assets/app.css", headers=login("anna")),
        "callback": download(client, login("anna"), PER_PROEFTUIN),
        "401": client.get("/"),
        "403": client.get("/", headers=login("vreemd")),
        "404": client.get("/_dash-component-suites/bestaat/niet.js", headers=login("anna")),
        "health": client.get("/healthz"),
    }
    hashes = basic_app.csp_hashes()
    for kind, r in responses.items():
        csp = r.headers.get("Content-Security-Policy", "")
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["default-src"] == "'self'", kind
        assert directives["script-src"].split() == ["'self'", *hashes], kind
        assert "unsafe-eval" not in csp and "unsafe-inline" not in directives["script-src"]
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
        assert directives["connect-src"] == "'self'" and directives["base-uri"] == "'self'"
        assert r.headers["X-Frame-Options"] == "DENY", kind
        assert r.headers["X-Content-Type-Options"] == "nosniff", kind
        assert r.headers["Referrer-Policy"] == "same-origin", kind
        assert "camera=()" in r.headers["Permissions-Policy"], kind
    assert responses["callback"].headers["Cache-Control"] == "no-store"
    assert responses["page"].headers["Cache-Control"] == "no-store"


def test_every_inline_script_of_the_page_is_allowed_by_the_csp(store_dir, users_file):
    """Also when the very first request of a fresh app is refused (Dash then sets itself up)."""
    import hashlib

    app = create_app_with(store_dir, {"MONITOR_AUTH": "basic", "MONITOR_SECRET_KEY": SECRET,
                                      "MONITOR_USERS_FILE": str(users_file)})
    client = app.server.test_client()
    assert client.get("/").status_code == 401
    r = client.get("/", headers=login("anna"))
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>",
                         re.sub(r"<!--.*?-->", "", r.get_data(as_text=True), flags=re.S), flags=re.S)
    assert scripts
    allowed = r.headers["Content-Security-Policy"].split("script-src ", 1)[1].split(";", 1)[0].split()
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, script[:80]


def test_session_secret_and_debug(basic_app, open_app):
    assert basic_app.server.secret_key == SECRET
    assert open_app.server.secret_key and open_app.server.secret_key != SECRET
    for app in (basic_app, open_app):
        assert app.server.debug is False
        assert app.server.config["PROPAGATE_EXCEPTIONS"] is False


def test_a_failing_callback_shows_a_dutch_page_without_stack_trace(client, download, monkeypatch):
    def broken(*_args):
        raise RuntimeError("geheime details uit de query")

    monkeypatch.setattr(registry, "run", broken)
    figuredata.clear_cache()
    pagecache.page_cache(client.application).clear()  # the page below was drawn by an earlier test
    r = download(client, login("anna"), PER_PROEFTUIN)
    assert r.status_code == 500
    text = r.get_data(as_text=True)
    assert "Er ging iets mis" in text
    for leak in ("Traceback", "RuntimeError", "geheime details", "File \"", ".py"):
        assert leak not in text
    r = client.post("/_dash-update-component", json=page_body("/"), headers=login("anna"))
    assert r.status_code == 500 and "Traceback" not in r.get_data(as_text=True)


def test_a_malformed_callback_request_gets_a_dutch_page(client):
    r = client.post("/_dash-update-component", data="geen json", headers=login("anna"),
                    content_type="application/json")
    assert r.status_code in (400, 500) and "Traceback" not in r.get_data(as_text=True)
    assert "<html lang=\"nl\">" in r.get_data(as_text=True)


def test_pages_reach_data_only_through_figure_data():
    """No page or shared component runs SQL itself, so no callback can skip Filters.checked."""
    sources = [*sorted((ROOT / "dashboard" / "pages").glob("*.py")), *sorted((ROOT / "dashboard" / "ui").glob("*.py")),
               *sorted((ROOT / "dashboard" / "figures").glob("*.py")), ROOT / "dashboard" / "app.py"]
    for path in (p for p in sources if p.exists()):
        text = path.read_text(encoding="utf-8")
        for forbidden in ("registry.run(", ".execute(", "connection(", "import duckdb"):
            assert forbidden not in text, f"{path.name} uses {forbidden}"


# --- in the browser -------------------------------------------------------------------------------------


@pytest.mark.browser
def test_a_page_with_a_graph_loads_with_login_and_csp(dash_duo, basic_app):
    """Logged in with Basic, the overview draws its graphs under the CSP with a clean console."""
    import requests

    dash_duo.start_server(basic_app, navigate=False)
    base = dash_duo.server.url.rstrip("/")
    # Credentials in the address once, so Chrome caches them; the app itself is opened without
    # (dash-renderer cannot fetch from a page whose address holds credentials).
    dash_duo.driver.get(base.replace("http://", f"http://anna:{PASSWORDS['anna']}@") + "/_dash-layout")
    dash_duo.driver.get(base + "/")
    dash_duo.wait_for_element(".js-plotly-plot .main-svg", timeout=20)
    dash_duo.wait_for_contains_text("#data-status", "ingelogd als anna (programmateam)")
    time.sleep(1)  # CSP violations are reported asynchronously
    assert dash_duo.get_logs() in ([], None)
    r = requests.get(base + "/", auth=("anna", PASSWORDS["anna"]), timeout=10)
    assert r.headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self' 'sha256-")


# --- the audit log ---------------------------------------------------------------------------------


def audit_events(store_dir: Path) -> list[dict]:
    path = store_dir / "audit" / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_downloads_and_logins_are_recorded_once(basic_app, store_dir, download):
    """A login is recorded once per user per half hour (not per request, across workers through
    the shared login state); every download with its figure and filters; failed logins too."""
    client = basic_app.server.test_client()
    before = len(audit_events(store_dir))
    for _ in range(5):
        assert client.get("/_dash-layout", headers=login("fleur")).status_code == 200
    assert csv_rows(download(client, login("fleur"), PER_PROEFTUIN, "tranche=2&van=2024-Q2"))
    assert client.get("/_dash-layout", headers=login("fleur", "verkeerd-wachtwoord")).status_code == 401
    new = audit_events(store_dir)[before:]
    logins = [e for e in new if e["gebeurtenis"] == "inloggen" and e["gebruiker"] == "fleur"]
    assert len(logins) <= 1 and all(e["rol"] == "proeftuin:flevoland" for e in logins)
    assert any(e["gebeurtenis"] == "inloggen" and e["gebruiker"] == "fleur" for e in audit_events(store_dir))
    downloads = [e for e in new if e["gebeurtenis"] == "download"]
    assert [(d["gebruiker"], d["figuur"], d["filters"], d["formaat"]) for d in downloads] == [
        ("fleur", PER_PROEFTUIN, "tranche=2&van=2024-Q2", "csv")]
    assert [e["gebruiker"] for e in new if e["gebeurtenis"] == "inloggen_mislukt"] == ["fleur"]


def test_a_download_that_cannot_be_recorded_is_refused(basic_app, store_dir, download):
    audit_file = store_dir / "audit" / "audit.jsonl"
    audit_file.parent.mkdir(exist_ok=True)
    kept = audit_file.with_suffix(".bewaard")
    if audit_file.exists():
        audit_file.rename(kept)
    audit_file.mkdir()  # an append now fails, as on a full or read-only disk
    try:
        r = download(basic_app.server.test_client(), login("anna"), PER_PROEFTUIN)
        assert r.status_code == 503 and "niet worden vastgelegd" in r.get_data(as_text=True)
        assert "content" not in r.get_data(as_text=True)
    finally:
        audit_file.rmdir()
        if kept.exists():
            kept.rename(audit_file)


def test_the_audit_log_is_never_served(basic_app, store_dir, download):
    client = basic_app.server.test_client()
    assert csv_rows(download(client, login("anna"), PER_PROEFTUIN))  # something is in the log
    secret = (store_dir / "audit" / "audit.jsonl").read_text()
    assert "download" in secret
    for path in ("/audit", "/audit/audit.jsonl", "/assets/../audit/audit.jsonl", "/assets/%2e%2e/audit/audit.jsonl",
                 "/assets/..%2faudit%2faudit.jsonl", "/_dash-component-suites/../../audit/audit.jsonl",
                 "/assets/../../audit/audit.jsonl", "/beveiliging/inloggen.sqlite", "/gebruikers.json"):
        r = client.get(path, headers=login("anna"))
        body = r.get_data(as_text=True)
        assert '"gebeurtenis"' not in body and "SQLite format" not in body and "wachtwoord" not in body, path
