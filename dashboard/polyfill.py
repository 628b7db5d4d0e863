"""Dash's @babel/polyfill left out of the page: modern browsers have what it adds.

Dash puts `@babel/polyfill` 7.12.1 (core-js 2, 99 kB) before React on every page. The browsers
the programme uses (Edge, Chrome, Firefox, Safari of the last years) have all of it natively,
yet the polyfill still runs its feature tests and wraps natives at every first visit: about
200 ms of a new browser's CPU on this machine, before anything else (docs/benchmarks.md). The one
thing the renderer and the component libraries do need from it is the `regeneratorRuntime`
global, which their lazy loaders call; `assets/regenerator-runtime.js` (regenerator-runtime
0.14.1, MIT, unchanged) supplies it, at the polyfill's place in the scripts, so before React
and every library.
"""

from __future__ import annotations

import re
from typing import Any

import dash

RUNTIME = "regenerator-runtime.js"  # in assets/, left out of Dash's own asset scripts
IGNORE = re.escape(RUNTIME) + "$"  # Dash's assets_ignore: served, not put on the page by Dash
_POLYFILL = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>')


def install(app: dash.Dash) -> None:
    """Swap the polyfill's script for the regenerator runtime in every page Dash writes."""
    interpolate = app.interpolate_index

    def interpolate_index(**kwargs: Any) -> str:
        kwargs["scripts"] = swap(kwargs["scripts"], app.get_asset_url(RUNTIME))
        return interpolate(**kwargs)

    setattr(app, "interpolate_index", interpolate_index)  # Dash calls self.interpolate_index(**parts)


def swap(scripts: str, runtime_url: str) -> str:
    """The page's script tags with the polyfill's replaced by the runtime's. Without a polyfill
    tag (another Dash) the tags stay as they are: tests/test_polyfill.py says so loudly."""
    return _POLYFILL.sub(lambda _: f'<script src="{runtime_url}"></script>', scripts, count=1)
