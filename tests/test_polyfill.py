"""dashboard.polyfill: no @babel/polyfill on the page, the regenerator runtime in its place."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By

from dashboard import polyfill
from dashboard.app import ASSETS_DIR, create_app

from .browser import wait_until

SCRIPT = re.compile(r'<script src="([^"]*)"')


def test_the_page_loads_the_runtime_where_dash_put_the_polyfill_before_react(demo_store):
    client = create_app(demo_store).server.test_client()
    sources = SCRIPT.findall(client.get("/").get_data(as_text=True))
    assert not [s for s in sources if "polyfill" in s], sources
    assert sources.count("/assets/regenerator-runtime.js") == 1, sources  # not again as a Dash asset
    assert sources[0] == "/assets/regenerator-runtime.js" and "/deps/react@" in sources[1], sources[:2]
    runtime = client.get("/assets/regenerator-runtime.js")
    assert runtime.status_code == 200
    assert runtime.get_data() == (ASSETS_DIR / polyfill.RUNTIME).read_bytes()
    assert b"regeneratorRuntime = runtime;" in runtime.get_data()


def test_swap_replaces_only_the_polyfill_and_leaves_a_page_without_one_alone():
    tags = ('<script src="/_dash-component-suites/dash/deps/polyfill@7.v4_4_1m1.12.1.min.js"></script>\n'
            '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>')
    assert polyfill.swap(tags, "/x/runtime.js") == (
        '<script src="/x/runtime.js"></script>\n'
        '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>')
    without = '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>'
    assert polyfill.swap(without, "/x/runtime.js") == without


@pytest.mark.browser
def test_without_the_polyfill_the_lazy_parts_still_load_and_the_console_stays_clean(dash_duo, demo_store):
    dash_duo.start_server(create_app(demo_store))
    driver = dash_duo.driver
    driver.get(dash_duo.server_url + "/proeftuin/zeeland?van=2024-Q1&tot=2025-Q2")
    wait_until(lambda: len(dash_duo.find_elements(".js-plotly-plot .main-svg")) >= 5, message="no charts drawn")
    assert driver.execute_script("return [typeof regeneratorRuntime.mark, window._babelPolyfill === undefined]") == [
        "function", True]
    # The dropdown's code is one of the lazy chunks whose loaders call regeneratorRuntime.
    driver.find_elements(By.CSS_SELECTOR, ".pm-filters button.dash-dropdown")[0].click()
    wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, "[role=option]"), message="the dropdown did not open")
    assert not dash_duo.get_logs()
