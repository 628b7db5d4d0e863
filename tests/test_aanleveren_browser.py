"""/aanleveren in headless Chromium, logged in through the proxy headers (CDP sets them on every
request, Dash's callbacks and the upload included): the programme team and a proeftuin upload real
CSV, XLSX and Parquet files, a file with errors, a check-only file and another proeftuin's file;
the steering group has no page and gets 403."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import duckdb
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from dashboard.store import Store
from tests.browser import axe_violations, blocking, click, wait_for_file, wait_until
from tests.exportfiles import casus, write_csv, write_parquet, write_xlsx
from tests.test_security import SECRET, create_app_with
from tests.test_upload import _cases, _fingerprint, store_dir  # noqa: F401 - the store fixture

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


def _start(dash_duo, store_dir: Path, user: str, role: str):
    app = create_app_with(store_dir, {"MONITOR_AUTH": "header", "MONITOR_SECRET_KEY": SECRET,
                                      "MONITOR_TRUSTED_PROXIES": "127.0.0.1"})
    # Before the server starts: dash_duo opens the app at once and waits for it to draw.
    dash_duo.driver.execute_cdp_cmd("Network.enable", {})
    dash_duo.driver.execute_cdp_cmd("Network.setExtraHTTPHeaders",
                                    {"headers": {"X-Remote-User": user, "X-Remote-Role": role}})
    dash_duo.start_server(app)


def _open(dash_duo):
    dash_duo.driver.get(f"{dash_duo.server_url}/aanleveren")
    dash_duo.wait_for_element("#aanlever-bestand")


def _upload(dash_duo, path: Path, check_only: bool = False) -> str:
    """Choose the file, set 'Alleen controleren', press the button; the status region's text."""
    box = dash_duo.find_element("#aanlever-controleren")
    if box.is_selected() != check_only:
        click(dash_duo, By.CSS_SELECTOR, "#aanlever-controleren")
    dash_duo.driver.execute_script("document.getElementById('aanlever-resultaat').replaceChildren()")
    dash_duo.find_element("#aanlever-bestand").send_keys(str(path))
    click(dash_duo, By.CSS_SELECTOR, "#aanlever-knop")
    return wait_until(lambda: dash_duo.driver.execute_script(
        "const s = document.querySelector('#aanlever-resultaat strong');"
        "return s ? document.getElementById('aanlever-resultaat').innerText : null;"),
        timeout=60, message="no result under the upload")


def _current(store_dir: Path) -> list[tuple]:
    con = duckdb.connect(str(Store(store_dir).current_snapshot()), read_only=True)
    try:
        return con.execute("SELECT proeftuin, periode, levering_id FROM actuele_leveringen "
                           "WHERE soort = 'casussen' ORDER BY proeftuin").fetchall()
    finally:
        con.close()


def _status(dash_duo) -> str:
    return dash_duo.find_element("#data-status").text


