"""Tijdlijn: when each proeftuin and each of its werkgebieden started (and stopped), with the
tranche starts and today's date.

Dates come from the reference lists built from the factsheet and carry a precision (dag, maand,
kwartaal, jaar): a date is the first day of its unit, so the figure draws that unit lighter
("somewhere in here") instead of pretending to know the day. Layout only: every row comes from
dashboard.figuredata through the shared figure cards.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import dash
import pandas as pd
from dash import html

from dashboard import reference
from dashboard.figuredata import FigureData
from dashboard.ui.cards import Card, figure_card, no_data_message, no_selection_message, own_graph_height, page_header
from dashboard.ui.charts import PRESENTATION_ROW_HEIGHT, ROW_HEIGHT, empty_figure, plain_figure, register_template
from dashboard.ui.data import card_data, quarters, records
from dashboard.ui.filters import filter_bar
from dashboard.ui.format import precise_date, to_date
from dashboard.ui.links import proeftuin_link
from dashboard.ui.tables import scroll_region
from dashboard.ui.view import View, view_from_query
from dashboard.ui.vocab import GRIJS_ZACHT, tranche_colour, tranche_label

dash.register_page(
    __name__,
    path="/tijdlijn",
    name="Tijdlijn",
    title="Tijdlijn · Proeftuinmonitor",
    description="Startdata van de proeftuinen en hun werkgebieden, met stops en herstarts.",
    order=5,
)

TIJDLIJN_FIGURE = "tijdlijn"
PROFIEL_FIGURE = "proeftuin-profiel"

PRECISION_MONTHS = {"dag": 0, "maand": 1, "kwartaal": 3, "jaar": 12}
ONZEKER_OPACITY = 0.35
VANDAAG = "vandaag"
LEGEND_DIMMED = "#9A9A9A"


def layout(**query):
    """The page; the filters and presentatie=1 come from the query string."""
    view = view_from_query(query)
    header = page_header(
        "Tijdlijn",
        "Wanneer de proeftuinen en hun werkgebieden zijn gestart, en waar een team stopte en "
        "opnieuw begon. De data komen uit de factsheet en zijn soms alleen op maand, kwartaal of "
        "jaar bekend: dat deel is lichter getekend.",
        view,
    )
    if not quarters():
        return html.Div([header, no_data_message()])
    return html.Div([
        header,
        filter_bar(view, periode=False),
        tijdlijn_card(view),
        profiel_card(view),
    ])


# --- dates and their precision --------------------------------------------------------------

def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1) if months else day


def _with_precision(value, precisie) -> str:
    text = precise_date(value, precisie)
    return f"{text} (precisie {precisie})" if isinstance(precisie, str) and precisie else text


def _wrap(text, width: int = 70, lines: int = 4) -> str:
    if not isinstance(text, str) or not text:
        return ""
    return "<br>".join(textwrap.wrap(text, width=width, max_lines=lines, placeholder=" …"))


# --- cards --------------------------------------------------------------------------------------

def tijdlijn_card(view: View):
    fd = card_data(TIJDLIJN_FIGURE, view)
    rows = len(fd.df)

    def basis(fd: FigureData) -> str | None:
        if fd.df.empty:
            return None
        werk = fd.df[fd.df["soort"] == "werkgebied"]
        return (f"{fd.df['proeftuin'].nunique()} proeftuinen en {len(werk)} perioden van werkgebieden "
                "uit de factsheet")

    card = figure_card(
        TIJDLIJN_FIGURE, view, lambda fd: tijdlijn_figure(fd, dt.date.today()),
        Card(
            title="Tijdlijn van de proeftuinen en hun werkgebieden",
            description="Per proeftuin de start, en per werkgebied elke periode dat het actief was: een stop "
                        "en herstart zijn twee balken.",
            basis=basis,
            table_columns={"naam": "Proeftuin", "onderdeel": "Proeftuin of werkgebied", "soort": "Soort",
                           "start_datum": "Start", "start_precisie": "Precisie start", "stop_datum": "Stop",
                           "stop_precisie": "Precisie stop"},
            height=max(320, ROW_HEIGHT * rows + 130),
        ),
        data=fd,
    )
    if view.presentatie:
        own_graph_height(card, PRESENTATION_ROW_HEIGHT * rows + 200)
    return card


def profiel_card(view: View):
    return figure_card(
        PROFIEL_FIGURE, view, lambda fd: profiel_table(fd, view),
        Card(
            title="Start en bron per proeftuin",
            description="De startdatum van elke proeftuin zo precies als de factsheet hem noemt, met de bron.",
            basis=lambda fd: None if fd.df.empty else f"{len(fd.df)} proeftuinen",
        ),
    )


# --- builders -----------------------------------------------------------------------------------

def _rows(df: pd.DataFrame) -> list[dict]:
    """The rows of the figure, top to bottom: per proeftuin (reference order, tranche 1 first)
    its own row, then one row per werkgebied (two periods of one werkgebied share a row)."""
    order = {p.code: i for i, p in enumerate(reference.proeftuinen())}
    in_order = sorted(records(df), key=lambda r: (order.get(r["proeftuin"], len(order)),
                                                           r["soort"] != "proeftuin"))
    rows, seen = [], set()
    for r in in_order:
        key = r["proeftuin"] if r["soort"] == "proeftuin" else f"{r['proeftuin']}|{r['onderdeel']}"
        if key in seen:
            continue
        seen.add(key)
        if r["soort"] == "proeftuin":
            text = f"<b>{r['naam']}</b>"
        else:
            text = f"\u00a0\u00a0\u00a0{r['onderdeel']}"
            if r["start_datum"] is None or pd.isna(r["start_datum"]):
                text += f" <span style='color:{GRIJS_ZACHT}'><i>(start onbekend)</i></span>"
        rows.append({"key": key, "text": text, "proeftuin": r["proeftuin"]})
    return rows


def _segments(df: pd.DataFrame, today: dt.date) -> list[dict]:
    """Every bar piece: solid (known to be active), onzeker (the unit a date lies somewhere in)
    or onbekend (a werkgebied whose start is not known, drawn from the proeftuin's start)."""
    starts = {r["proeftuin"]: to_date(r["start_datum"]) for r in records(df[df["soort"] == "proeftuin"])}
    stops = {}
    for r in records(df[df["stop_datum"].notna()]):
        stops.setdefault(r["proeftuin"], []).append(to_date(r["stop_datum"]))
    pieces = []
    for r in records(df):
        key = r["proeftuin"] if r["soort"] == "proeftuin" else f"{r['proeftuin']}|{r['onderdeel']}"
        start, stop = to_date(r["start_datum"]), to_date(r["stop_datum"])
        onbekend = start is None
        if onbekend:
            start = starts.get(r["proeftuin"])
        if start is None:
            continue
        end = stop or today
        herstart = any(s < start for s in stops.get(r["proeftuin"], [])) and r["soort"] == "werkgebied"
        hover = [
            f"<b>{r['naam']}</b>" + ("" if r["soort"] == "proeftuin" else f" · {r['onderdeel']}"),
            ("start onbekend; getekend vanaf de start van de proeftuin"
             if onbekend else f"start: {_with_precision(r['start_datum'], r['start_precisie'])}"),
            (f"gestopt: {_with_precision(r['stop_datum'], r['stop_precisie'])}" if stop else "loopt nog")
            + (" · herstart na een stop" if herstart else ""),
            _wrap(r["toelichting"]),
        ]
        base = {"key": key, "tranche": int(r["tranche"]), "hover": hover, "soort": r["soort"]}
        if onbekend:
            pieces.append({**base, "kind": "onbekend", "x0": start, "x1": end})
            continue
        sure_from = min(_add_months(start, PRECISION_MONTHS.get(r["start_precisie"], 0)), end)
        if sure_from > start:
            pieces.append({**base, "kind": "onzeker", "x0": start, "x1": sure_from})
        if end > sure_from:
            pieces.append({**base, "kind": "zeker", "x0": sure_from, "x1": end})
        if stop:
            stop_end = _add_months(stop, PRECISION_MONTHS.get(r["stop_precisie"], 0))
            if stop_end > stop:
                pieces.append({**base, "kind": "onzeker", "x0": stop, "x1": stop_end})
            pieces.append({**base, "kind": "gestopt", "x0": stop_end, "x1": stop_end})
        if herstart:
            pieces.append({**base, "kind": "herstart", "x0": start, "x1": start})
    return pieces


def _ms(a: dt.date, b: dt.date) -> float:
    return (b - a).total_seconds() * 1000


def tijdlijn_figure(fd: FigureData, today: dt.date) -> dict:
    """A Gantt over dates: a row per proeftuin and werkgebied, coloured by tranche, with the
    uncertain part of a date lighter, unknown starts hatched, stops and restarts labelled,
    dotted lines at the tranche starts and a dashed line at today."""
    df = fd.df
    if df.empty:
        return empty_figure()
    rows = _rows(df)
    pieces = _segments(df, today)

    # A light band behind every other proeftuin, so its werkgebieden read as one group.
    groups = []
    for i, r in enumerate(rows):
        if not groups or groups[-1][0] != r["proeftuin"]:
            groups.append([r["proeftuin"], i, i])
        groups[-1][2] = i
    shapes = [{"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": first - 0.5, "y1": last + 0.5,
               "fillcolor": "#F3F6FA", "line": {"width": 0}, "layer": "below"}
              for n, (_, first, last) in enumerate(groups) if n % 2 == 0]

    traces = []
    for tranche in sorted({p["tranche"] for p in pieces}):
        colour = tranche_colour(tranche)
        for kind, marker in (
            ("zeker", {"color": colour}),
            ("onzeker", {"color": colour, "opacity": ONZEKER_OPACITY}),
            ("onbekend", _hatched(colour)),
        ):
            part = [p for p in pieces if p["tranche"] == tranche and p["kind"] == kind]
            if not part:
                continue
            # One legend entry per tranche; its light and hatched parts toggle with it.
            traces.append({
                "type": "bar", "orientation": "h", "name": tranche_label(tranche), "legendgroup": f"t{tranche}",
                "showlegend": kind == "zeker",
                "y": [p["key"] for p in part], "base": [p["x0"].isoformat() for p in part],
                "x": [_ms(p["x0"], p["x1"]) for p in part],
                "width": [0.75 if p["soort"] == "proeftuin" else 0.55 for p in part],
                "marker": marker, "customdata": [p["hover"] for p in part],
                "hovertemplate": "%{customdata[0]}<br>%{customdata[1]}<br>%{customdata[2]}<br>"
                                 "<span style='font-size:12px'>%{customdata[3]}</span><extra></extra>",
            })
    # Legend-only entries that explain the lighter and the hatched parts.
    for name, marker in (("Datum alleen op maand, kwartaal of jaar bekend",
                          {"color": LEGEND_DIMMED, "opacity": ONZEKER_OPACITY}),
                         ("Start onbekend: vanaf de start van de proeftuin", _hatched(LEGEND_DIMMED))):
        traces.append({"type": "bar", "orientation": "h", "name": name, "x": [None], "y": [None],
                       "marker": marker, "hoverinfo": "skip", "legendgroup": name})
    annotations = [
        {"x": p["x0"].isoformat(), "y": p["key"], "text": text, "showarrow": False, "xanchor": anchor,
         "xshift": 5 if anchor == "left" else -5, "font": {"size": 12, "color": "#1a1a1a"}}
        for kind, text, anchor in (("gestopt", "gestopt", "left"), ("herstart", "herstart", "right"))
        for p in pieces if p["kind"] == kind
    ]
    lines, labels = _tranche_lines(df)
    shapes += lines + [_vline(today, {"color": "#1a1a1a", "width": 1.5, "dash": "dash"}, VANDAAG)]
    annotations += labels + [{"x": today.isoformat(), "xref": "x", "y": 1, "yref": "paper", "yanchor": "bottom",
                              "showarrow": False, "text": VANDAAG, "font": {"size": 12, "color": "#1a1a1a"},
                              "name": VANDAAG}]
    first = min(p["x0"] for p in pieces) if pieces else today
    return plain_figure(traces, {
        "template": register_template(),
        "barmode": "overlay",
        "xaxis": {"type": "date", "range": [_add_months(first.replace(day=1), -3).isoformat(),
                                            _add_months(today.replace(day=1), 6).isoformat()],
                  "tickformat": "%Y", "dtick": "M12", "showgrid": True,
                  "minor": {"dtick": "M3", "showgrid": True, "gridcolor": "#F2F2F2"}, "title": {"text": ""}},
        "yaxis": {"type": "category", "categoryorder": "array", "categoryarray": [r["key"] for r in rows],
                  "tickmode": "array", "tickvals": [r["key"] for r in rows], "ticktext": [r["text"] for r in rows],
                  "showgrid": False, "title": {"text": ""}, "fixedrange": True, "automargin": True,
                  "range": [len(rows) - 0.5, -0.5]},
        "legend": {"orientation": "h", "x": 0, "xref": "container", "y": 0, "yanchor": "bottom",
                   "yref": "container", "traceorder": "normal"},
        "margin": {"l": 20, "r": 20, "t": 60, "b": 80},
        "hovermode": "closest",
        "shapes": shapes,
        "annotations": annotations,
    })


def _hatched(colour: str) -> dict:
    return {"color": "rgba(255,255,255,0)", "line": {"color": colour, "width": 1},
            "pattern": {"shape": "/", "fgcolor": colour, "size": 7, "solidity": 0.3}}


def _vline(day: dt.date, line: dict, name: str) -> dict:
    return {"type": "line", "xref": "x", "x0": day.isoformat(), "x1": day.isoformat(), "yref": "paper",
            "y0": 0, "y1": 1, "line": line, "name": name}


def _tranche_lines(df: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """A dotted line at each tranche's first start (from the data, with its precision), labelled."""
    lines, labels = [], []
    own = df[df["soort"] == "proeftuin"]
    levels = own["tranche"].nunique()
    for level, (tranche, part) in enumerate(own.groupby("tranche", sort=True)):
        first = part.sort_values("start_datum").iloc[0]
        day = to_date(first["start_datum"])
        if day is None:
            continue
        colour = tranche_colour(tranche)
        lines.append(_vline(day, {"color": colour, "width": 1.5, "dash": "dot"}, f"start-tranche-{tranche}"))
        # Staggered: tranche starts a year apart are closer than their labels are long.
        labels.append({"x": day.isoformat(), "xref": "x", "y": 1, "yref": "paper", "yanchor": "bottom",
                       "yshift": 18 * (levels - 1 - level), "xanchor": "left", "xshift": 3, "showarrow": False,
                       "font": {"size": 12, "color": colour},
                       "text": f"<b>Start tranche {tranche}</b> · {precise_date(day, first['start_precisie'])}"})
    return lines, labels


def profiel_table(fd: FigureData, view: View):
    """Per proeftuin: tranche, motto, start as precisely as known, and where that comes from."""
    df = fd.df
    if df.empty:
        return no_selection_message()
    order = {p.code: i for i, p in enumerate(reference.proeftuinen())}
    in_order = sorted(records(df), key=lambda r: order.get(r["proeftuin"], len(order)))
    head = html.Thead(html.Tr([html.Th(t, scope="col") for t in
                               ("Proeftuin", "Tranche", "Motto", "Start", "Bron en toelichting")]))
    body = html.Tbody([
        html.Tr([
            html.Th(proeftuin_link(r["proeftuin"], r["naam"], view), scope="row", className="fw-normal text-nowrap"),
            html.Td(str(r["tranche"])),
            html.Td(r["titel"] if isinstance(r["titel"], str) and r["titel"] else "–"),
            html.Td(_with_precision(r["start_datum"], r["start_precisie"]), className="text-nowrap"),
            html.Td(r["start_toelichting"] if isinstance(r["start_toelichting"], str) else "–",
                    style={"fontSize": "0.85rem"}),
        ])
        for r in in_order
    ])
    return scroll_region(html.Table([head, body], className="table table-sm pm-table", id="profiel-tabel"),
                         "Start van de proeftuinen")
