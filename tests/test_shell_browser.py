"""The shell, the Overzicht page and presentation mode in headless Chromium, on the demo store.

Covers: a clean console, filters in the URL (a change updates figures and URL, a copied link
reproduces the view, back returns to the previous view), the download against the export CLI,
and the slides with their keyboard steps. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from python_calamine import CalamineWorkbook
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard import registry
from dashboard.app import create_app
from dashboard.csvout import download_filename, to_csv_bytes
from dashboard.figuredata import Filters, figure_data
from dashboard.xlsxout import HEADER_ROW
from tests.browser import cli_export as _cli_export
from tests.browser import click as _click
from tests.browser import search as _search
from tests.browser import wait_for_file as _wait_for_file
from tests.browser import wait_until as _wait_until

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
INSTROOM = "instroom-per-tranche"
LOPEND = "lopend-per-tranche"

pytestmark = pytest.mark.browser


def _traces(dash_duo, figure_id: str):
    """[(name, x, y)] of the figure's graph as drawn, or None while it is not drawn."""
    return dash_duo.driver.execute_script(
        "const g = document.querySelector(arguments[0]);"
        "if (!g || !g._fullData) return null;"
        "return g._fullData.map(t => [t.name, Array.from(t.x),"
        "                             Array.from(t.y, v => Number.isNaN(v) ? null : v)]);",
        f"#kaart-{figure_id}-grafiek .js-plotly-plot",
    )


def _expected_traces(figure_id: str, column: str, filters: Filters, data_dir):
    df = figure_data(figure_id, filters, data_dir=data_dir).df
    return [
        [f"Tranche {t}", rows["kwartaal"].tolist(),
         [v if isinstance(v, int) else (int(v) if not isinstance(v, str) else None) for v in rows[column]]]
        for t, rows in df.groupby("tranche", sort=True)
    ]


def _controls(dash_duo) -> dict:
    """The filter bar as the user sees it: the chosen tranche and the dropdowns' texts."""
    driver = dash_duo.driver
    checked = driver.find_element(By.CSS_SELECTOR, ".pm-filters input[type=radio]:checked")
    return {
        "tranche": checked.get_attribute("value"),
        "proeftuinen": driver.find_element(By.CSS_SELECTOR, ".pm-filter-proeftuinen").text,
        "kwartalen": [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".pm-filter-kwartaal")],
    }


