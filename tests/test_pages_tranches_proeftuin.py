"""The Tranches page and the proeftuin pages in headless Chromium, on the demo store.

Covers: a clean console on /tranches and on every one of the eleven /proeftuin/<code> pages,
the tijd toggle (x-axis and URL), the message for an unknown code, and a download on /tranches
against the export CLI. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By

from dashboard import reference
from dashboard.app import create_app
from dashboard.csvout import download_filename, to_csv_bytes
from dashboard.figuredata import Filters, figure_data
from tests.browser import cli_export as _cli_export
from tests.browser import click as _click
from tests.browser import search as _search
from tests.browser import wait_for_file as _wait_for_file
from tests.browser import wait_until as _wait_until

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
LEEFTIJD = "cumulatief-naar-leeftijd"
SPREIDING = "kpi-per-proeftuin-tranche"
# The graphs of a proeftuin page: werkgebieden, three case figures, key figures, team, deliveries.
PROEFTUIN_GRAPHS = 7

pytestmark = pytest.mark.browser


def _xaxes(dash_duo, graph_id: str):
    """[type, title] of the drawn graph's x-axes (both panels), or None while it is not drawn."""
    return dash_duo.driver.execute_script(
        "const g = document.querySelector(arguments[0]);"
        "if (!g || !g._fullLayout) return null;"
        "const l = g._fullLayout;"
        "return [[l.xaxis.type, l.xaxis.title.text], [l.xaxis2.type, l.xaxis2.title.text]];",
        f"#{graph_id} .js-plotly-plot",
    )


def _drawn_graphs(dash_duo) -> int:
    return dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('.js-plotly-plot')).filter(g => g._fullLayout).length;")


def _set_viewport(dash_duo, width: int, height: int):
    driver = dash_duo.driver
    driver.set_window_size(width, height)
    extra = driver.execute_script("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];")
    driver.set_window_size(width + extra[0], height + extra[1])


def _full_page_screenshot(dash_duo, name: str, width: int = 1280):
    """The whole page at 1280 px wide, then back to 1280x1024."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = dash_duo.driver.execute_script("return document.documentElement.scrollHeight")
    _set_viewport(dash_duo, width, height)
    time.sleep(0.4)
    dash_duo.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    _set_viewport(dash_duo, width, 1024)


def _no_console_errors(dash_duo, where: str = ""):
    logs = dash_duo.get_logs()
    assert not logs, (where, logs)


def test_tranches_page_toggle_and_download(dash_duo, demo_store, tmp_path):
    dash_duo.start_server(create_app(demo_store))
    driver = dash_duo.driver
    driver.get(f"{dash_duo.server_url}/tranches")
    _wait_until(lambda: driver.title == "Tranches · Proeftuinmonitor", message=f"title is {driver.title!r}")
    graph = f"kaart-{LEEFTIJD}-grafiek"
    leeftijd = [["linear", "Maanden sinds de start van de proeftuin"]] * 2
    kalender = [["date", "Einde kwartaal"]] * 2
    assert _wait_until(lambda: _xaxes(dash_duo, graph)) == leeftijd
    # One trace per tranche and panel (a line per proeftuin); both tranches start at month 0.
    starts = driver.execute_script(
        "return document.querySelector(arguments[0])._fullData.map("
        "  t => [t.name, Math.min(...Array.from(t.x).filter(v => v !== null))]);",
        f"#{graph} .js-plotly-plot")
    assert [name for name, _ in starts] == ["Tranche 1", "Tranche 2"] * 2
    assert all(start < 3 for _, start in starts), starts
    dash_duo.wait_for_contains_text(f"#kaart-{SPREIDING}", "Spreiding")
    dash_duo.wait_for_contains_text("#kaart-tranche-op-gelijke-leeftijd", "24 maanden")
    _wait_until(lambda: _drawn_graphs(dash_duo) == 4, message="not every graph was drawn")
    _full_page_screenshot(dash_duo, "tranches")
    _no_console_errors(dash_duo, "/tranches")

    # The toggle switches the x-axis to calendar time and puts the choice in the URL.
    _click(dash_duo, By.XPATH, "//label[normalize-space()='Kalendertijd']")
    _wait_until(lambda: _search(dash_duo) == "tijd=kalender", message=driver.current_url)
    _wait_until(lambda: _xaxes(dash_duo, graph) == kalender, message="x-axis did not switch")
    driver.back()
    _wait_until(lambda: _xaxes(dash_duo, graph) == leeftijd, message="back did not restore the x-axis")

    # A download with filters equals the export CLI byte for byte.
    driver.get(f"{dash_duo.server_url}/tranches?tranche=2&van=2023-Q1&tot=2025-Q4")
    dash_duo.wait_for_element(f"#kaart-{SPREIDING}-grafiek .main-svg")
    _click(dash_duo, By.CSS_SELECTOR, f"#kaart-{SPREIDING} button.pm-download")
    filters = Filters(tranche=2, van="2023-Q1", tot="2025-Q4")
    name = download_filename(SPREIDING, filters, dt.date.today())
    downloaded = _wait_for_file(Path(dash_duo.download_path) / name)
    assert downloaded == to_csv_bytes(figure_data(SPREIDING, filters, data_dir=demo_store).df)
    assert downloaded == _cli_export(demo_store, tmp_path / "spreiding.csv", SPREIDING,
                                     "--tranche", "2", "--van", "2023-Q1", "--tot", "2025-Q4")
    _no_console_errors(dash_duo, "/tranches download")


def test_every_proeftuin_page(dash_duo, demo_store):
    dash_duo.start_server(create_app(demo_store))
    driver = dash_duo.driver

    # The index links to all eleven.
    driver.get(f"{dash_duo.server_url}/proeftuin")
    dash_duo.wait_for_element("#proeftuin-index")
    links = [e.get_attribute("href") for e in dash_duo.find_elements("#proeftuin-index a")]
    assert sorted(urlparse(h).path for h in links) == sorted(f"/proeftuin/{p.code}" for p in reference.proeftuinen())
    assert "Proeftuinen" in [e.text for e in dash_duo.find_elements(".pm-nav .nav-link")]
    _no_console_errors(dash_duo, "/proeftuin")

    for proeftuin in reference.proeftuinen():
        driver.get(f"{dash_duo.server_url}/proeftuin/{proeftuin.code}")
        _wait_until(lambda: driver.find_element(By.TAG_NAME, "h1").text == proeftuin.naam,
                    message=f"{proeftuin.code}: h1 is not {proeftuin.naam!r}")
        _wait_until(lambda: _drawn_graphs(dash_duo) == PROEFTUIN_GRAPHS,
                    message=f"{proeftuin.code}: {_drawn_graphs(dash_duo)} graphs drawn")
        assert driver.title == f"{proeftuin.naam} · Proeftuinmonitor"
        profile = dash_duo.find_element("#proeftuin-profiel").text
        assert f"Tranche {proeftuin.tranche}" in profile
        # The figures are filtered on this proeftuin: so are their downloads.
        button = dash_duo.find_element('#kaart-instroom-per-kwartaal button.pm-download').get_attribute("id")
        assert f'"filters":"proeftuinen={proeftuin.code}"' in button, button
        _full_page_screenshot(dash_duo, f"proeftuin-{proeftuin.code}")
        _no_console_errors(dash_duo, proeftuin.code)

    driver.get(f"{dash_duo.server_url}/proeftuin/onbekend")
    dash_duo.wait_for_contains_text("#onbekende-proeftuin", "Er is geen proeftuin met de code 'onbekend'")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Onbekende proeftuin"
    _no_console_errors(dash_duo, "/proeftuin/onbekend")
