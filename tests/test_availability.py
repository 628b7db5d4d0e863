"""Availability and consistency against real gunicorn on loopback, started as `python app.py`
starts it (dashboard.serving.gunicorn_argv): slow and idle connections, a 200 MB body,
malformed callbacks, login throttling, one snapshot per response under load with an ingest,
and two app servers over one data folder.

The store: utrecht (tranche 1) delivered 2024-Q2 with 30 cases, all registered in 2024-Q2 and
still running. The changed delivery (a correction received later) has 40 cases, 5 of them
closed in 2024-Q2: 40 registered and 35 running. Small-number protection is off (threshold 0)
so that the numbers are exact.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dashboard import auth, device_cookie, reference, throttle
from dashboard.app import create_app
from tests.exportfiles import casus, write_csv
from tests.servers import ROOT, Server, basic, rss_kb

SECRET = "t" * 40
USERS = {"anna": ("programmateam", "anna-wachtwoord-1"), "fleur": ("proeftuin:flevoland", "fleur-wachtwoord-2"),
         "piet": ("programmateam", "piet-wachtwoord-3")}
PAGES_OUTPUT = ".._pages_content.children..._pages_store.data.."
OLD = (30, 30)  # (aangemeld, lopend) in the first snapshot
NEW = (40, 35)  # after the changed delivery


def utrecht(n: int, closed: int = 0) -> list[dict]:
    return [casus(casus_id=f"U-{i:03d}", proeftuin="utrecht", werkgebied="", datum_start_hulp=None,
                  datum_aanmelding=dt.date(2024, 4, 1 + i % 28),
                  datum_afsluiting=dt.date(2024, 6, 20) if i < closed else None,
                  uitkomst="veiligheid_hersteld" if i < closed else None) for i in range(n)]


def ingest(data_dir: Path, path: Path, ontvangen: str) -> subprocess.CompletedProcess:
    """`python -m dashboard ingest`, as an operator runs it."""
    return subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(data_dir), "ingest", str(path),
                           "--ontvangen", ontvangen], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def store(tmp_path) -> Path:
    data_dir = tmp_path / "store"
    first = tmp_path / "eerste" / "utrecht_casussen_2024-Q2.csv"
    first.parent.mkdir()
    write_csv(first, utrecht(30))
    assert ingest(data_dir, first, "2024-07-05").returncode == 0
    return data_dir


@pytest.fixture
def changed(tmp_path) -> Path:
    path = tmp_path / "correctie" / "utrecht_casussen_2024-Q2.csv"
    path.parent.mkdir()
    return write_csv(path, utrecht(40, closed=5))


OPEN = {"MONITOR_SMALL_CELL_THRESHOLD": "0"}


@pytest.fixture
def server(store, tmp_path):
    srv = Server(store, tmp_path / "gunicorn.log", env=OPEN)
    srv.wait_ready()
    yield srv
    srv.stop()


@pytest.fixture
def login_server(store, tmp_path):
    users = store / auth.USERS_FILE_NAME
    for name, (role, password) in USERS.items():
        auth.set_user(users, name, role, password)
    srv = Server(store, tmp_path / "gunicorn.log",
                 env={**OPEN, "MONITOR_AUTH": "basic", "MONITOR_SECRET_KEY": SECRET})
    srv.wait_ready()
    yield srv
    srv.stop()


def page_callback(path: str = "/", search: str = "") -> bytes:
    return json.dumps({
        "output": PAGES_OUTPUT,
        "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
        "inputs": [{"id": "_pages_location", "property": "pathname", "value": path},
                   {"id": "_pages_location", "property": "search", "value": search}],
        "changedPropIds": ["_pages_location.pathname"], "state": [],
    }).encode()


def overview_numbers(body: bytes) -> tuple[int, int]:
    """(aangemeld, lopend) as the overview states them under its two tranche figures."""
    text = body.decode("utf-8")
    aangemeld = re.search(r"Gebaseerd op ([\d.]+) aangemelde casussen", text)
    lopend = re.search(r"Gebaseerd op ([\d.]+) casussen die eind", text)
    assert aangemeld and lopend, text[:2000]
    return int(aangemeld.group(1).replace(".", "")), int(lopend.group(1).replace(".", ""))


def healthz_time(srv: Server) -> float:
    start = time.monotonic()
    assert srv.get("/healthz", timeout=1)[0] == 200
    return time.monotonic() - start


def slow_socket(srv: Server) -> socket.socket:
    """A request line and one header, then nothing: the two-socket attack."""
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: proeftuinmonitor\r\n")
    return s


# --- slow and idle clients -------------------------------------------------------------------------


def test_slow_and_idle_connections_do_not_block_the_app(server):
    """With gunicorn's sync workers, two slow sockets held both workers and /healthz timed out."""
    held = [slow_socket(server) for _ in range(2)]
    time.sleep(0.5)
    assert max(healthz_time(server) for _ in range(5)) < 1
    held += [socket.create_connection(("127.0.0.1", server.port)) for _ in range(50)]
    time.sleep(0.5)
    assert max(healthz_time(server) for _ in range(5)) < 1
    # A page still draws while they wait.
    status, _, body = server.request("POST", "/_dash-update-component", page_callback(),
                                     {"Content-Type": "application/json"}, timeout=10)
    assert status == 200 and overview_numbers(body) == OLD
    for s in held:
        s.close()


