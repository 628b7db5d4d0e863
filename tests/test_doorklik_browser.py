"""Clicking through in headless Chromium, on the demo store: a real mouse click on a bar leads
to the proeftuin or the quarter behind it, the back button returns, and the keyboard reaches the
same place through the table view."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from tests.browser import wait_drawn, wait_until

pytestmark = pytest.mark.browser

PERIOD = "van=2024-Q1&tot=2025-Q4"


def _where(dash_duo) -> str:
    url = urlparse(dash_duo.driver.current_url)
    return url.path + (f"?{url.query}" if url.query else "")


def _heading(dash_duo) -> str | None:
    # Read in one script: an element found first may be replaced by the page's rebuild before
    # its text is read (a stale element).
    return dash_duo.driver.execute_script("const h = document.querySelector('h1'); return h && h.textContent;")


def _bar(dash_duo, card: str, category: str, axis: str):
    """The drawn bar of `category` (on axis x or y) in the first trace of the card's graph."""
    graph = dash_duo.driver.find_element(By.CSS_SELECTOR, f"#{card}-grafiek .js-plotly-plot")
    index = dash_duo.driver.execute_script(
        f"return Array.from(arguments[0]._fullData[0].{axis}).indexOf(arguments[1]);", graph, category)
    assert index >= 0, f"{category} not drawn in {card}"
    bars = graph.find_elements(By.CSS_SELECTOR, ".trace.bars .point path")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", graph)
    return bars[index]


def _click_bar(dash_duo, bar) -> None:
    # The click lands on plotly's drag layer above the bar, as a user's would.
    ActionChains(dash_duo.driver).move_to_element(bar).pause(0.2).click().perform()


def test_a_bar_leads_to_the_proeftuin_and_back(dash_duo, demo_store):
    dash_duo.start_server(create_app(demo_store))
    dash_duo.driver.get(dash_duo.server_url + f"/iv?{PERIOD}")
    wait_drawn(dash_duo)
    start = _where(dash_duo)
    _click_bar(dash_duo, _bar(dash_duo, "kaart-eerste-keer-geaccepteerd", "Flevoland", "y"))
    # Flevoland's page for the same period; other filters do not apply to one proeftuin.
    wait_until(lambda: _where(dash_duo) == f"/proeftuin/flevoland?{PERIOD}", message=_where(dash_duo), timeout=30)
    wait_until(lambda: _heading(dash_duo) == "Flevoland", timeout=30)
    wait_drawn(dash_duo)
    dash_duo.driver.back()
    wait_until(lambda: _where(dash_duo) == start, message=f"back went to {_where(dash_duo)}", timeout=30)
    wait_until(lambda: dash_duo.driver.find_elements(By.CSS_SELECTOR, "#kaart-eerste-keer-geaccepteerd-grafiek"))
    assert not dash_duo.get_logs()


def test_a_quarter_bar_leads_to_that_quarter_and_the_keyboard_gets_there_through_the_table(dash_duo, demo_store):
    dash_duo.start_server(create_app(demo_store))
    dash_duo.driver.get(dash_duo.server_url + f"/?tranche=2&{PERIOD}")
    wait_drawn(dash_duo)
    _click_bar(dash_duo, _bar(dash_duo, "kaart-instroom-per-tranche", "2024-Q3", "x"))
    # The same page, the same tranche, only that quarter.
    wait_until(lambda: _where(dash_duo) == "/?tranche=2&van=2024-Q3&tot=2024-Q3", message=_where(dash_duo), timeout=30)
    wait_drawn(dash_duo)
    drawn = dash_duo.driver.execute_script(
        "return Array.from(document.querySelector('#kaart-instroom-per-tranche-grafiek .js-plotly-plot')"
        "._fullData[0].x);")
    assert drawn == ["2024-Q3"]
    dash_duo.driver.back()
    wait_until(lambda: _where(dash_duo) == f"/?tranche=2&{PERIOD}", message=_where(dash_duo), timeout=30)
    wait_drawn(dash_duo)

    # Keyboard only: open the table view and follow the link to the proeftuin from there.
    dash_duo.driver.get(dash_duo.server_url + f"/iv?{PERIOD}")
    wait_drawn(dash_duo)
    summary = dash_duo.driver.find_element(By.CSS_SELECTOR, "#kaart-eerste-keer-geaccepteerd .pm-table-details summary")
    dash_duo.driver.execute_script("arguments[0].focus();", summary)
    summary.send_keys(Keys.ENTER)
    link = wait_until(lambda: [a for a in dash_duo.driver.find_elements(
        By.CSS_SELECTOR, "#kaart-eerste-keer-geaccepteerd .pm-table-body a") if a.text == "Flevoland"])[0]
    assert link.get_attribute("href").endswith(f"/proeftuin/flevoland?{PERIOD}")
    for _ in range(40):  # Tab from the summary until the link has the focus
        if dash_duo.driver.switch_to.active_element == link:
            break
        dash_duo.driver.switch_to.active_element.send_keys(Keys.TAB)
    assert dash_duo.driver.switch_to.active_element == link
    link.send_keys(Keys.ENTER)
    wait_until(lambda: _where(dash_duo) == f"/proeftuin/flevoland?{PERIOD}", message=_where(dash_duo), timeout=30)
    wait_until(lambda: _heading(dash_duo) == "Flevoland", timeout=30)
    assert not dash_duo.get_logs()
