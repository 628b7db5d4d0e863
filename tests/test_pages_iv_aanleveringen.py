"""The IV-strategie and Aanleveringen pages in headless Chromium, on the demo store; and the role
scoping of the error-report download below the browser.

Covers: a clean console and only local requests (the app's strict CSP, AG Grid served by the
app), the delivery matrix showing the demo's late, missing and rejected deliveries, the
netwerkdossier toggle in the URL, the grid sorting and filtering, the error report of the
rejected Zeeland 2024-Q2 delivery byte for byte, and one CSV download per page against the
export CLI. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pytest
from dash._utils import to_json
from flask import g
from selenium.webdriver.common.by import By

from dashboard import auth, reference
from dashboard.app import create_app
from dashboard.csvout import download_filename
from dashboard.figuredata import Filters, error_report, figure_data
from dashboard.security import Forbidden
from dashboard.store import Store
from tests.browser import cli_export as _cli_export
from tests.browser import click as _click
from tests.browser import search as _search
from tests.browser import wait_for_file as _wait_for_file
from tests.browser import wait_until as _wait_until

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
MATRIX = "leveringen-status"
LOG = "leveringslog"
GRID = "leveringslog-grid"


# --- helpers (as in test_shell_browser.py) ------------------------------------------------------

def _set_viewport(dash_duo, width: int, height: int):
    driver = dash_duo.driver
    driver.set_window_size(width, height)
    extra = driver.execute_script("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];")
    driver.set_window_size(width + extra[0], height + extra[1])


def _full_page_screenshot(dash_duo, name: str, width: int = 1280):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    dash_duo.driver.execute_script("window.scrollTo(0, 0);")
    height = dash_duo.driver.execute_script("return document.documentElement.scrollHeight")
    _set_viewport(dash_duo, width, height)
    time.sleep(0.4)
    dash_duo.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    _set_viewport(dash_duo, width, 1024)


def _clean_and_local(dash_duo):
    """No console errors (a CSP violation or eval error would be one), and every resource the page
    loaded came from the app itself: no CDN for AG Grid, fonts or styles."""
    logs = dash_duo.get_logs()
    assert not logs, logs
    origin = urlparse(dash_duo.server_url).netloc
    urls = dash_duo.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name);")
    foreign = [u for u in urls if not u.startswith("data:") and urlparse(u).netloc != origin]
    assert not foreign, foreign


def _demo_delivery(data_dir: Path, proeftuin: str, periode: str, status: str) -> dict:
    log = figure_data(LOG, Filters(), data_dir=data_dir).df
    rows = log[(log["proeftuin"] == proeftuin) & (log["periode"] == periode) & (log["status"] == status)
               & (log["soort"] == "casussen")]
    assert len(rows) == 1, rows
    return rows.to_dict("records")[0]


# --- IV-strategie ------------------------------------------------------------------------------

def _matrix_cells(dash_duo) -> dict | None:
    """{(proeftuin name, quarter): (status trace, mark)} as drawn, or None while not drawn."""
    return dash_duo.driver.execute_script(
        "const g = document.querySelector('#kaart-leveringen-status-grafiek .js-plotly-plot');"
        "if (!g || !g._fullData) return null;"
        "const out = {};"
        "for (const t of g._fullData) {"
        "  if (t.type !== 'heatmap') continue;"
        "  t.z.forEach((row, i) => row.forEach((v, j) => {"
        "    if (v !== null && v !== undefined && !Number.isNaN(v))"
        "      out[t.y[i] + '|' + t.x[j]] = [t.name, t.text[i][j]];"
        "  }));"
        "}"
        "return out;"
    )


def test_iv_page(dash_duo, demo_store, tmp_path):
    dash_duo.start_server(create_app(demo_store))
    dash_duo.driver.get(f"{dash_duo.server_url}/iv")
    _wait_until(lambda: dash_duo.driver.title == "IV-strategie · Proeftuinmonitor",
                message=f"title is {dash_duo.driver.title!r}")
    cells = _wait_until(lambda: _matrix_cells(dash_duo), message="delivery matrix not drawn")

    # The matrix shows exactly the statuses of the figure data, with the demo's exceptions.
    names = {p.code: p.naam for p in reference.proeftuinen()}
    status = figure_data(MATRIX, Filters(), data_dir=demo_store).df
    assert len(cells) == len(status)
    labels = {"op_tijd": "op tijd", "te_laat": "te laat", "afgewezen": "afgewezen", "ontbreekt": "ontbreekt"}
    for row in status.to_dict("records"):
        assert cells[f"{names[row['proeftuin']]}|{row['kwartaal']}"][0] == labels[row["status"]], row
    assert cells["Utrecht|2024-Q1"] == ["ontbreekt", "–"]
    assert cells["Gelderland-Zuid|2024-Q1"] == ["ontbreekt", "–"]
    # Rejected first, then accepted (on time): the rejection's mark before the check mark.
    assert cells["Zeeland|2024-Q2"] == ["op tijd", "✗✓"]
    assert cells["Friesland|2026-Q1"] == ["op tijd", "✗✓"]
    late = {(r["proeftuin"], r["kwartaal"]) for r in status.to_dict("records") if r["status"] == "te_laat"}
    assert len(late) >= 3
    drawn_late = {key for key, (name, mark) in cells.items() if name == "te laat" and mark == "!"}
    assert drawn_late == {f"{names[p]}|{k}" for p, k in late}

    # The other figures are drawn; the screenshot for people to look at.
    for card in ("eerste-keer-geaccepteerd", "volledigheid-velden", "netwerkdossier-per-tranche"):
        dash_duo.wait_for_element(f"#kaart-{card}-grafiek .main-svg")
    _full_page_screenshot(dash_duo, "iv")
    _clean_and_local(dash_duo)

    # The netwerkdossier toggle lives in the URL and switches to one panel per proeftuin.
    _click(dash_duo, By.XPATH, "//label[normalize-space()='Per proeftuin']")
    _wait_until(lambda: _search(dash_duo) == "niveau=proeftuin", message=dash_duo.driver.current_url)
    dash_duo.wait_for_element("#kaart-netwerkdossier-per-kwartaal-grafiek .main-svg")

    # The download of a filtered view equals the export CLI byte for byte.
    dash_duo.driver.get(f"{dash_duo.server_url}/iv?tranche=2&van=2024-Q1&tot=2025-Q4")
    dash_duo.wait_for_element(f"#kaart-{MATRIX}-grafiek .main-svg")
    _click(dash_duo, By.CSS_SELECTOR, f"#kaart-{MATRIX} button.pm-download")
    filters = Filters(tranche=2, van="2024-Q1", tot="2025-Q4")
    downloaded = _wait_for_file(Path(dash_duo.download_path) / download_filename(MATRIX, filters, dt.date.today()))
    assert downloaded == _cli_export(demo_store, tmp_path / "matrix.csv", MATRIX,
                                     "--tranche", "2", "--van", "2024-Q1", "--tot", "2025-Q4")
    _clean_and_local(dash_duo)


# --- Aanleveringen -----------------------------------------------------------------------------

def _grid_rows(dash_duo) -> list[list[str]]:
    """The rendered rows of the grid in display order, each as its cell texts."""
    return dash_duo.driver.execute_script(
        "return [...document.querySelectorAll('#leveringslog-grid .ag-center-cols-container .ag-row')]"
        ".sort((a, b) => a.getAttribute('row-index') - b.getAttribute('row-index'))"
        ".map(r => [...r.querySelectorAll('.ag-cell')].map(c => c.innerText.trim()));"
    )


def _displayed_count(dash_duo) -> int | None:
    return dash_duo.driver.execute_script(
        "try { return dash_ag_grid.getApi(arguments[0]).getDisplayedRowCount(); }"
        "catch (e) { return null; }", GRID)  # null while the grid is not there yet


def _type_filter(dash_duo, header: str, text: str):
    """Type into the floating filter under the column with this header."""
    index = dash_duo.driver.execute_script(
        "const h = [...document.querySelectorAll('#leveringslog-grid .ag-header-cell')]"
        "  .find(e => e.innerText.trim() === arguments[0]);"
        "return h.getAttribute('aria-colindex');", header)
    field = dash_duo.driver.find_element(
        By.CSS_SELECTOR, f"#leveringslog-grid .ag-floating-filter[aria-colindex='{index}'] input")
    field.send_keys(text)


def test_aanleveringen_page(dash_duo, demo_store, tmp_path):
    dash_duo.start_server(create_app(demo_store))
    dash_duo.driver.get(f"{dash_duo.server_url}/aanleveringen")
    _wait_until(lambda: dash_duo.driver.title == "Aanleveringen · Proeftuinmonitor",
                message=f"title is {dash_duo.driver.title!r}")
    log = figure_data(LOG, Filters(), data_dir=demo_store).df
    _wait_until(lambda: _displayed_count(dash_duo) == len(log), message="grid does not hold the whole log")
    headers = [e.text for e in dash_duo.find_elements("#leveringslog-grid .ag-header-cell-text")]
    assert headers[:6] == ["Nr.", "Proeftuin", "Soort", "Periode", "Bestand", "Ontvangen"]
    assert "Status" in headers
    # Newest first, dates shown as dd-mm-jjjj, the status in Dutch as a badge.
    first = _grid_rows(dash_duo)[0]
    newest = log.iloc[0]
    assert first[0] == str(newest["levering_id"])
    assert first[5] == newest["ontvangen"].strftime("%d-%m-%Y")
    assert dash_duo.find_elements("#leveringslog-grid .pm-badge-geaccepteerd")
    _full_page_screenshot(dash_duo, "aanleveringen")

    # A click on the date header sorts by date (not by the text dd-mm-jjjj), a second the other way.
    _click(dash_duo, By.CSS_SELECTOR, "#leveringslog-grid .ag-header-cell[col-id='ontvangen'] .ag-header-cell-label")
    earliest = log["ontvangen"].min().strftime("%d-%m-%Y")
    _wait_until(lambda: _grid_rows(dash_duo)[0][5] == earliest, message=f"first row is not {earliest}")
    _click(dash_duo, By.CSS_SELECTOR, "#leveringslog-grid .ag-header-cell[col-id='ontvangen'] .ag-header-cell-label")
    latest = log["ontvangen"].max().strftime("%d-%m-%Y")
    _wait_until(lambda: _grid_rows(dash_duo)[0][5] == latest, message=f"first row is not {latest}")
    assert sorted(log["ontvangen"].dt.strftime("%d-%m-%Y"))[0] != earliest  # text order would differ

    # Filters: a date in the form on screen, then Zeeland's deliveries, then the rejected one.
    rejected = _demo_delivery(demo_store, "zeeland", "2024-Q2", "afgewezen")
    day = rejected["ontvangen"]
    _type_filter(dash_duo, "Ontvangen", day.strftime("%d-%m-%Y"))
    same_day = int((log["ontvangen"] == day).sum())
    _wait_until(lambda: _displayed_count(dash_duo) == same_day, message="date filter not applied")
    _type_filter(dash_duo, "Proeftuin", "zeeland")
    zeeland = int(((log["proeftuin"] == "zeeland") & (log["ontvangen"] == day)).sum())
    _wait_until(lambda: _displayed_count(dash_duo) == zeeland, message="proeftuin filter not applied")
    assert {row[1] for row in _grid_rows(dash_duo)} == {"Zeeland"}
    _type_filter(dash_duo, "Status", "afgewezen")
    _wait_until(lambda: _displayed_count(dash_duo) == 1, message="status filter not applied")
    row = _grid_rows(dash_duo)[0]
    assert row[0] == str(rejected["levering_id"]) and row[3] == "2024-Q2" and "Afgewezen" in row[7]

    # Choose it, download its error report: the stored file, unchanged.
    assert dash_duo.find_element("#foutrapport-knop").get_attribute("disabled") is not None
    _click(dash_duo, By.CSS_SELECTOR, "#leveringslog-grid .ag-center-cols-container .ag-row[row-index='0'] "
                                      ".ag-cell[col-id='bestandsnaam']")
    dash_duo.wait_for_contains_text("#foutrapport-keuze", f"Levering {rejected['levering_id']}")
    _wait_until(lambda: dash_duo.find_element("#foutrapport-knop").get_attribute("disabled") is None,
                message="download button stays disabled")
    _click(dash_duo, By.ID, "foutrapport-knop")
    name = f"foutrapport_{rejected['levering_id']}_zeeland_casussen_2024-Q2.csv"
    report = _wait_for_file(Path(dash_duo.download_path) / name)
    assert report == _stored_report(demo_store, rejected["levering_id"])
    _clean_and_local(dash_duo)

    # The log's CSV download for a filtered view equals the export CLI byte for byte.
    dash_duo.driver.get(f"{dash_duo.server_url}/aanleveringen?proeftuinen=zeeland&van=2024-Q1&tot=2024-Q4")
    filters = Filters(proeftuinen=("zeeland",), van="2024-Q1", tot="2024-Q4")
    expected_rows = len(figure_data(LOG, filters, data_dir=demo_store).df)
    _wait_until(lambda: _displayed_count(dash_duo) == expected_rows, message="filtered log not shown")
    _click(dash_duo, By.CSS_SELECTOR, f"#kaart-{LOG} .pm-card-foot button.pm-download")
    downloaded = _wait_for_file(Path(dash_duo.download_path) / download_filename(LOG, filters, dt.date.today()))
    assert downloaded == _cli_export(demo_store, tmp_path / "log.csv", LOG, "--proeftuin", "zeeland",
                                     "--van", "2024-Q1", "--tot", "2024-Q4")
    _clean_and_local(dash_duo)


# --- the error report's role scoping (no browser) ----------------------------------------------

def _stored_report(data_dir: Path, levering_id: int) -> bytes:
    """The report kept in the current snapshot with the delivery's log line."""
    con = duckdb.connect(str(Store(data_dir).current_snapshot()), read_only=True)
    try:
        return bytes(con.execute("SELECT rapport FROM foutrapporten WHERE levering_id = ?", [levering_id]).fetchall()[0][0])
    finally:
        con.close()