def _screenshot(dash_duo, name: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    dash_duo.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def _set_viewport(dash_duo, width: int, height: int):
    """Make the page's viewport (not the window) width x height, like a full-screen browser."""
    driver = dash_duo.driver
    driver.set_window_size(width, height)
    extra = driver.execute_script("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];")
    driver.set_window_size(width + extra[0], height + extra[1])


def _full_page_screenshot(dash_duo, name: str, width: int = 1280):
    height = dash_duo.driver.execute_script("return document.documentElement.scrollHeight")
    _set_viewport(dash_duo, width, height)
    time.sleep(0.3)
    _screenshot(dash_duo, name)
    _set_viewport(dash_duo, width, 1024)


def _no_console_errors(dash_duo):
    logs = dash_duo.get_logs()
    assert not logs, logs


def test_overview_filters_live_in_the_url(dash_duo, demo_store):
    dash_duo.start_server(create_app(demo_store))
    _wait_until(lambda: dash_duo.driver.title == "Overzicht · Proeftuinmonitor",
                message=f"title is {dash_duo.driver.title!r}")
    dash_duo.wait_for_contains_text("#demo-banner", "Demodata (fictief)")
    dash_duo.wait_for_contains_text("#data-status", "laatste aanlevering")

    # Every KPI has a card, with the change against the previous quarter.
    everything = Filters()
    kpis = figure_data("kpi-programma", everything, data_dir=demo_store).df
    _wait_until(lambda: len(dash_duo.find_elements(".pm-kpi")) == len(kpis) > 0, message="KPI cards missing")
    cards_all = [e.text for e in dash_duo.find_elements(".pm-kpi")]
    assert any(" van " in c for c in cards_all)
    assert any("pp t.o.v. 2026-Q2" in c for c in cards_all), cards_all

    # Both figures are drawn with exactly the figure data.
    expected_all = _expected_traces(INSTROOM, "aangemeld", everything, demo_store)
    assert _wait_until(lambda: _traces(dash_duo, INSTROOM)) == expected_all
    assert _wait_until(lambda: _traces(dash_duo, LOPEND)) == _expected_traces(LOPEND, "lopend", everything, demo_store)
    dash_duo.wait_for_contains_text("#kaart-leveringen-per-kwartaal", "proeftuinen hebben casussen geleverd")
    assert dash_duo.find_element("#kaart-instroom-per-tranche figure.pm-figure").get_attribute(
        "aria-label").startswith("Aangemelde casussen")
    _full_page_screenshot(dash_duo, "overzicht")

    # A filter change updates the URL and the figures.
    _click(dash_duo, By.XPATH, "//label[normalize-space()='Tranche 1']")
    _wait_until(lambda: _search(dash_duo) == "tranche=1", message=f"URL is {dash_duo.driver.current_url}")
    tranche_1 = _expected_traces(INSTROOM, "aangemeld", Filters(tranche=1), demo_store)
    _wait_until(lambda: _traces(dash_duo, INSTROOM) == tranche_1, message="figure did not follow the filter")
    _wait_until(lambda: [e.text for e in dash_duo.find_elements(".pm-kpi")] != cards_all,
                message="KPI cards did not follow the filter")
    # The navigation keeps the filters.
    nav_hrefs = [e.get_attribute("href") for e in dash_duo.find_elements(".pm-nav .nav-link")]
    assert all(h.endswith("?tranche=1") for h in nav_hrefs), nav_hrefs

    # Back returns to the previous view: controls and figures.
    dash_duo.driver.back()
    _wait_until(lambda: _search(dash_duo) == "", message="back did not restore the URL")
    _wait_until(lambda: _traces(dash_duo, INSTROOM) == expected_all, message="back did not restore the figure")
    assert _controls(dash_duo)["tranche"] == "alle"

    # A copied link, opened fresh, reproduces the view exactly.
    link = f"{dash_duo.server_url}/?tranche=2&proeftuinen=flevoland,friesland&van=2023-Q1&tot=2025-Q4"
    dash_duo.driver.get(link)
    chosen = Filters(tranche=2, proeftuinen=("flevoland", "friesland"), van="2023-Q1", tot="2025-Q4")
    expected = _expected_traces(INSTROOM, "aangemeld", chosen, demo_store)
    _wait_until(lambda: _traces(dash_duo, INSTROOM) == expected, message="copied link: other figure data")
    controls = _controls(dash_duo)
    assert controls["tranche"] == "2"
    assert "Flevoland" in controls["proeftuinen"] and "Friesland" in controls["proeftuinen"]
    assert controls["kwartalen"] == ["2023-Q1", "2025-Q4"]
    assert _search(dash_duo) == "tranche=2&proeftuinen=flevoland,friesland&van=2023-Q1&tot=2025-Q4"
    _no_console_errors(dash_duo)


def test_download_equals_the_export_cli(dash_duo, demo_store, tmp_path):
    dash_duo.start_server(create_app(demo_store))
    dash_duo.driver.get(f"{dash_duo.server_url}/?tranche=1&proeftuinen=foodvalley,zeeland&van=2022-Q1&tot=2025-Q4")
    dash_duo.wait_for_element(f"#kaart-{LOPEND}-grafiek .main-svg")

    _click(dash_duo, By.CSS_SELECTOR, f'#kaart-{LOPEND} button.pm-download')
    filters = Filters(tranche=1, proeftuinen=("foodvalley", "zeeland"), van="2022-Q1", tot="2025-Q4")
    name = download_filename(LOPEND, filters, dt.date.today())
    assert name == f"{LOPEND}_tranche-1_foodvalley+zeeland_2022-Q1-2025-Q4_{dt.date.today().isoformat()}.csv"
    downloaded = _wait_for_file(Path(dash_duo.download_path) / name)
    assert downloaded == to_csv_bytes(figure_data(LOPEND, filters, data_dir=demo_store).df)
    assert downloaded == _cli_export(demo_store, tmp_path / "lopend.csv", LOPEND, "--tranche", "1",
                                     "--proeftuin", "foodvalley", "--proeftuin", "zeeland",
                                     "--van", "2022-Q1", "--tot", "2025-Q4")
    # The image export: figure, filters and the data's peildatum (the demo runs to 2026-Q3).
    image = f"{LOPEND}_tranche-1_foodvalley+zeeland_2022-Q1-2025-Q4_peildatum-2026-09-30"
    buttons = dash_duo.driver.execute_script(
        f"return Array.from(document.querySelectorAll('#kaart-{LOPEND} [data-pm-format]'))"
        ".map(b => [b.getAttribute('data-pm-format'), b.getAttribute('data-pm-name')]);")
    assert buttons == [["png", image], ["svg", image]]
    _click(dash_duo, By.CSS_SELECTOR, f'#kaart-{LOPEND} [data-pm-format=svg]')
    assert _wait_for_file(Path(dash_duo.download_path) / f"{image}.svg").startswith(b"<svg")
    # The Excel file next to the CSV: the same sheets as `export --format xlsx` writes.
    _click(dash_duo, By.CSS_SELECTOR, f'#kaart-{LOPEND} button.pm-download-xlsx')
    workbook = _wait_for_file(Path(dash_duo.download_path) / name.replace(".csv", ".xlsx"))
    cli_workbook = _cli_export(demo_store, tmp_path / "lopend.xlsx", LOPEND, "--tranche", "1",
                               "--proeftuin", "foodvalley", "--proeftuin", "zeeland",
                               "--van", "2022-Q1", "--tot", "2025-Q4", "--format", "xlsx")
    assert _sheets(workbook) == _sheets(cli_workbook)
    data = _sheets(workbook)["Gegevens"]
    assert data[0][0] == registry.get(LOPEND).titel and "peildatum 30-09-2026" in data[1][0]
    assert len(data) == HEADER_ROW + 1 + len(figure_data(LOPEND, filters, data_dir=demo_store).df)
    _no_console_errors(dash_duo)


def _sheets(payload: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(payload))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def test_presentation_mode_and_slides(dash_duo, demo_store):
    dash_duo.start_server(create_app(demo_store))
    driver = dash_duo.driver
    _set_viewport(dash_duo, 1280, 720)

    # A page with ?presentatie=1: no navigation or filter bar, large axis type.
    driver.get(f"{dash_duo.server_url}/?tranche=2&presentatie=1")
    dash_duo.wait_for_element(f"#kaart-{INSTROOM}-grafiek .main-svg")
    _wait_until(lambda: "pm-presentatie" in dash_duo.find_element("#pm-app").get_attribute("class"))
    assert not dash_duo.find_element(".pm-nav-bar").is_displayed()
    assert not driver.find_elements(By.CSS_SELECTOR, ".pm-filters")
    assert not driver.find_elements(By.CSS_SELECTOR, "button.pm-download")
    assert "tranche=2" in dash_duo.find_element("#presentatie-uit").get_attribute("href")

    # The slides: start from the shell's link, step with the keyboard.
    driver.get(f"{dash_duo.server_url}/")
    dash_duo.wait_for_element(".pm-kpi")
    _click(dash_duo, By.ID, "presentatie-aan")
    dash_duo.wait_for_contains_text("#dia-nummer", "Dia 1 van")
    assert not dash_duo.find_element(".pm-nav-bar").is_displayed()
    assert not dash_duo.find_element(".pm-header").is_displayed()
    _wait_until(lambda: len(dash_duo.find_elements(".pm-kpi")) == 11)
    _screenshot(dash_duo, "presentatie-dia-1")

    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    _wait_until(lambda: _search(dash_duo) == "dia=2&presentatie=1", message=driver.current_url)
    dash_duo.wait_for_contains_text("#dia-nummer", "Dia 2 van")
    dash_duo.wait_for_element(f"#kaart-{INSTROOM}-grafiek .main-svg")
    fonts = driver.execute_script(
        "const l = document.querySelector(arguments[0])._fullLayout;"
        "return [l.xaxis.tickfont.size, l.yaxis.tickfont.size, l.xaxis.title.font.size, l.yaxis.title.font.size];",
        f"#kaart-{INSTROOM}-grafiek .js-plotly-plot",
    )
    assert min(fonts) >= 18, fonts
    _screenshot(dash_duo, "presentatie-dia-2")

    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_LEFT)
    _wait_until(lambda: _search(dash_duo) == "presentatie=1", message=driver.current_url)
    dash_duo.wait_for_contains_text("#dia-nummer", "Dia 1 van")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    _wait_until(lambda: urlparse(driver.current_url).path == "/" and _search(dash_duo) == "")
    _wait_until(lambda: dash_duo.find_element(".pm-nav-bar").is_displayed())
    dash_duo.wait_for_element(f"#kaart-{LOPEND}-grafiek .main-svg")  # let the page finish
    _no_console_errors(dash_duo)


def test_copy_link_copies_this_view_and_says_so(dash_duo, demo_store):
    dash_duo.start_server(create_app(demo_store))
    driver = dash_duo.driver
    driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": dash_duo.server_url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    driver.get(f"{dash_duo.server_url}/tranches?tranche=2&van=2024-Q1")
    dash_duo.wait_for_element("#kopieer-link")
    status = driver.find_element(By.ID, "kopieer-link-status")
    assert status.get_attribute("role") == "status" and status.text == ""
    _click(dash_duo, By.ID, "kopieer-link")
    _wait_until(lambda: status.text == "Link naar deze weergave gekopieerd", message=status.text)
    copied = driver.execute_async_script("navigator.clipboard.readText().then(arguments[0], () => arguments[0](null));")
    assert copied == f"{dash_duo.server_url}/tranches?tranche=2&van=2024-Q1"
    _no_console_errors(dash_duo)
