"""dashboard.pagescripts: no @babel/polyfill on the page (the regenerator runtime in its place), and
AG Grid's script loaded only when a grid is drawn."""

from __future__ import annotations

import json
import re

import pytest
from selenium.webdriver.common.by import By

from dashboard import pagescripts
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
    assert runtime.get_data() == (ASSETS_DIR / pagescripts.RUNTIME).read_bytes()
    assert b"regeneratorRuntime = runtime;" in runtime.get_data()


def test_swap_replaces_only_the_polyfill_and_leaves_a_page_without_one_alone():
    tags = ('<script src="/_dash-component-suites/dash/deps/polyfill@7.v4_4_1m1.12.1.min.js"></script>\n'
            '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>')
    assert pagescripts.swap_polyfill(tags, "/x/runtime.js") == (
        '<script src="/x/runtime.js"></script>\n'
        '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>')
    without = '<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1.3.1.min.js"></script>'
    assert pagescripts.swap_polyfill(without, "/x/runtime.js") == without


def open_drawn(dash_duo, store, path: str, charts: int):
    """The app on `store` in dash_duo's browser at `path`, once `charts` charts are drawn."""
    dash_duo.start_server(create_app(store))
    driver = dash_duo.driver
    driver.get(dash_duo.server_url + path)
    wait_until(lambda: len(dash_duo.find_elements(".js-plotly-plot .main-svg")) >= charts, message="no charts drawn")
    return driver


@pytest.mark.browser
def test_without_the_polyfill_the_lazy_parts_still_load_and_the_console_stays_clean(dash_duo, demo_store):
    driver = open_drawn(dash_duo, demo_store, "/proeftuin/zeeland?van=2024-Q1&tot=2025-Q2", 5)
    assert driver.execute_script("return [typeof regeneratorRuntime.mark, window._babelPolyfill === undefined]") == [
        "function", True]
    # The dropdown's code is one of the lazy chunks whose loaders call regeneratorRuntime.
    driver.find_elements(By.CSS_SELECTOR, ".pm-filters button.dash-dropdown")[0].click()
    wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, "[role=option]"), message="the dropdown did not open")
    assert not dash_duo.get_logs()


ADDRESS = re.compile(r'<script id="pm-ag-grid" type="application/json">([^<]*)</script>')


def test_no_page_loads_ag_grid_but_each_knows_where_it_is(demo_store):
    client = create_app(demo_store).server.test_client()
    html = client.get("/").get_data(as_text=True)
    assert not [s for s in SCRIPT.findall(html) if "dash_ag_grid" in s]
    assert "/assets/aggrid-uitgesteld.js" in "".join(SCRIPT.findall(html))
    (address,) = ADDRESS.findall(html)
    answer = client.get(json.loads(address))
    assert answer.status_code == 200
    assert answer.get_data().rstrip().endswith(b"window.dash_ag_grid=fr})();\n\n//# sourceMappingURL=dash_ag_grid.min.js.map")


def test_defer_replaces_only_the_grids_script():
    tags = ('<script src="/_dash-component-suites/dash_ag_grid/dash_ag_grid.v35_3_0m1.min.js"></script>\n'
            '<script src="/assets/x.js"></script>')
    assert pagescripts.defer_grid(tags) == (
        '<script id="pm-ag-grid" type="application/json">'
        '"/_dash-component-suites/dash_ag_grid/dash_ag_grid.v35_3_0m1.min.js"</script>\n'
        '<script src="/assets/x.js"></script>')
    assert pagescripts.defer_grid('<script src="/assets/x.js"></script>') == '<script src="/assets/x.js"></script>'


def _grid_requests(driver) -> int:
    return driver.execute_script("return performance.getEntriesByType('resource')"
                                 ".filter(e => e.name.includes('dash_ag_grid.v')).length")


@pytest.mark.browser
def test_the_grid_loads_when_the_aanleveringen_page_is_opened_and_works(dash_duo, demo_store):
    driver = open_drawn(dash_duo, demo_store, "/", 3)
    assert _grid_requests(driver) == 0
    # To the Aanleveringen page within the app: the script is loaded now, once, and the grid works.
    driver.find_element(By.CSS_SELECTOR, ".pm-nav a[href^='/aanleveringen']").click()
    rows = wait_until(lambda: driver.execute_script(
        "try { return dash_ag_grid.getApi('leveringslog-grid').getDisplayedRowCount(); } catch (e) { return 0; }"),
        message="no grid drawn")
    assert rows > 10 and _grid_requests(driver) == 1
    assert driver.execute_script("return dash_ag_grid.AgGrid._dashprivate_isLazyComponentReady") is True
    # Choosing a delivery reaches the page's callback through the grid's selectedRows.
    driver.find_element(By.CSS_SELECTOR, "#leveringslog-grid .ag-center-cols-container .ag-row .ag-cell").click()
    wait_until(lambda: driver.find_element(By.ID, "foutrapport-keuze").text.startswith("Levering "),
               message="the chosen delivery did not reach the callback")
    assert not dash_duo.get_logs()