# --- request bodies --------------------------------------------------------------------------------


def _send_body(srv: Server, head: bytes, chunks, read_after: int) -> bytes:
    """Send `head`, then chunks until the server answers or closes; returns what it answered."""
    s = socket.create_connection(("127.0.0.1", srv.port), timeout=10)
    s.sendall(head)
    sent = 0
    try:
        for chunk in chunks:
            s.sendall(chunk)
            sent += len(chunk)
            if sent >= read_after:
                break
        answer = s.recv(65536)
    except (BrokenPipeError, ConnectionResetError):
        answer = b""
    s.close()
    return answer


def test_a_200_mb_body_gets_413_without_being_read(login_server):
    headers = basic("anna", USERS["anna"][1])
    # Logged in once, so the worker's memory is measured after its normal start.
    assert login_server.get("/_dash-layout", headers=headers)[0] == 200
    before = {pid: rss_kb(pid) for pid in login_server.worker_pids()}
    auth_line = f"Authorization: {headers['Authorization']}\r\n".encode()
    mb = b"x" * (1024 * 1024)
    head = (b"POST /_dash-update-component HTTP/1.1\r\nHost: p\r\nContent-Type: application/json\r\n" + auth_line
            + f"Content-Length: {200 * 1024 * 1024}\r\n\r\n".encode())
    answer = _send_body(login_server, head, (mb for _ in range(200)), read_after=2 * len(mb))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    # Chunked, so without a length up front: stopped at the limit while reading.
    head = (b"POST /_dash-update-component HTTP/1.1\r\nHost: p\r\nContent-Type: application/json\r\n" + auth_line
            + b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"%x\r\n%s\r\n" % (len(mb), mb)
    answer = _send_body(login_server, head, (chunk for _ in range(200)), read_after=3 * len(chunk))
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    after = {pid: rss_kb(pid) for pid in login_server.worker_pids()}
    assert all(after[pid] - before[pid] < 50 * 1024 for pid in before if pid in after), (before, after)
    assert login_server.get("/healthz")[0] == 200


def test_malformed_callbacks_get_400_and_no_traceback_in_the_log(login_server):
    headers = {**basic("anna", USERS["anna"][1]), "Content-Type": "application/json"}
    good = json.loads(page_callback())
    bad = [
        b"{geen json",
        b"[1, 2]",
        json.dumps({**good, "output": "bestaat.niet"}).encode(),
        json.dumps({**good, "inputs": good["inputs"][:1]}).encode(),
        json.dumps({**good, "inputs": [{**good["inputs"][0], "value": {"pad": 1}}, good["inputs"][1]]}).encode(),
        json.dumps({**good, "outputs": {"id": "_pages_content", "property": "children"}}).encode(),
        json.dumps({"output": "url.search", "outputs": {"id": "url", "property": "search"},
                    "inputs": [[{"id": {"type": "pm-param", "name": "tranche"}, "property": "value",
                                 "value": {"x": 1}}]], "state": [], "changedPropIds": []}).encode(),
    ]
    for body in bad:
        status, _, answer = login_server.request("POST", "/_dash-update-component", body, headers)
        assert status == 400, (body[:80], status)
        assert b"Ongeldig verzoek" in answer
    assert login_server.request("POST", "/_dash-update-component", page_callback(), headers)[0] == 200
    log = login_server.log.read_text(errors="replace")
    assert "Traceback" not in log and "ongeldig callbackverzoek" in log


# --- login throttling ------------------------------------------------------------------------------


def test_failed_logins_are_throttled_across_workers(login_server, store):
    """10 wrong passwords for one user name within 5 minutes: 429 with Retry-After, also for the
    right password, whichever worker answers (each request is a new connection, so both do).
    Another user from the same address still logs in: the address limit is 30."""
    wrong = basic("anna", "niet-het-wachtwoord")
    for _ in range(throttle.LIMITS["gebruiker"]):
        assert login_server.get("/_dash-layout", headers=wrong)[0] == 401
    status, headers, _ = login_server.request("GET", "/_dash-layout", headers=wrong)
    assert status == 429 and 0 < int(headers["Retry-After"]) <= throttle.LOCK_SECONDS
    assert login_server.get("/_dash-layout", headers=basic("anna", USERS["anna"][1]))[0] == 429
    assert login_server.get("/_dash-layout", headers=basic("fleur", USERS["fleur"][1]))[0] == 200
    # The address: 30 failures in all (10 above, 20 more under other names), then new logins wait.
    for i in range(throttle.LIMITS["adres"] - throttle.LIMITS["gebruiker"]):
        assert login_server.get("/_dash-layout", headers=basic(f"gok{i}", "x" * 12))[0] == 401
    assert login_server.get("/_dash-layout", headers=basic("piet", USERS["piet"][1]))[0] == 429
    log = login_server.log.read_text(errors="replace")
    assert "inloggen geblokkeerd" in log and "inloggen mislukt" in log
    events = [json.loads(line)["gebeurtenis"] for line in (store / "audit" / "audit.jsonl").read_text().splitlines()]
    # 10 for anna and 20 guesses failed; anna twice and piet once refused; fleur logged in.
    assert events.count("inloggen_mislukt") == throttle.LIMITS["adres"]
    assert events.count("inloggen_geblokkeerd") == 3 and events.count("inloggen") == 1


def _device_cookie(headers: dict) -> str:
    """name=value of the device cookie a response sets, after checking its attributes."""
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(device_cookie.COOKIE + "=")
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "secure", "samesite", "max-age", "path"} <= attributes and "SameSite=Strict" in cookie
    return cookie.split(";")[0]


