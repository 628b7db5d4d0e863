"""The scripts Dash puts on every page, trimmed: two of them cost a new browser time for nothing.

* Dash's `@babel/polyfill` 7.12.1 (core-js 2, 99 kB) goes before React on every page. The
  browsers the programme uses (Edge, Chrome, Firefox, Safari of the last years) have all of it
  natively, yet it runs its feature tests and wraps natives at every first visit: 170-220 ms of
  a new browser's CPU on this machine, before anything else (docs/benchmarks.md). The one thing
  the renderer and the component libraries need from it is the `regeneratorRuntime` global,
  which their lazy loaders call: `assets/regenerator-runtime.js` (regenerator-runtime 0.14.1,
  MIT, unchanged) takes the polyfill's place, so it still comes before React and every library.
* dash-ag-grid's script (1.3 MB, about 100 ms) goes on every page, while only the Aanleveringen
  page draws a grid. Its tag becomes its address, in a JSON data block (inert, so the
  Content-Security-Policy needs nothing new), and `assets/aggrid-uitgesteld.js` puts a stand-in
  AgGrid in its place that loads the script when dash-renderer first meets a grid.

A tag that is not there (another Dash, another dash-ag-grid) leaves the scripts as they are;
tests/test_pagescripts.py says so loudly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import dash

RUNTIME = "regenerator-runtime.js"  # in assets/, left out of Dash's own asset scripts
IGNORE = re.escape(RUNTIME) + "$"  # Dash's assets_ignore: served, not put on the page by Dash
GRID_ADDRESS_ID = "pm-ag-grid"
_POLYFILL = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>')
_GRID = re.compile(r'<script src="([^"]*/dash_ag_grid/dash_ag_grid\.[^"]*\.js)"></script>')


def install(app: dash.Dash) -> None:
    """Trim the scripts of every page Dash writes."""
    interpolate: Callable[..., str] = app.interpolate_index

    def interpolate_index(**kwargs: Any) -> str:
        kwargs["scripts"] = defer_grid(swap_polyfill(kwargs["scripts"], app.get_asset_url(RUNTIME)))
        return interpolate(**kwargs)

    setattr(app, "interpolate_index", interpolate_index)  # Dash calls self.interpolate_index(**parts)


def swap_polyfill(scripts: str, runtime_url: str) -> str:
    """The page's script tags with the polyfill's replaced by the regenerator runtime's."""
    return _POLYFILL.sub(lambda _: f'<script src="{runtime_url}"></script>', scripts, count=1)


def defer_grid(scripts: str) -> str:
    """The page's script tags with AG Grid's replaced by its address."""
    return _GRID.sub(lambda m: f'<script id="{GRID_ADDRESS_ID}" type="application/json">{json.dumps(m.group(1))}</script>',
                     scripts, count=1)
