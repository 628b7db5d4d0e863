"""AG Grid's script on the page only when a grid is drawn.

Dash puts every component library's script on every page: dash-ag-grid's is 1.3 MB and takes a
new browser about 100 ms to run (docs/benchmarks.md), while only the Aanleveringen page draws a
grid. Its script tag is replaced by its address, in a JSON data block (inert, so the
Content-Security-Policy needs nothing new), and `assets/aggrid-uitgesteld.js` puts a stand-in
AgGrid in its place that loads the script when dash-renderer first meets a grid.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import dash

ADDRESS_ID = "pm-ag-grid"
_GRID = re.compile(r'<script src="([^"]*/dash_ag_grid/dash_ag_grid\.[^"]*\.js)"></script>')


def install(app: dash.Dash) -> None:
    """Defer AG Grid's script in every page Dash writes."""
    interpolate: Callable[..., str] = app.interpolate_index

    def interpolate_index(**kwargs: Any) -> str:
        kwargs["scripts"] = defer(kwargs["scripts"])
        return interpolate(**kwargs)

    setattr(app, "interpolate_index", interpolate_index)  # Dash calls self.interpolate_index(**parts)


def defer(scripts: str) -> str:
    """The page's script tags with AG Grid's replaced by its address. Without it (another
    dash-ag-grid) the tags stay as they are: tests/test_gridjs.py says so loudly."""
    return _GRID.sub(lambda m: f'<script id="{ADDRESS_ID}" type="application/json">{json.dumps(m.group(1))}</script>',
                     scripts, count=1)