def test_a_browser_that_logged_in_gets_past_a_locked_address(store, tmp_path):
    """An office shares one address with whoever guesses there: 30 failures lock it for new logins.
    A browser that logged in correctly before carries a signed device cookie and still gets in, on
    any worker (no worker of the second server has seen the password); the cookie helps only its
    own user name with its own current password, and the lock on the user name still holds."""
    users = store / auth.USERS_FILE_NAME
    for name, (role, password) in USERS.items():
        auth.set_user(users, name, role, password)
    env = {**OPEN, "MONITOR_AUTH": "basic", "MONITOR_SECRET_KEY": SECRET}
    anna = basic("anna", USERS["anna"][1])
    first = Server(store, tmp_path / "eerste.log", env=env, workers=1)
    try:
        first.wait_ready()
        status, headers, _ = first.request("GET", "/_dash-layout", headers=anna)
        assert status == 200
        cookie = _device_cookie(headers)
        for i in range(throttle.LIMITS["adres"]):
            assert first.get("/_dash-layout", headers=basic(f"gok{i}", "x" * 12))[0] == 401
    finally:
        first.stop()
    # A new server over the same folder: the lock is in the shared state, no worker remembers anna.
    srv = Server(store, tmp_path / "tweede.log", env=env)
    try:
        srv.wait_ready()
        assert srv.get("/_dash-layout", headers=anna)[0] == 429
        assert srv.get("/_dash-layout", headers=basic("piet", USERS["piet"][1]))[0] == 429
        assert srv.get("/_dash-layout", headers={**basic("piet", USERS["piet"][1]), "Cookie": cookie})[0] == 429
        forged = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")
        assert srv.get("/_dash-layout", headers={**anna, "Cookie": forged})[0] == 429
        # Each request a new connection, so both workers answer some of them.
        assert {srv.get("/_dash-layout", headers={**anna, "Cookie": cookie})[0] for _ in range(12)} == {200}
        # Guessing anna's password with her cookie: her user name is locked after 10 failures.
        wrong = {**basic("anna", "niet-het-wachtwoord"), "Cookie": cookie}
        assert [srv.get("/_dash-layout", headers=wrong)[0] for _ in range(throttle.LIMITS["gebruiker"] + 1)] == \
            [401] * throttle.LIMITS["gebruiker"] + [429]
    finally:
        srv.stop()
    # A changed password voids the cookie: fleur's is refused once her password has changed.
    throttle.state_path(store).unlink()  # no locks left (no server runs now)
    third = Server(store, tmp_path / "derde.log", env=env, workers=1)
    try:
        third.wait_ready()
        fleur = basic("fleur", USERS["fleur"][1])
        status, headers, _ = third.request("GET", "/_dash-layout", headers=fleur)
        fleur_cookie = _device_cookie(headers)
        auth.set_user(users, "fleur", USERS["fleur"][0], "een-nieuw-wachtwoord-9")
        for i in range(throttle.LIMITS["adres"]):
            third.get("/_dash-layout", headers=basic(f"raad{i}", "x" * 12))
        new = {**basic("fleur", "een-nieuw-wachtwoord-9"), "Cookie": fleur_cookie}
        assert third.get("/_dash-layout", headers=new)[0] == 429
    finally:
        third.stop()


