"""Beyond axe, in headless Chromium on the demo store: keyboard focus after a filter change, Tab
out of the delivery grid and choosing a delivery by keyboard, reflow at 640 and 320 CSS px
(200% and 400% zoom at 1280), one contentinfo landmark, no plotly modebar, and slides that fit
a 1280x720 beamer."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from tests.browser import search, wait_drawn, wait_until

pytestmark = pytest.mark.browser

PAGES = ["/", "/tranches", "/proeftuin", "/proeftuin/zeeland", "/proeftuin/flevoland", "/teams", "/themas",
         "/tijdlijn", "/iv", "/aanleveringen", "/definities", "/toegankelijkheid"]
SLIDES = 6
ACTIVE = ("const a = document.activeElement;"
          "return [a.tagName, a.id, a.getAttribute('value'), a.checked === true, a.textContent.trim().slice(0, 40)];")


def _viewport(dash_duo, width: int, height: int) -> None:
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def _open(dash_duo, path: str) -> None:
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element("#inhoud")
    wait_drawn(dash_duo)


def _keys(dash_duo, *keys) -> None:
    ActionChains(dash_duo.driver).send_keys(*keys).perform()


def test_focus_stays_on_the_changed_filter_and_tab_leaves_the_grid(dash_duo, demo_store):
    dash_duo.start_server(create_app(demo_store))
    _viewport(dash_duo, 1280, 900)
    _open(dash_duo, "/")
    driver = dash_duo.driver
    driver.execute_script("document.querySelector('.pm-filters input[type=radio][value=alle]').focus()")
    _keys(dash_duo, Keys.ARROW_RIGHT)  # Alle -> Tranche 1: a new URL, the page is rebuilt
    wait_until(lambda: "tranche=1" in search(dash_duo), message="tranche not in the URL")
    wait_drawn(dash_duo)
    tag, _, value, checked, _ = wait_until(
        lambda: (a := driver.execute_script(ACTIVE))[0] == "INPUT" and a, message="focus fell out of the filter")
    assert (tag, value, checked) == ("INPUT", "1", True)
    _keys(dash_duo, Keys.ARROW_RIGHT)  # and on to tranche 2, without re-tabbing from the top
    wait_until(lambda: "tranche=2" in search(dash_duo), message="second arrow key lost")
    wait_drawn(dash_duo)
    assert wait_until(lambda: driver.execute_script(ACTIVE)[2] == "2" and driver.execute_script(ACTIVE))[3]

    # The dropdowns: one tab stop each, on the visible control, named by its label.
    names = driver.execute_script(
        "return Array.from(document.querySelectorAll('.pm-filters button.dash-dropdown'))"
        ".map(b => [b.tabIndex, document.querySelector('label[for=\"' + CSS.escape(b.id) + '\"]')?.textContent])")
    assert names == [[0, "Proeftuinen"], [0, "Van kwartaal"], [0, "Tot en met kwartaal"]]
    assert driver.execute_script(
        "return document.querySelectorAll('.dash-dropdown-focus-target:not([tabindex=\"-1\"])').length") == 0

    _open(dash_duo, "/aanleveringen")
    assert "pijltjestoetsen" in driver.find_element(By.ID, "foutrapport-keuze").text
    driver.execute_script("document.querySelector('.pm-definition-link').focus()")
    _keys(dash_duo, Keys.TAB)
    assert driver.execute_script("return !!document.activeElement.closest('.ag-root-wrapper')")
    _keys(dash_duo, Keys.TAB)  # one press and the grid is left: the CSV download under it
    assert "pm-download" in driver.execute_script("return document.activeElement.className")
    # Back into the grid, one row down, Space: the delivery is chosen without a mouse.
    ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert driver.execute_script("return !!document.activeElement.closest('.ag-root-wrapper')")
    _keys(dash_duo, Keys.ARROW_UP, Keys.SPACE)
    wait_until(lambda: driver.find_element(By.ID, "foutrapport-keuze").text.startswith("Levering "),
               message="no delivery chosen by keyboard")


def test_no_page_scrolls_sideways_at_200_and_400_percent(dash_duo, demo_store):
    dash_duo.start_server(create_app(demo_store))
    wide = {}
    for width in (640, 320):
        _viewport(dash_duo, width, 900)
        for path in PAGES:
            _open(dash_duo, path)
            scroll, client = dash_duo.driver.execute_script(
                "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if scroll > client:
                wide[(width, path)] = (scroll, client)
    assert wide == {}


def test_one_footer_landmarks_and_no_modebar(dash_duo, demo_store):
    dash_duo.start_server(create_app(demo_store))
    _open(dash_duo, "/proeftuin/zeeland")
    driver = dash_duo.driver
    assert driver.execute_script("return document.querySelectorAll('footer, [role=contentinfo]').length") == 1
    assert driver.find_element(By.CSS_SELECTOR, "footer a[href='/toegankelijkheid']").text == "Toegankelijkheid"
    assert driver.execute_script(
        "return document.getElementById('presentatie-uit').closest('nav, header, main, footer') !== null")
    assert driver.execute_script("return document.querySelectorAll('.js-plotly-plot').length") >= 5
    assert driver.execute_script("return document.querySelectorAll('.modebar, [data-title]').length") == 0
    names = driver.execute_script(
        "return Array.from(document.querySelectorAll('#kaart-werkgebieden [data-pm-format]'))"
        ".map(b => [b.textContent, b.getAttribute('data-pm-name')])")
    assert [n[0] for n in names] == ["Afbeelding (PNG)", "Afbeelding (SVG)"]
    assert names[0][1] == "werkgebieden_zeeland_peildatum-2026-09-30"
    # The werkgebieden of a tranche-1 proeftuin in the tranche-1 colour (vocab.TRANCHE_COLOURS).
    colours = driver.execute_script(
        "return document.querySelector('#kaart-werkgebieden-grafiek .js-plotly-plot')._fullData"
        ".map(t => t.marker.color)")
    assert set(colours) == {"#0072B2"}


def test_every_slide_fits_a_beamer(dash_duo, demo_store):
    dash_duo.start_server(create_app(demo_store))
    _viewport(dash_duo, 1280, 720)
    measured = {}
    for number in range(1, SLIDES + 1):
        _open(dash_duo, f"/presentatie?presentatie=1&dia={number}")
        measured[number] = dash_duo.driver.execute_script(
            "const ticks = Array.from(document.querySelectorAll('.js-plotly-plot .xtick text, .js-plotly-plot .ytick text'));"
            "return [document.documentElement.scrollHeight <= window.innerHeight,"
            "        document.querySelectorAll('.modebar').length,"
            "        ticks.every(t => parseFloat(getComputedStyle(t).fontSize) >= 18)];")
    assert measured == {n: [True, 0, True] for n in range(1, SLIDES + 1)}