def test_error_report_is_scoped_like_the_delivery_log(demo_store):
    rejected = _demo_delivery(demo_store, "zeeland", "2024-Q2", "afgewezen")
    stored = _stored_report(demo_store, rejected["levering_id"])
    app = create_app(demo_store)

    def as_viewer(viewer):
        with app.server.test_request_context("/aanleveringen"):
            g.viewer = viewer
            return error_report(rejected["levering_id"], demo_store)

    expected = (f"foutrapport_{rejected['levering_id']}_zeeland_casussen_2024-Q2.csv", stored)
    assert error_report(rejected["levering_id"], demo_store) == expected  # no login: the CLI, local use
    assert as_viewer(auth.viewer("anna", "programmateam")) == expected
    assert as_viewer(auth.viewer("pia", "proeftuin:zeeland")) == expected
    assert as_viewer(auth.viewer("fleur", "proeftuin:flevoland")) is None  # not even whether it exists
    with pytest.raises(Forbidden):
        as_viewer(auth.viewer("sam", "stuurgroep"))
    # A delivery without findings has no report; an unknown or ill-formed id neither.
    clean = figure_data(LOG, Filters(), data_dir=demo_store).df
    clean = clean[(clean["aantal_fouten"] == 0) & (clean["aantal_waarschuwingen"] == 0)]
    assert error_report(int(clean.iloc[0]["levering_id"]), demo_store) is None
    assert error_report(10**9, demo_store) is None
    assert error_report("217; DROP TABLE leveringen", demo_store) is None
    assert error_report(True, demo_store) is None