@pytest.mark.parametrize("user, role", [("anna", "programmateam"), ("fleur", "proeftuin:flevoland")])
def test_delivering_through_the_page(dash_duo, store_dir, tmp_path, user, role):
    _start(dash_duo, store_dir, user, role)
    _open(dash_duo)
    assert dash_duo.find_element("#aanlever-resultaat").get_attribute("role") == "status"
    assert "Gegevens t/m 30-06-2024" in _status(dash_duo)
    assert blocking(axe_violations(dash_duo)) == []  # the page as it opens (WCAG 2.1 AA, issue 9)

    # Alleen controleren, for a file whose name says nothing (proeftuin, soort and period chosen on
    # the page): the verdict, and the store byte for byte as it was.
    before = _fingerprint(store_dir)
    choices = {"soort": "casussen", "periode": "2024-Q3"}
    if role == "programmateam":
        choices["proeftuin"] = "flevoland"
    for name, value in choices.items():
        Select(dash_duo.find_element(f"#aanlever-{name}")).select_by_value(value)
    text = _upload(dash_duo, write_csv(tmp_path / "export.csv", _cases("flevoland", 5, "FL")), check_only=True)
    assert text.startswith("geaccepteerd") and "5 rijen, periode 2024-Q3" in text and "niets opgeslagen" in text
    assert _fingerprint(store_dir) == before
    for name in choices:
        Select(dash_duo.find_element(f"#aanlever-{name}")).select_by_value("bestandsnaam")

    # Errors: rejected, the findings as a table (row as Excel shows it), the figures unchanged.
    current = _current(store_dir)
    bad = write_xlsx(tmp_path / "flevoland_casussen_2024-Q4.xlsx",
                     _cases("flevoland", 2, "FL") + [casus(casus_id="FL-X", werkwijze="telefoon")])
    text = _upload(dash_duo, bad)
    assert text.startswith("afgewezen") and "1 fout" in text
    cells = [c.text for c in dash_duo.find_elements("#aanlever-resultaat tbody td")]
    assert cells == ["4", "werkwijze", "onbekende code; toegestaan: duo, rvt, lokaal_team", "fout"]
    assert blocking(axe_violations(dash_duo)) == []  # and with a verdict and its findings table
    assert dash_duo.find_element("#aanlever-rapport").get_attribute("download") == f"{bad.name}.fouten.csv"
    click(dash_duo, By.CSS_SELECTOR, "#aanlever-rapport")
    report = wait_for_file(Path(dash_duo.download_path) / f"{bad.name}.fouten.csv").decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(report), delimiter=";")) == [
        ["bestand", "rij", "kolom", "waarde", "regel", "ernst"],
        [bad.name, "4", "werkwijze", "telefoon", "onbekende code; toegestaan: duo, rvt, lokaal_team", "fout"]]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    dash_duo.driver.save_screenshot(str(SCREENSHOTS / f"aanleveren-{role.replace(':', '-')}.png"))
    assert _current(store_dir) == current

    # Valid CSV, XLSX and Parquet: accepted, and each one moves the data on.
    for period, writer, ext, n in (("2024-Q3", write_csv, "csv", 7), ("2024-Q4", write_xlsx, "xlsx", 8),
                                   ("2025-Q1", write_parquet, "parquet", 9)):
        path = writer(tmp_path / f"flevoland_casussen_{period}.{ext}", _cases("flevoland", n, "FL"))
        text = _upload(dash_duo, path)
        assert text.startswith("geaccepteerd") and f"{n} rijen, periode {period}" in text, text
    _open(dash_duo)
    assert "Gegevens t/m 31-03-2025" in _status(dash_duo)
    stand = dash_duo.find_element("#leveringen-stand").text
    assert f"te laat, ontvangen {dt.date.today():%d-%m-%Y}" in stand  # 2025-Q1 was due 30-04-2025
    assert ("flevoland", "2025-Q1", 6) in _current(store_dir)

    # Another proeftuin's file: refused for a proeftuin, nothing stored; the programme team may.
    before = _fingerprint(store_dir)
    text = _upload(dash_duo, write_csv(tmp_path / "foodvalley_casussen_2024-Q3.csv", _cases("foodvalley", 3, "FV")))
    if role == "programmateam":
        assert text.startswith("geaccepteerd")
    else:
        assert text.startswith("geweigerd") and "u levert alleen aan voor proeftuin Flevoland" in text
        assert _fingerprint(store_dir) == before
    assert not dash_duo.get_logs()


def test_the_steering_group_has_no_page_and_gets_403(dash_duo, store_dir):
    _start(dash_duo, store_dir, "sam", "stuurgroep")
    dash_duo.driver.get(f"{dash_duo.server_url}/?presentatie=1")
    dash_duo.wait_for_element("#inhoud")
    links = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.pm-nav a')).map(a => a.getAttribute('href'));")
    assert links and not any("/aanleveren" in (href or "") for href in links), links
    before = _fingerprint(store_dir)
    statuses = dash_duo.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Promise.all([fetch('/_aanleveren/bestand?controleren=1', {method: 'POST', body: 'x',"
        "  headers: {'X-Bestandsnaam': 'flevoland_casussen_2024-Q3.csv'}}),"
        "  fetch('/_aanleveren/sjabloon/casussen.xlsx'),"
        "  fetch('/_dash-update-component', {method: 'POST', headers: {'Content-Type': 'application/json'},"
        "    body: JSON.stringify({output: '.._pages_content.children..._pages_store.data..',"
        "      outputs: [{id: '_pages_content', property: 'children'}, {id: '_pages_store', property: 'data'}],"
        "      inputs: [{id: '_pages_location', property: 'pathname', value: '/aanleveren'},"
        "               {id: '_pages_location', property: 'search', value: '?presentatie=1'}],"
        "      changedPropIds: ['_pages_location.pathname'], state: []})})"
        "]).then(rs => done(rs.map(r => r.status)));")
    assert statuses == [403, 403, 403]
    assert _fingerprint(store_dir) == before
