"""dashboard.plotlyjs: the browser gets plotly.js's cartesian bundle, and it holds every trace
type the pages draw."""

from __future__ import annotations

import hashlib

import dash
import pytest
from plotly.offline import get_plotlyjs, get_plotlyjs_version

from dashboard import plotlyjs
from dashboard.app import create_app
from dashboard.warm import draw, page_paths

from .browser import wait_until

ADDRESS = "/_dash-component-suites/plotly/package_data/plotly.min.js"


def test_the_bundle_is_plotly_pys_version_of_plotly_js_and_a_third_of_its_size():
    assert plotlyjs.version() == get_plotlyjs_version()
    data = plotlyjs.BUNDLE.read_bytes()
    assert data.startswith(b"/**\n* plotly.js (cartesian - minified) v")
    assert data.rstrip().endswith(b"window.Plotly = Plotly;\nreturn Plotly;\n}));")
    assert len(data) < len(get_plotlyjs().encode()) / 3


def _figures(component):
    """Every figure dict in a layout tree."""
    figure = getattr(component, "figure", None)
    if isinstance(figure, dict):
        yield figure
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if isinstance(child, dash.development.base_component.Component):
            yield from _figures(child)


def test_every_trace_type_the_pages_draw_is_in_the_bundle(demo_store):
    app = create_app(demo_store)
    types, figures = set(), 0
    for path in page_paths():
        for figure in _figures(draw(app, path)):
            figures += 1
            types |= {trace.get("type", "scatter") for trace in figure.get("data", [])}
    assert figures > 20 and {"bar", "scatter", "heatmap", "box"} <= types, (figures, types)
    assert types <= plotlyjs.TRACE_TYPES, types - plotlyjs.TRACE_TYPES


def test_dashs_plotly_address_answers_with_the_bundle_and_304_when_unchanged(demo_store):
    client = create_app(demo_store).server.test_client()
    r = client.get(ADDRESS)
    assert r.status_code == 200 and r.mimetype == "text/javascript"
    assert r.get_data() == plotlyjs.BUNDLE.read_bytes()
    assert "no-cache" in r.headers["Cache-Control"]
    tag = hashlib.sha256(plotlyjs.BUNDLE.read_bytes()).hexdigest()[:32]
    assert r.headers["ETag"] == f'"{tag}"'
    again = client.get(ADDRESS, headers={"If-None-Match": f'"{tag}"'})
    assert again.status_code == 304 and again.get_data() == b""
    # Every other component-suite address is Dash's as before.
    assert client.get("/_dash-component-suites/plotly/package_data/plotly.min.jsx").status_code != 200
    layout = client.get("/")
    script = next(s for s in layout.get_data(as_text=True).split('"') if "dash_core_components.v" in s)
    assert client.get(script).status_code == 200


@pytest.mark.browser
def test_the_browser_draws_with_the_cartesian_bundle(dash_duo, demo_store):
    dash_duo.start_server(create_app(demo_store))
    dash_duo.driver.get(dash_duo.server_url + "/tranches")
    wait_until(lambda: len(dash_duo.find_elements(".js-plotly-plot .main-svg")) >= 3, message="no charts drawn")
    traces = dash_duo.driver.execute_script("return Object.keys(Plotly.PlotSchema.get().traces)")
    assert set(traces) == plotlyjs.TRACE_TYPES
    sizes = dash_duo.driver.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('plotly.min.js'))"
        ".map(e => e.decodedBodySize)")
    # Loaded once. Its size, where Chromium reports one (once in a full run it said 0 for this
    # entry): the trace types above already say which bundle runs.
    assert len(sizes) == 1 and sizes[0] in (0, len(plotlyjs.BUNDLE.read_bytes())), sizes
    assert not dash_duo.get_logs()


@pytest.mark.browser
def test_plotly_js_is_fetched_while_the_page_callback_is_answered_and_only_once(dash_duo, demo_store):
    """assets/plotly-vooraf.js: the request_pre hook starts plotly.js with the first callback."""
    dash_duo.start_server(create_app(demo_store))
    dash_duo.driver.get(dash_duo.server_url + "/proeftuin/utrecht?van=2024-Q2&tot=2025-Q1")
    wait_until(lambda: len(dash_duo.find_elements(".js-plotly-plot .main-svg")) >= 5, message="no charts drawn")
    plotly, callbacks = dash_duo.driver.execute_script(
        "const r = performance.getEntriesByType('resource');"
        "return [r.filter(e => e.name.endsWith('plotly.min.js')).map(e => e.startTime),"
        " r.filter(e => e.name.includes('_dash-update-component')).map(e => e.responseEnd)]")
    assert len(plotly) == 1 and callbacks, (plotly, callbacks)
    assert plotly[0] < callbacks[0], "plotly.js was asked for only after the page's callback was answered"
    assert dash_duo.driver.execute_script("return typeof Plotly.newPlot") == "function"
    assert not dash_duo.get_logs()
