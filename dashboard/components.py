"""Shared page parts: the view in the URL, the filter bar, figure cards, KPI cards.

Every page builds its figures server-side from the query string, so a copied link reproduces
the view and the browser's back button returns to the previous one. The only callbacks are the
shared ones below (`register_callbacks`, called once by `create_app`): filter controls -> new
URL, and the one download callback of the whole app.

Usage in a page module (layout only, no SQL, no callbacks needed)::

    import dash
    from dashboard.components import (View, figure_card, filter_bar, param_radio, page_header,
                                      sum_basis, view_from_query)

    EXTRA = {"tijd": ("leeftijd", "kalender")}   # page toggles: allowed values, first = default
    dash.register_page(__name__, path="/tranches", name="Tranches", order=1,
                       title="Tranches · Proeftuinmonitor", view_extra=EXTRA)

    def layout(**query):
        view = view_from_query(query, EXTRA)
        toggle = param_radio("tijd", "Tijdas", [("leeftijd", "Maanden sinds start"),
                                                ("kalender", "Kalendertijd")], view)
        return html.Div([
            page_header("Tranches", "Tranche 1 naast tranche 2.", view),
            filter_bar(view, controls=[toggle]),          # None in presentation mode
            figure_card("instroom-per-kwartaal", view, build_my_figure,
                        basis=sum_basis("aangemeld", "aangemelde casussen")),
        ])

    def build_my_figure(fd: FigureData) -> go.Figure:   # or any Dash component (a table)
        ...                                              # fd.df may hold '<5' strings and None

`figure_card` fetches the data through `figuredata.figure_data` (protection applied there;
always protected in presentation mode), and renders title, one-line definition with its basis,
link to `/definities#<figure-id>`, protection note, CSV download, the graph as a <figure> (Dutch
locale, no plotly modebar, an aria-label), PNG and SVG buttons named
`<figure>_<filters>_peildatum-<date>` and a table of the same data for screen readers. Pass
`filters=` when a card shows other filters than the URL's (e.g. one tranche of a side-by-side
pair) and `key=` when the same figure appears twice on a page. Page toggles are controls with
`id=param_id(name)` (or `param_radio`); their value goes into the URL as `name=value`.

`register_page` keys read here: `order` (navigation order), `nav=False` (leave out of the
navigation), `view_extra` (the page's toggles, as passed to `view_from_query`).

More parts:
- `kpi_cards(view, filters=None, figure_id="kpi-programma", compare=True, key=None)`: KPI cards
  with the change against the previous quarter (two figure_data calls: tot = latest quarter
  and tot = the quarter before). For one tranche side by side: `filters=view.filters` with
  another tranche and `key="t1"`.
- A page with a path variable, e.g. `/proeftuin/<code>`: `def layout(code=None, **query)`, then
  `figure_card(..., filters=dataclasses.replace(view.filters, proeftuinen=(code,)))`.
- `card_data(figure_id, view, filters=None)` -> FigureData, when a page needs the numbers
  themselves (pass it on with `figure_card(..., data=fd)` to avoid a second query).
- `data_table(df, columns)`, `shown(v)`, `format_cell(v)`: Dutch formatting, '<5' as is, '–'.
- `quarter_axis(kwartalen)`: a category x-axis of quarters, readable on a shared screen.
- `empty_figure(text)`: the figure for a selection without data; `numbers(series)`: values to
  draw ('<5' and None become NaN).
- `end_labels(ends, ...)`: direct labels at the ends of lines (no legend to match colours with).
- `scroll_region(table, label)`: a wide table in its own focusable, named scroll area;
  `figure_card(..., min_width=960)` does the same for a tile grid that must not squeeze.
- Colours, marks and labels of tranches, proeftuinen and statuses: dashboard/style.py only.
- `quarters()` (all quarters in the data), `latest_quarter(view)`, `previous_quarter(q)`.
- Figures: plain `go.Figure()`; create_app makes the dashboard's template plotly's default
  (naming it in update_layout costs ~20 ms a figure). Presentation mode enlarges the type.
- Slides: add `(title, page_builder("<page module>", "<function(view)>"))` to SLIDES in
  dashboard/pages/presentatie.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import dash
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import ALL, MATCH, Input, Output, State, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate
from flask import current_app, g

from dashboard import reference, registry, security
from dashboard.csvout import download_filename, to_csv_bytes
from dashboard.figuredata import FigureData, Filters, NoData, figure_data, snapshot_info
from dashboard.stamp import card_stamp
from dashboard.style import breakable, format_date_nl, format_nl, format_percent_nl
from dashboard.xlsxout import to_xlsx_bytes, xlsx_filename

FILTER_PARAMS = ("tranche", "proeftuinen", "van", "tot")
PRESENTATIE = "presentatie"
RESERVED = (*FILTER_PARAMS, PRESENTATIE)
PARAM = "pm-param"
ALLE = "alle"
PERCENT_UNITS = ("%", "procent", "percentage")
_QUARTER_RE = re.compile(r"^(20\d\d)-Q([1-4])$")
_MAX_VALUE = 2000  # longer query values are ill-formed by definition

# No plotly modebar: its buttons were seven unlabelled tab stops per chart inside the figure,
# partly English, and one sent the chart to Plotly's cloud. Each card has its own labelled
# image buttons instead (`image_buttons`, assets/figuren.js); the cloud links are off as well,
# should a figure ever turn the modebar back on.
GRAPH_CONFIG = {
    "locale": "nl",
    "displayModeBar": False,
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
}

# Dash 4's dropdown speaks English unless told otherwise.
DROPDOWN_LABELS = {
    "select_all": "Alles kiezen",
    "deselect_all": "Niets kiezen",
    "selected_count": "{num_selected} gekozen",
    "search": "Zoeken",
    "clear_search": "Zoekterm wissen",
    "clear_selection": "Keuze wissen",
    "no_options_found": "Niets gevonden",
}

# Presentation mode: a shared screen at 1280x720 read from across a meeting room.
PRESENTATION_FONT = 20
PRESENTATION_TICK_FONT = 18
END_LABEL = "pm-eindlabel"  # the name of a direct label at a line's end (end_labels)


# --- the view in the URL ---------------------------------------------------------------------

@dataclass(frozen=True)
class View:
    """Everything that decides what a page shows: filters, page toggles, presentation mode."""

    filters: Filters = Filters()
    extra: Mapping[str, str] = field(default_factory=dict)  # every declared toggle -> its value
    presentatie: bool = False
    defaults: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def to_query(self) -> str:
        """The canonical query string (no '?'): filters, non-default toggles, presentatie."""
        f = self.filters
        parts = []
        if f.tranche:
            parts.append(f"tranche={f.tranche}")
        if f.proeftuinen:
            parts.append("proeftuinen=" + ",".join(f.proeftuinen))
        if f.van:
            parts.append(f"van={f.van}")
        if f.tot:
            parts.append(f"tot={f.tot}")
        for name in sorted(self.extra):
            if self.extra[name] != self.defaults.get(name):
                parts.append(f"{name}={quote(self.extra[name], safe='')}")
        if self.presentatie:
            parts.append(f"{PRESENTATIE}=1")
        return "&".join(parts)

    @property
    def search(self) -> str:
        """`to_query` as a URL search part: '?…', or '' for the default view."""
        query = self.to_query()
        return f"?{query}" if query else ""

    def href(self, path: str) -> str:
        return path + self.search

    def replace(self, **changes) -> View:
        """A copy with other filter values (tranche=, van=, …) or extra=/presentatie=."""
        filter_changes = {k: v for k, v in changes.items() if k in FILTER_PARAMS}
        view_changes = {k: v for k, v in changes.items() if k not in FILTER_PARAMS}
        filters = dataclasses.replace(self.filters, **filter_changes)
        return dataclasses.replace(self, filters=filters, **view_changes)


def parse_search(search: str | None) -> dict[str, str | list[str]]:
    """'?a=1&b=2&b=3' -> {'a': '1', 'b': ['2', '3']}: the way Dash passes query args to layout()."""
    if not search:
        return {}
    parsed = parse_qs(search.lstrip("?"), keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def _single(value) -> str | None:
    """One well-formed scalar query value, else None (repeated or overlong values are ignored)."""
    if not isinstance(value, str) or len(value) > _MAX_VALUE:
        return None
    return value.strip()


def _quarter(value) -> str | None:
    text = _single(value)
    if not text:
        return None
    text = text.upper()
    return text if _QUARTER_RE.match(text) else None


def _proeftuinen(value, tranche: int | None) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    known = {p.code for p in reference.proeftuinen() if not tranche or p.tranche == tranche}
    codes = set()
    for item in items:
        if isinstance(item, str) and len(item) <= _MAX_VALUE:
            codes.update(c.strip().lower() for c in item.split(",") if c.strip().lower() in known)
    return tuple(sorted(codes))


def view_from_query(query: Mapping[str, Any], extra: Mapping[str, Sequence[str]] | None = None) -> View:
    """Parse and validate query args (Dash's `layout(**kwargs)` or `parse_search`).

    `extra` declares the page's toggles: name -> allowed values, the first being the default.
    Anything unknown or ill-formed is dropped, never passed on to a query: a tranche other
    than 1 or 2 means both, unknown proeftuin codes (and those outside the chosen tranche) are
    left out, a quarter must look like 2024-Q2 (a from-quarter after the to-quarter is read as
    swapped), a toggle outside its allowed values falls back to its default.
    """
    extra = dict(extra or {})
    clash = set(extra) & set(RESERVED)
    if clash:
        raise ValueError(f"page toggles may not reuse the names {sorted(clash)}")
    tranche = _single(query.get("tranche"))
    van, tot = _quarter(query.get("van")), _quarter(query.get("tot"))
    if van and tot and van > tot:
        van, tot = tot, van
    tranche = int(tranche) if tranche in ("1", "2") else None
    filters = Filters(
        tranche=tranche,
        proeftuinen=_proeftuinen(query.get("proeftuinen"), tranche),
        van=van,
        tot=tot,
    )
    values, defaults = {}, {}
    for name, allowed in extra.items():
        allowed = [str(a) for a in allowed]
        given = _single(query.get(name))
        defaults[name] = allowed[0]
        values[name] = given if given in allowed else allowed[0]
    return View(filters=filters, extra=values, presentatie=_single(query.get(PRESENTATIE)) == "1",
                defaults=defaults)


def param_id(name: str) -> dict:
    """The id of a control whose value goes into the URL as `name=value`."""
    return {"type": PARAM, "name": name}


def _page_for(pathname: str | None) -> dict:
    """The registered page of a pathname ('/proeftuin/zeeland' matches '/proeftuin/<code>')."""
    parts = (pathname or "/").rstrip("/").split("/") or [""]
    for page in dash.page_registry.values():
        template = (page.get("path_template") or page["path"]).rstrip("/").split("/")
        if len(template) == len(parts) and all(
            t == p or (t.startswith("<") and t.endswith(">")) for t, p in zip(template, parts)
        ):
            return page
    return {}


def _query_value(value) -> str | None:
    """A control's value as it goes into the URL; None removes the parameter."""
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def search_for_controls(names: Sequence[str], values: Sequence, pathname: str | None,
                        search: str | None) -> str:
    """The new URL search after the filter controls changed; the view is re-validated."""
    query = parse_search(search)
    for name, value in zip(names, values):
        shown = _query_value(value)
        if shown is None or (name == "tranche" and shown == ALLE):
            query.pop(name, None)
        else:
            query[name] = shown
    return view_from_query(query, _page_for(pathname).get("view_extra")).search


# --- data access ----------------------------------------------------------------------------

def data_dir() -> Path:
    return current_app.config["MONITOR_DATA_DIR"]


def quarters() -> list[str]:
    """All quarters in the data ('2021-Q4' … ); empty when nothing is loaded yet.

    Read once per request: a page asks for them in several places.
    """
    if "pm_kwartalen" not in g:
        try:
            g.pm_kwartalen = snapshot_info(data_dir()).kwartalen
        except NoData:
            g.pm_kwartalen = []
    return g.pm_kwartalen


def previous_quarter(kwartaal: str) -> str:
    jaar, q = int(kwartaal[:4]), int(kwartaal[-1])
    return f"{jaar - 1}-Q4" if q == 1 else f"{jaar}-Q{q - 1}"


def latest_quarter(view: View, kwartalen: Sequence[str] | None = None) -> str | None:
    """The quarter the view ends in: its to-quarter, else the last quarter in the data."""
    kwartalen = quarters() if kwartalen is None else kwartalen
    return view.filters.tot or (kwartalen[-1] if kwartalen else None)


def effective_filters(figure_id: str, filters: Filters) -> Filters:
    """The filters the figure's query really takes: a period on a figure without one is dropped,
    so the file name never claims a filter that was not applied."""
    params = registry.get(figure_id).parameters
    return Filters(
        tranche=filters.tranche if "tranche" in params else None,
        proeftuinen=filters.proeftuinen if "proeftuinen" in params else (),
        van=filters.van if "van" in params else None,
        tot=filters.tot if "tot" in params else None,
    )


def card_data(figure_id: str, view: View, filters: Filters | None = None) -> FigureData:
    """The figure's data for this view; presentation mode always protects small numbers."""
    filters = effective_filters(figure_id, filters if filters is not None else view.filters)
    return figure_data(figure_id, filters, data_dir=data_dir(), always_protect=view.presentatie)


# --- formatting -----------------------------------------------------------------------------

def shown(value, decimals: int = 0) -> str:
    """A cell as shown: Dutch digits, '<5' unchanged, None/NaN as '–'."""
    if isinstance(value, str):
        return value
    return format_nl(value, decimals)


def format_cell(value) -> str:
    """A table cell the Dutch way: 1.234 · 63,4 · 0,125 · dd-mm-jjjj · ja/nee · '<5' · '–'."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (dt.date, pd.Timestamp)):
        return format_date_nl(value)
    try:
        if pd.isna(value):
            return "–"
    except (TypeError, ValueError):
        return str(value)
    if isinstance(value, float) and not value.is_integer():
        return format_nl(value, 3).rstrip("0").rstrip(",")
    try:
        return format_nl(value, 0)
    except (TypeError, ValueError):
        return str(value)


def first_sentence(text: str) -> str:
    """The one-line definition: the registry definition up to its first full stop."""
    m = re.search(r"\.(\s|$)", text)
    return text[: m.start() + 1] if m else text


def sum_basis(column: str, noun: str = "casussen") -> Callable[[FigureData], str | None]:
    """A `basis` for figure_card: the sum of a count column, e.g. '1.234 aangemelde casussen'.

    Hidden cells ('<5') are left out of the sum, which then reads 'minstens …'.
    """
    def basis(fd: FigureData) -> str | None:
        if fd.df.empty or column not in fd.df.columns:
            return None
        values = fd.df[column]
        numbers = pd.to_numeric(values, errors="coerce")
        prefix = "minstens " if values.map(lambda v: isinstance(v, str)).any() else ""
        return f"{prefix}{format_nl(numbers.sum())} {noun}"

    return basis


def proeftuin_names() -> dict[str, str]:
    return {p.code: p.naam for p in reference.proeftuinen()}


# --- filter bar -----------------------------------------------------------------------------

def _labelled(label: str, control_id: str, control, *, group: bool = False):
    if group:
        return html.Div(
            [html.Span(label, className="pm-filter-label", id=f"{control_id}-label"), control],
            className="pm-filter", role="radiogroup", **{"aria-labelledby": f"{control_id}-label"},
        )
    return html.Div(
        [html.Label(label, htmlFor=control_id, className="pm-filter-label"), control],
        className="pm-filter",
    )


def param_radio(name: str, label: str, options: Sequence[tuple[str, str]], view: View):
    """Radio buttons for a page toggle (declared in the page's `view_extra`)."""
    return _labelled(
        label, f"filter-{name}",
        dbc.RadioItems(
            id=param_id(name), class_name="pm-radios", inline=True,
            options=[{"label": text, "value": value} for value, text in options],
            value=view.extra.get(name),
        ),
        group=True,
    )


def filter_bar(view: View, *, kwartalen: Sequence[str] | None = None, proeftuinen: bool = True,
               periode: bool = True, controls: Sequence = ()):
    """Tranche, proeftuinen, from/to quarter and the page's own `controls`.

    None in presentation mode. Every control carries `param_id(name)`; one shared callback
    turns a change into a new URL, and the page is rebuilt from it.
    """
    if view.presentatie:
        return None
    f = view.filters
    items = [
        _labelled(
            "Tranche", "filter-tranche",
            dbc.RadioItems(
                id=param_id("tranche"), class_name="pm-radios", inline=True,
                options=[{"label": "Alle", "value": ALLE}, {"label": "Tranche 1", "value": "1"},
                         {"label": "Tranche 2", "value": "2"}],
                value=str(f.tranche) if f.tranche else ALLE,
            ),
            group=True,
        )
    ]
    if proeftuinen:
        # Sent when the list closes: choosing three proeftuinen is one new view, not three.
        items.append(_labelled(
            "Proeftuinen", "filter-proeftuinen",
            dcc.Dropdown(
                id=param_id("proeftuinen"), multi=True, value=list(f.proeftuinen),
                options=[{"label": p.naam, "value": p.code} for p in reference.proeftuinen()
                         if not f.tranche or p.tranche == f.tranche],
                placeholder="Alle proeftuinen", className="pm-filter-proeftuinen",
                closeOnSelect=False, debounce=True, labels=DROPDOWN_LABELS,
            ),
        ))
    if periode:
        kwartalen = quarters() if kwartalen is None else list(kwartalen)
        options = [{"label": k, "value": k} for k in kwartalen]
        for name, label, placeholder in (("van", "Van kwartaal", "Eerste"),
                                         ("tot", "Tot en met kwartaal", "Laatste")):
            items.append(_labelled(
                label, f"filter-{name}",
                dcc.Dropdown(id=param_id(name), options=options, value=getattr(f, name),
                             placeholder=placeholder, searchable=False, labels=DROPDOWN_LABELS,
                             className="pm-filter-kwartaal"),
            ))
    items.extend(controls)
    return html.Div(items, className="pm-filters", role="search", **{"aria-label": "Filters"})


def page_header(title: str, lead: str | None, view: View):
    """The page heading and its lead text (the lead is left out in presentation mode)."""
    parts = [html.H1(title)]
    if lead and not view.presentatie:
        parts.append(html.P(lead, className="pm-lead"))
    return html.Div(parts, className="pm-page-head")


def no_data_message():
    return dbc.Alert(
        "Er zijn nog geen gegevens ingelezen. Zodra de eerste aanlevering is verwerkt, "
        "verschijnen hier de cijfers.",
        color="info", id="geen-gegevens",
    )


# --- figure cards ---------------------------------------------------------------------------

def presentation_style(fig: go.Figure) -> go.Figure:
    """Larger type for a shared screen: body 20 px, axis ticks and titles at least 18 px."""
    fig.update_layout(
        font={"size": PRESENTATION_FONT},
        legend={"font": {"size": PRESENTATION_FONT}},
        hoverlabel={"font": {"size": PRESENTATION_TICK_FONT}},
    )
    axis = {"tickfont": {"size": PRESENTATION_TICK_FONT}, "title": {"font": {"size": PRESENTATION_FONT}}}
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    # Line-end labels keep their size: they are spaced for it (end_labels).
    fig.update_annotations(font_size=PRESENTATION_FONT, selector=lambda a: a.name != END_LABEL)
    return fig


def quarter_axis(kwartalen: list[str]) -> dict:
    """A category axis of quarters; beyond eight quarters only each year's Q1 is labelled
    ('Q1 2024'), which stays readable at 18 px on a shared screen. The hover names every quarter."""
    ticks = [k for k in kwartalen if k.endswith("Q1")] if len(kwartalen) > 8 else kwartalen
    return {"type": "category", "categoryorder": "array", "categoryarray": kwartalen,
            "tickmode": "array", "tickvals": ticks,
            "ticktext": [f"{k[-2:]} {k[:4]}" for k in ticks], "tickangle": 0}


def end_labels(ends: Sequence[tuple[float, float, str, str]], *, y_range: tuple[float, float], plot_px: int,
               font_size: int = 13, xref: str = "x", yref: str = "y") -> list[dict]:
    """Direct labels at the ends of lines, so a line is known without hovering or a legend.

    `ends` holds (x, y, text, colour) of each line's last point. Labels closer than one line of
    text are pushed apart (in order of y), within the y range; `plot_px` is the plot's height
    in pixels, to turn a line of text into data units.
    """
    low, high = y_range
    gap = (high - low) * (font_size * 1.25) / max(plot_px, 1)
    placed = []
    for x, y, text, colour in sorted(ends, key=lambda e: e[1]):
        y = max(y, placed[-1][1] + gap) if placed else y
        placed.append([x, y, text, colour])
    overshoot = placed[-1][1] - high if placed else 0
    if overshoot > 0:  # pushed above the top: shift down, then push apart from the top
        for item in reversed(placed):
            item[1] = min(item[1] - overshoot, high if item is placed[-1] else item[1])
        for i in range(len(placed) - 2, -1, -1):
            placed[i][1] = min(placed[i][1], placed[i + 1][1] - gap)
    return [{"x": x, "y": y, "xref": xref, "yref": yref, "text": text, "showarrow": False, "xanchor": "left",
             "xshift": 6, "font": {"size": font_size, "color": colour}, "name": END_LABEL}
            for x, y, text, colour in placed]


NO_DATA = "Geen gegevens voor deze selectie"


def empty_figure(text: str = NO_DATA) -> go.Figure:
    """The figure for a selection without data: the text in the middle, no axes."""
    fig = go.Figure()
    fig.add_annotation(text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 16})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def numbers(values: pd.Series) -> pd.Series:
    """Numbers to draw; a protected cell ('<5', 'x') or None becomes NaN and draws nothing."""
    return pd.to_numeric(values.map(lambda v: None if isinstance(v, str) else v), errors="coerce")


def graph_config(image_name: str) -> dict:
    return {**GRAPH_CONFIG, "toImageButtonOptions": {"format": "png", "filename": image_name, "scale": 2}}


def image_name(figure_id: str, filters: Filters) -> str:
    """'<figure-id>_<filters>_peildatum-<jjjj-mm-dd>': what the picture shows and of which data."""
    try:
        peildatum = snapshot_info(data_dir()).peildatum
    except NoData:
        peildatum = None
    return f"{figure_id}_{filters.slug()}" + (f"_peildatum-{peildatum.isoformat()}" if peildatum else "")


def image_buttons(graph_id: str, name: str, title: str):
    """Download the drawn chart as PNG or SVG (assets/figuren.js calls Plotly.downloadImage)."""
    return html.Div([
        html.Button(
            f"Afbeelding ({fmt.upper()})", type="button", className="btn btn-outline-primary btn-sm pm-image-knop",
            title=f"{title} als {fmt.upper()}-afbeelding",
            **{"data-pm-graph": graph_id, "data-pm-format": fmt, "data-pm-name": name},
        )
        for fmt in ("png", "svg")
    ], className="pm-image-knoppen", role="group", **{"aria-label": f"{title} downloaden als afbeelding"})


def data_table(df: pd.DataFrame, columns: Mapping[str, str] | None = None, *, caption: str | None = None,
               class_name: str = "pm-table"):
    """A table of figure data: Dutch numbers, '<5' as is, None as '–', proeftuin names.

    Written as one Markdown table (dcc.Markdown draws a real <table> with <th> headers, numeric
    columns right-aligned) rather than a Dash component per cell: a page's table views had some
    2,000 cells, which cost more server time than everything else on the page together.
    """
    if not columns:  # a code with its label next to it: the label only
        columns = {c: c.replace("_", " ").capitalize() for c in df.columns
                   if not (c == "kpi" and "titel" in df.columns)}
    columns = dict(columns)
    names = proeftuin_names()

    def cell(column, value) -> str:
        if column == "proeftuin" and isinstance(value, str):
            value = names.get(value, value)
        elif isinstance(value, str) and _CODE.fullmatch(value):
            value = value.replace("_", " ")  # op_tijd -> op tijd
        else:
            value = format_cell(value)
        return _MARKDOWN_SPECIAL.sub(r"\\\g<0>", " ".join(str(value).split())) or " "

    numeric = {c for c in columns if c in df.columns and c != "proeftuin" and _numeric(df[c])}
    lines = ["| " + " | ".join(cell(None, label) for label in columns.values()) + " |",
             "| " + " | ".join("---:" if c in numeric else "---" for c in columns) + " |"]
    lines += ["| " + " | ".join(cell(c, row[c]) for c in columns) + " |"
              for row in df[list(columns)].to_dict("records")]
    parts = [html.P(caption, className="pm-table-caption")] if caption else []
    parts.append(dcc.Markdown("\n".join(lines), className="pm-table-body"))
    return html.Div(parts, className=class_name)


def scroll_region(table, label: str):
    """A wide table in its own horizontal scroll area, so the page itself never scrolls sideways
    (WCAG 1.4.10). The area takes the focus and has a name, so a keyboard user can scroll it too."""
    return html.Div(table, className="table-responsive pm-scroll", tabIndex=0, role="region",
                    **{"aria-label": label})


def _numeric(values: pd.Series) -> bool:
    """Numbers, '<5' marks and blanks only (a protected count column is of dtype object)."""
    if pd.api.types.is_bool_dtype(values):
        return False
    if pd.api.types.is_numeric_dtype(values):
        return True
    seen = [v for v in values if v is not None and not (isinstance(v, float) and pd.isna(v))]
    return bool(seen) and all((isinstance(v, (int, float)) and not isinstance(v, bool))
                              or (isinstance(v, str) and v.startswith("<")) for v in seen)


_CODE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
# Inside a table cell only these start Markdown (emphasis, code, links, HTML, entities, strike,
# a cell border); escaped, a name or '<5' shows as written.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>&~|]")


def download_button(figure_id: str, filters: Filters, key: str):
    query = View(filters=filters).to_query()
    ident = {"kaart": key, "figuur": figure_id, "filters": query}
    return html.Div([
        dbc.Button(
            "Download data (CSV)", id={"type": "pm-download-knop", **ident},
            color="primary", outline=True, size="sm", class_name="pm-download",
            title="De gegevens achter deze figuur, met de gekozen filters, als CSV voor Excel",
        ),
        dcc.Download(id={"type": "pm-download", **ident}),
        dbc.Button(
            "Download Excel", id={"type": "pm-download-xlsx-knop", **ident},
            color="primary", outline=True, size="sm", class_name="pm-download pm-download-xlsx",
            title="Dezelfde gegevens als Excel-bestand, met titel, filters, peildatum en een blad Toelichting",
        ),
        dcc.Download(id={"type": "pm-download-xlsx", **ident}),
    ], className="pm-downloads")


def figure_card(
    figure_id: str,
    view: View,
    build: Callable[[FigureData], Any],
    *,
    filters: Filters | None = None,
    key: str | None = None,
    title: str | None = None,
    description: str | None = None,
    basis: str | Callable[[FigureData], str | None] | None = None,
    table_columns: Mapping[str, str] | None = None,
    height: int = 400,
    min_width: int | None = None,
    data: FigureData | None = None,
):
    """One figure with everything the issue asks of a figure; see the module docstring.

    build(fd) returns a go.Figure (drawn as a graph, with a table view for screen readers) or a
    Dash component (shown as is, e.g. a table). `basis` completes 'Gebaseerd op …'. `data`
    passes figure data already fetched with card_data (to avoid a second query). `min_width`
    (px): below it the graph scrolls sideways in its own area instead of squeezing.
    """
    card_id = f"kaart-{figure_id}" + (f"-{key}" if key else "")
    try:
        fd = data if data is not None else card_data(figure_id, view, filters)
    except security.NotForRole:
        # A role that may not see this figure sees the rest of the page, and says so here.
        return html.Section(
            [html.H2(title or registry.get(figure_id).titel),
             html.P("Deze figuur is voor uw rol niet beschikbaar.", className="pm-definition")],
            id=card_id, className="pm-section pm-card", **{"data-figuur": figure_id})
    heading_id = f"{card_id}-kop"
    title = title or fd.indicator.titel
    description = description or first_sentence(fd.indicator.definitie)
    basis_text = basis(fd) if callable(basis) else basis
    built = build(fd)
    name = image_name(figure_id, fd.filters)

    foot = []
    if isinstance(built, go.Figure):
        if view.presentatie:
            presentation_style(built)
        graph = dcc.Graph(
            id=f"{card_id}-grafiek", figure=built, config=graph_config(name),
            style={"height": f"{height}px"} if not view.presentatie else None,
            className="pm-graph",
        )
        if min_width and not view.presentatie:
            # A grid of tiles needs its width to stay legible: below it, it scrolls in its own area
            # (a two-dimensional figure is exempt from reflow), never the page.
            graph = scroll_region(html.Div(graph, style={"minWidth": f"{min_width}px"}), title)
        # A <figure>, not role="img": an image role may not hold the chart's interactive parts.
        body = html.Figure(graph, className="pm-figure", **{"aria-label": f"{title}. {description}"})
        if not view.presentatie:  # the foot is not shown in presentation mode
            foot.append(html.Details(
                [html.Summary("Tabel"), data_table(fd.df, table_columns, caption=title)],
                className="pm-table-details",
            ))
            foot.append(image_buttons(f"{card_id}-grafiek", image_name(figure_id, fd.filters), title))
    else:
        body = html.Div(built, className="pm-card-body")
    if not view.presentatie:
        foot.append(download_button(figure_id, fd.filters, card_id))

    about = [description]
    if basis_text:
        # A basis added up from rounded counts is itself approximate.
        if fd.threshold and fd.indicator.protection.rounded:
            # Two totals of the same cases on one screen may differ by the rounding: say so here.
            about.append(f" Gebaseerd op ongeveer {basis_text} (afgerond op {fd.threshold}-tallen; daardoor kan "
                         "het enkele casussen afwijken van een exact totaal elders).")
        else:
            about.append(f" Gebaseerd op {basis_text}.")
    if not view.presentatie:
        about += [" ", html.A("Definitie", href=f"/definities#{figure_id}", className="pm-definition-link",
                              **{"aria-label": f"Definitie van {title}"})]
    parts = [html.H2(title, id=heading_id), html.P(about, className="pm-definition pm-definition-top"), body]
    if foot and not view.presentatie:
        parts.append(html.Div(foot, className="pm-card-foot"))
    if fd.threshold:
        parts.append(html.P(fd.note, className="pm-protection-note"))
    parts.append(card_stamp(fd.filters, data_dir()))  # on paper: of which data (assets/print.css)
    return html.Section(parts, id=card_id, className="pm-section pm-card",
                        **{"aria-labelledby": heading_id, "data-figuur": figure_id})


# --- KPI cards ------------------------------------------------------------------------------

KPI_FIGURE = "kpi-programma"


def _kpi_value(value, eenheid: str) -> str:
    if isinstance(value, str):
        return value
    if eenheid in PERCENT_UNITS:
        return format_percent_nl(value, 1)
    return format_nl(value, 0)


def _is_number(value) -> bool:
    return value is not None and not isinstance(value, str) and not pd.isna(value)


def change_text(current, previous, previous_label: str, eenheid: str = "%") -> str | None:
    """'+1,2 pp t.o.v. 2026-Q2' (percentage points for percentages); None when not computable."""
    if not (_is_number(current) and _is_number(previous)):
        return None
    diff = round(float(current) - float(previous), 1)
    unit = "pp" if eenheid in PERCENT_UNITS else eenheid
    if diff == 0:
        return f"±0,0 {unit} t.o.v. {previous_label}"
    sign = "+" if diff > 0 else "−"
    return f"{sign}{format_nl(abs(diff), 1)} {unit} t.o.v. {previous_label}"


KPI_DESCRIPTION = ("Elf kerncijfers over de gekozen proeftuinen samen (teller en noemer opgeteld), over de "
                   "casussen die in de gekozen periode zijn aangemeld.")


def kpi_cards(view: View, *, filters: Filters | None = None, figure_id: str = KPI_FIGURE,
              compare: bool = True, key: str | None = None, title: str = "Kerncijfers",
              description: str | None = KPI_DESCRIPTION):
    """The KPI figure as cards (value, teller van noemer, change against the previous quarter).

    The change compares the KPI over the cases registered up to the view's latest quarter with
    the same KPI up to the quarter before it; both come from figure_data.
    """
    filters = filters if filters is not None else view.filters
    current = card_data(figure_id, view, filters)
    previous, previous_label = None, None
    latest = latest_quarter(view)
    if compare and latest and "tot" in current.indicator.parameters:
        previous_label = previous_quarter(latest)
        if not filters.van or filters.van <= previous_label:
            previous = card_data(figure_id, view, dataclasses.replace(filters, tot=previous_label))
    before = ({row["kpi"]: row["waarde"] for row in previous.df.to_dict("records")}
              if previous is not None else {})
    eenheid = current.indicator.eenheid

    def build(fd: FigureData):
        if fd.df.empty:
            return dbc.Alert("Geen gegevens voor deze selectie.", color="light")
        cards = []
        for row in fd.df.to_dict("records"):
            detail = ""
            if _is_number(row.get("noemer")) or isinstance(row.get("noemer"), str):
                detail = f"{shown(row['teller'])} van {shown(row['noemer'])}"
            change = change_text(row["waarde"], before.get(row["kpi"]), previous_label, eenheid) \
                if previous_label else None
            cards.append(dbc.Col(dbc.Card(dbc.CardBody([
                html.Div(breakable(row["titel"]), className="pm-kpi-title"),
                html.Div(_kpi_value(row["waarde"], eenheid), className="pm-kpi-value"),
                html.Div(detail, className="pm-kpi-detail"),
                html.Div(change or "", className="pm-kpi-change",
                         title=(f"Verschil met de waarde over de casussen aangemeld t/m {previous_label}"
                                if change else None)),
            ]), class_name="pm-kpi", id={"type": "kpi-kaart", "kpi": row["kpi"], "kaart": key or ""})))
        gutter = "g-2" if view.presentatie else "g-3"
        return dbc.Row(cards, class_name=f"{gutter} row-cols-1 row-cols-sm-2 row-cols-md-3 row-cols-lg-4")

    def basis(fd: FigureData) -> str | None:
        noemers = pd.to_numeric(fd.df.get("noemer", pd.Series(dtype=float)), errors="coerce")
        return f"{format_nl(noemers.max())} casussen" if noemers.notna().any() else None

    return figure_card(figure_id, view, build, filters=filters, key=key, title=title, basis=basis,
                       description=description, data=current)


# --- callbacks ------------------------------------------------------------------------------

def register_callbacks(app: dash.Dash) -> None:
    """The app's shared callbacks: filter controls -> URL, and the one download callback."""

    @app.callback(
        Output("url", "search"),
        Input(param_id(ALL), "value"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def controls_to_url(values, pathname, search):
        names = [item["id"]["name"] for item in ctx.inputs_list[0]]
        new = search_for_controls(names, values, pathname, search)
        return no_update if new == (search or "") else new

    @app.callback(
        Output({"type": "pm-download", "kaart": MATCH, "figuur": MATCH, "filters": MATCH}, "data"),
        Input({"type": "pm-download-knop", "kaart": MATCH, "figuur": MATCH, "filters": MATCH}, "n_clicks"),
        prevent_initial_call=True,
    )
    def download(n_clicks):
        figure_id, filters, data = _requested_download(n_clicks, "csv")
        return dcc.send_bytes(to_csv_bytes(data.df), download_filename(figure_id, filters, dt.date.today()),
                              type="text/csv")

    @app.callback(
        Output({"type": "pm-download-xlsx", "kaart": MATCH, "figuur": MATCH, "filters": MATCH}, "data"),
        Input({"type": "pm-download-xlsx-knop", "kaart": MATCH, "figuur": MATCH, "filters": MATCH}, "n_clicks"),
        prevent_initial_call=True,
    )
    def download_xlsx(n_clicks):
        figure_id, filters, data = _requested_download(n_clicks, "xlsx")
        name = xlsx_filename(download_filename(figure_id, filters, dt.date.today()))
        return dcc.send_bytes(to_xlsx_bytes(data, snapshot_info(data_dir()).peildatum), name,
                              type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _requested_download(n_clicks, formaat: str) -> tuple[str, Filters, FigureData]:
    """The figure, filters and data a download button asks for, recorded in the audit log first
    (security.record_download refuses the steering group and an unrecordable download)."""
    if not n_clicks:
        raise PreventUpdate
    figure_id = ctx.triggered_id["figuur"]
    try:
        registry.get(figure_id)
    except registry.RegistryError:
        raise PreventUpdate from None
    # The button carries the filters its card was drawn with: the file is what the card shows.
    filters = effective_filters(figure_id, view_from_query(parse_search(ctx.triggered_id["filters"])).filters)
    data = figure_data(figure_id, filters, data_dir=data_dir())
    security.record_download(figure_id, filters=View(filters=filters).to_query(), rijen=len(data.df), formaat=formaat)
    return figure_id, filters, data
