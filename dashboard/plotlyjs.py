"""plotly.js in the browser: the cartesian bundle, not the full one.

The pages draw only scatter, bar, box and heatmap traces. plotly.js's cartesian bundle
(`plotly.js-cartesian-dist-min`, MIT, vendored in dashboard/vendor/ at the plotly.js version of
the installed plotly package) holds those and is 1.5 MB against the full bundle's 4.8 MB; a new
browser compiles a third of the code before the first chart draws (docs/benchmarks.md).

Dash's renderer loads plotly.js when the first dcc.Graph mounts, from a fixed address:
`_dash-component-suites/plotly/package_data/plotly.min.js`. The component-suite route answers
that one address with the cartesian bundle and every other one as Dash does. The HTML report
(dashboard/report.py) still inlines plotly.py's full bundle.

To upgrade: `npm pack plotly.js-cartesian-dist-min@<version of plotly.offline.get_plotlyjs_version()>`
and copy its `plotly-cartesian.min.js` here; tests/test_plotlyjs.py fails until the versions agree.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import dash
from flask import Response, request

BUNDLE = Path(__file__).resolve().parent / "vendor" / "plotly-cartesian.min.js"
DASH_PATH = "package_data/plotly.min.js"  # in the package `plotly`, as dash-renderer asks for it
TRACE_TYPES = frozenset({"bar", "box", "contour", "heatmap", "histogram", "histogram2d", "histogram2dcontour",
                         "image", "pie", "scatter", "scatterternary", "violin"})  # the bundle's README


@lru_cache(maxsize=1)
def bundle() -> tuple[bytes, str]:
    """The bundle's bytes and its entity tag."""
    data = BUNDLE.read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:32]


def version() -> str:
    """The plotly.js version in the bundle's licence header ("plotly.js (cartesian - minified) v4.1.1")."""
    head = bundle()[0][:200].decode("ascii", "replace")
    return head.split(" v", 1)[1].split()[0]


def install(app: dash.Dash) -> None:
    """Answer Dash's plotly.js address with the cartesian bundle."""
    server = app.server
    endpoint = next(rule.endpoint for rule in server.url_map.iter_rules()
                    if rule.rule.endswith("_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"))
    dash_view = server.view_functions[endpoint]

    def component_suites(package_name: str, fingerprinted_path: str):
        if package_name != "plotly" or fingerprinted_path != DASH_PATH:
            return dash_view(package_name, fingerprinted_path)
        data, tag = bundle()
        if request.if_none_match.contains(tag):
            response = Response(status=304)
        else:
            response = Response(data, mimetype="text/javascript")
        # The address has no version in it, so the browser asks again each visit (304 when unchanged).
        response.set_etag(tag)
        response.cache_control.no_cache = True
        return response

    server.view_functions[endpoint] = component_suites