def test_guessing_clients_do_not_slow_a_logged_in_user(login_server):
    """8 clients guessing passwords (scrypt each until throttled) next to a logged-in user."""
    anna = basic("anna", USERS["anna"][1])
    # Both workers must have checked anna's password once (a worker remembers it): requests one
    # after the other may all land on one worker, so send them at the same time, more than once.
    warm = [threading.Thread(target=lambda: [login_server.get("/_dash-layout", headers=anna) for _ in range(3)])
            for _ in range(8)]
    for t in warm:
        t.start()
    for t in warm:
        t.join()
    assert login_server.get("/_dash-layout", headers=anna)[0] == 200
    stop = time.monotonic() + 6

    def guess(n: int):
        i = 0
        while time.monotonic() < stop:
            login_server.get("/_dash-dependencies", headers=basic(f"raad{n}-{i % 50}", f"gok-{i}-xxxxxxxx"))
            i += 1

    guessers = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for t in guessers:
        t.start()
    times = []
    while time.monotonic() < stop:
        start = time.monotonic()
        assert login_server.get("/_dash-dependencies", headers=anna)[0] == 200
        times.append(time.monotonic() - start)
    for t in guessers:
        t.join()
    times.sort()
    median = times[len(times) // 2]
    print(f"aanvragen van anna naast 8 raders: {len(times)}, mediaan {median * 1000:.0f} ms")
    assert median < 0.15, times


# --- one snapshot per response, under load ---------------------------------------------------------


def _load(srv: Server, stop: threading.Event, seen: list, errors: list) -> None:
    while not stop.is_set():
        try:
            status, _, body = srv.request("POST", "/_dash-update-component", page_callback(),
                                          {"Content-Type": "application/json"}, timeout=30)
            if status != 200:
                errors.append(status)
            else:
                seen.append((time.monotonic(), overview_numbers(body)))
        except Exception as e:  # noqa: BLE001 - every failure counts as an error
            errors.append(repr(e))


def test_no_response_mixes_two_snapshots_under_load_with_an_ingest(server, store, changed):
    """10 clients draw the overview; after 5 s the changed delivery is ingested; they go on until
    the new snapshot has been served for 3 s (at least 20 s in all, at most a minute). Every
    response states (aangemeld, lopend) of one snapshot: (30, 30) or (40, 35), never a mix."""
    seen, errors, stop = [], [], threading.Event()
    start = time.monotonic()
    clients = [threading.Thread(target=_load, args=(server, stop, seen, errors)) for _ in range(10)]
    for t in clients:
        t.start()
    time.sleep(5)
    result = ingest(store, changed, "2024-07-20")
    ingested = time.monotonic()
    while time.monotonic() - ingested < 60:
        first_new = [t for t, n in list(seen) if n == NEW]
        if first_new and time.monotonic() - min(first_new) > 3 and time.monotonic() - start > 20:
            break
        time.sleep(0.2)
    stop.set()
    for t in clients:
        t.join()
    assert result.returncode == 0, result.stdout + result.stderr
    assert errors == []
    numbers = [n for _, n in seen]
    assert set(numbers) <= {OLD, NEW}, sorted(set(numbers))
    assert OLD in numbers and NEW in numbers, (len(seen), set(numbers))
    print(f"{len(seen)} antwoorden in {time.monotonic() - start:.0f} s, de eerste nieuwe "
          f"{min(t for t, n in seen if n == NEW) - ingested:.1f} s na het inlezen")


# --- more than one machine -------------------------------------------------------------------------


def test_two_app_servers_over_one_data_folder_serve_the_new_data(store, changed, tmp_path):
    """Two gunicorn servers (two ports) over one data folder, clients on both, an ingest: zero
    errors, each serves the new data on its next request (the warm-up of dashboard/warm.py runs
    beside the requests, not before them), failed logins count on both."""
    users = store / auth.USERS_FILE_NAME
    for name, (role, password) in USERS.items():
        auth.set_user(users, name, role, password)
    env = {**OPEN, "MONITOR_AUTH": "basic", "MONITOR_SECRET_KEY": SECRET}
    servers = [Server(store, tmp_path / f"gunicorn-{i}.log", env=env) for i in range(2)]
    try:
        for srv in servers:
            srv.wait_ready()
        anna = {**basic("anna", USERS["anna"][1]), "Content-Type": "application/json"}
        errors = []

        def draw(srv: Server) -> tuple[int, int]:
            status, _, body = srv.request("POST", "/_dash-update-component", page_callback(), anna)
            if status != 200:
                errors.append(status)
                return (0, 0)
            return overview_numbers(body)

        assert [draw(srv) for srv in servers] == [OLD, OLD]
        result = ingest(store, changed, "2024-07-20")
        assert result.returncode == 0, result.stdout + result.stderr
        # The next request on each server, whichever worker takes it, gives the new numbers, and
        # so do the ones after it: an accepted delivery shows at once everywhere.
        assert [draw(srv) for srv in servers for _ in range(4)] == [NEW] * 8
        assert errors == []
        # Throttling is shared: 10 failures on server 1 refuse the user name on server 2.
        wrong = basic("piet", "niet-het-wachtwoord")
        for _ in range(throttle.LIMITS["gebruiker"]):
            assert servers[0].get("/_dash-layout", headers=wrong)[0] == 401
        assert servers[1].get("/_dash-layout", headers=basic("piet", USERS["piet"][1]))[0] == 429
    finally:
        for srv in servers:
            srv.stop()


# --- the body limit against what the pages really send ----------------------------------------------

RECORD_BODIES = """
window.pmSizes = [];
const send = window.fetch;
window.fetch = function (url, options) {
    if (options && typeof options.body === 'string') {
        window.pmSizes.push([String(url), new Blob([options.body]).size]);
    }
    return send.apply(this, arguments);
};
"""


def test_the_largest_callback_the_pages_send_is_far_under_the_limit(dash_duo, demo_store):
    """In Chromium, with every filter set: every page through the navigation, a download, a
    delivery chosen in the delivery log. The largest callback body must be under 1/50 of the
    limit (dashboard.security.MAX_BODY_BYTES)."""
    from selenium.webdriver.common.by import By

    from dashboard.security import MAX_BODY_BYTES
    from tests.browser import click, wait_until

    app = create_app(demo_store)
    dash_duo.start_server(app, navigate=False)
    codes = ",".join(p.code for p in reference.proeftuinen() if p.tranche == 2)
    dash_duo.driver.get(f"{dash_duo.server.url.rstrip('/')}/?tranche=2&proeftuinen={codes}&van=2021-Q4&tot=2026-Q3")
    dash_duo.wait_for_element(".js-plotly-plot .main-svg", timeout=30)
    dash_duo.driver.execute_script(RECORD_BODIES)
    count = len(dash_duo.find_elements(".pm-nav a"))
    assert count >= 5
    for i in range(count):
        link = dash_duo.find_elements(".pm-nav a")[i]
        dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", link)
        wait_until(lambda: not dash_duo.find_elements("._dash-loading"), timeout=30)
    sizes = dash_duo.driver.execute_script("return window.pmSizes")  # a new page starts a new list
    dash_duo.driver.get(f"{dash_duo.server.url.rstrip('/')}/aanleveringen")
    dash_duo.wait_for_element(".ag-row", timeout=30)
    dash_duo.driver.execute_script(RECORD_BODIES)
    click(dash_duo, By.CSS_SELECTOR, ".ag-center-cols-container .ag-row")
    click(dash_duo, By.CSS_SELECTOR, ".pm-download")
    time.sleep(2)
    sizes += dash_duo.driver.execute_script("return window.pmSizes")
    callbacks = [size for url, size in sizes if "_dash-update-component" in url]
    assert len(callbacks) >= 5, sizes
    print(f"{len(callbacks)} callbacks, de grootste {max(callbacks)} bytes")
    assert max(callbacks) < MAX_BODY_BYTES / 50