def test_delivery_figures_give_way_for_the_steering_group(demo_store):
    """The steering group sees the IV page (in presentation mode) without the figures from the
    delivery log, and the Aanleveringen page without the log; a proeftuin sees its own deliveries."""
    app = create_app(demo_store)
    iv, aanleveringen = (sys.modules[f"dashboard.pages.{name}"] for name in ("iv", "aanleveringen"))

    def page(module, viewer, **query) -> str:
        with app.server.test_request_context("/"):
            g.viewer = viewer
            return to_json(module.layout(**query))

    sam = auth.viewer("sam", "stuurgroep")
    shown = page(iv, sam, presentatie="1")
    assert "kaart-netwerkdossier-per-tranche" in shown and "kaart-volledigheid-velden" in shown
    assert "kaart-leveringen-status" not in shown and "kaart-eerste-keer-geaccepteerd" not in shown
    assert "voor uw rol niet beschikbaar" in shown
    assert "leveringslog-grid" not in page(aanleveringen, sam, presentatie="1")

    pia = auth.viewer("pia", "proeftuin:zeeland")
    shown = page(aanleveringen, pia)
    assert "zeeland_casussen_2024-Q2.xlsx" in shown and "flevoland_casussen" not in shown
    # Asking for another proeftuin is refused outright (403), not explained away on the page.
    for module in (iv, aanleveringen):
        with pytest.raises(Forbidden):
            page(module, pia, proeftuinen="flevoland")
