"""Clicking through: from a bar, line, cell or table row to the proeftuin or quarter behind it.

A figure's traces get their link targets in `meta.pm_links` (plotly passes `meta` through to the
browser untouched); assets/doorklikken.js reads them on a click and navigates the way dcc.Link
does (history.pushState), so the back button returns to the view the user came from. Which
points stand for a proeftuin or a quarter is read from the figure itself, with one rule for
every page (`link_figure`), so no page has to remember to add links:

1. a trace named after a proeftuin (its line, its bars) leads to that proeftuin;
2. points whose hover data start with a proeftuin's name (one trace holding many proeftuinen,
   such as a tranche's lines or a box of dots) lead to that point's proeftuin;
3. a category axis of proeftuin names or codes (y first, then x: the rows of a heatmap) leads
   to the proeftuin of the bar, row or cell;
4. an x axis of quarters leads to that quarter's view: the same page with van = tot = quarter.

A proeftuin link keeps the period (van/tot) and presentation mode; a quarter link keeps every
filter and toggle of the page. Keyboard users reach the same targets through the table view
(`table_targets`, used by ui.tables.data_table): linked cells where every row is a different proeftuin or quarter, otherwise a
short list of the distinct ones under the table.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import reference
from dashboard.figuredata import Filters

if TYPE_CHECKING:
    from dashboard.ui.view import View

QUARTER = re.compile(r"^20\d\d-Q[1-4]$")
HINT = ("Klik op een balk, lijn, punt of vak om naar die proeftuin of dat kwartaal te gaan; "
        "met het toetsenbord via de links in de tabel.")
# Soft hyphens and zero-width spaces that make long names break on a narrow screen.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b"), None)


def _clean(value: Any) -> str | None:
    return " ".join(value.translate(_INVISIBLE).split()) if isinstance(value, str) else None


def _codes_by_name() -> dict[str, str]:
    return {p.naam: p.code for p in reference.proeftuinen()}


def proeftuin_href(code: str, view: View) -> str:
    """The proeftuin's page for the same period (and presentation mode); other filters do not
    apply to a page about one proeftuin."""
    f = view.filters
    target = dataclasses.replace(view, filters=Filters(van=f.van, tot=f.tot), extra={}, defaults={})
    return target.href(f"/proeftuin/{code}")


def quarter_href(kwartaal: str, view: View) -> str:
    """The current page (a relative '?…' link) with only that quarter, all else kept."""
    return "?" + view.replace(van=kwartaal, tot=kwartaal).to_query()


def _values(values: Any) -> list:
    if values is None:
        return []
    flat: list = []
    for value in values:
        if isinstance(value, (list, tuple)):
            flat.extend(value)
        else:
            flat.append(value)
    return flat


def _axis_links(values: list, view: View, codes: dict[str, str], own: str | None) -> dict[str, str] | None:
    """Links per category of an axis: every category a proeftuin, or every one a quarter."""
    present = [v for v in values if v is not None]
    if not present or not all(isinstance(v, str) for v in present):
        return None
    # A category is a proeftuin's name or, on axes that show names as tick labels, its code,
    # alone or as the start of a row key ('utrecht|Noord': a werkgebied of Utrecht on /tijdlijn).
    code_of = {v: codes.get(_clean(v) or "", v.split("|", 1)[0]) for v in dict.fromkeys(present)}
    if all(code in codes.values() for code in code_of.values()):
        return {v: proeftuin_href(code, view) for v, code in code_of.items() if code != own} or None
    return None


def _quarter_links(values: list, view: View) -> dict[str, str] | None:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, str) and QUARTER.match(v) for v in present):
        return {v: quarter_href(v, view) for v in dict.fromkeys(present)}
    return None


def _point_links(customdata: Any, view: View, codes: dict[str, str], own: str | None) -> list | None:
    """Links per point when each point's hover data starts with a proeftuin's name."""
    if customdata is None:
        return None
    firsts = []
    for item in customdata:
        first = item[0] if isinstance(item, (list, tuple)) and len(item) else item
        firsts.append(_clean(first))
    named = [f for f in firsts if f]
    if not named or not all(f in codes for f in named):
        return None
    return [proeftuin_href(codes[f], view) if f and codes[f] != own else None for f in firsts]


def _trace_links(trace: Any, view: View, codes: dict[str, str], own: str | None) -> dict | None:
    name = _clean(_get(trace, "name"))
    if name in codes and codes[name] != own:
        return {"trace": proeftuin_href(codes[name], view)}
    points = _point_links(_get(trace, "customdata"), view, codes, own)
    if points and any(points):
        return {"points": points}
    for axis in ("y", "x"):
        links = _axis_links(_values(_get(trace, axis)), view, codes, own)
        if links:
            return {axis: links}
    x = _quarter_links(_values(_get(trace, "x")), view)
    return {"x": x} if x else None


def _get(trace: Any, key: str) -> Any:
    return trace.get(key) if isinstance(trace, dict) else getattr(trace, key, None)


def link_figure(fig: go.Figure | dict, view: View, own: str | None = None) -> bool:
    """Add link targets to the figure's traces (see the module docstring); True when any point
    now leads somewhere. `fig`: a plain dict figure (ui.charts.plain_figure) or a go.Figure.
    `own`: the proeftuin the page is about (no link to itself)."""
    codes = _codes_by_name()
    linked = False
    traces = fig["data"] if isinstance(fig, dict) else fig.data
    for i, trace in enumerate(traces):
        links = _trace_links(trace, view, codes, own)
        if not links:
            continue
        linked = True
        if isinstance(fig, dict):  # a new trace dict: a builder may share its dicts
            fig["data"][i] = {**trace, "meta": {"pm_links": links}}
        else:
            trace.meta = {"pm_links": links}
    return linked


# --- the table view: the same targets by keyboard ---------------------------------------------

def _unique(values: Iterable) -> bool:
    present = [v for v in values if isinstance(v, str)]
    return bool(present) and len(present) == len(set(present))


def table_targets(df: pd.DataFrame, view: View, own: str | None = None) -> dict[str, dict[str, str]]:
    """Per linkable column ('proeftuin', 'kwartaal') the href of each value: code -> href."""
    targets: dict[str, dict[str, str]] = {}
    known = reference.proeftuin_codes()
    if "proeftuin" in df.columns:
        codes = [c for c in dict.fromkeys(df["proeftuin"]) if isinstance(c, str) and c in known and c != own]
        if codes:
            targets["proeftuin"] = {c: proeftuin_href(c, view) for c in codes}
    if "kwartaal" in df.columns:
        quarters = [q for q in dict.fromkeys(df["kwartaal"]) if isinstance(q, str) and QUARTER.match(q)]
        if quarters:
            targets["kwartaal"] = {q: quarter_href(q, view) for q in quarters}
    return targets


def linked_columns(df: pd.DataFrame, targets: dict[str, dict[str, str]]) -> set[str]:
    """The columns whose cells become links: each row a different proeftuin or quarter."""
    return {column for column in targets if _unique(df[column])}


def link_list(df: pd.DataFrame, targets: dict[str, dict[str, str]], names: dict[str, str]):
    """Under a table whose rows repeat a proeftuin or quarter: one link per distinct one, so Tab
    passes a few links instead of one per row."""
    items = []
    for column, label in (("proeftuin", "Naar de proeftuin"), ("kwartaal", "Naar het kwartaal")):
        if column not in targets or column in linked_columns(df, targets):
            continue
        links = [dcc.Link(names.get(value, value) if column == "proeftuin" else value, href=href,
                          className="pm-doorklik-link")
                 for value, href in targets[column].items()]
        items.append(html.Li([html.Span(f"{label}: "), *_joined(links)]))
    if not items:
        return None
    return html.Nav(html.Ul(items, className="pm-doorklik-lijst"), className="pm-doorklik",
                    **{"aria-label": "Doorklikken vanuit deze tabel"})


def _joined(links: list) -> list:
    out: list = []
    for i, link in enumerate(links):
        out += ([" · "] if i else []) + [link]
    return out


def proeftuin_link(code: str, text: str, view: View):
    """A proeftuin's name in a table of the pages, leading to its page for the same period."""
    return dcc.Link(text, href=proeftuin_href(code, view), className="pm-doorklik-link")
