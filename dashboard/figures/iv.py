"""The netwerkdossier card of /iv, which is also a slide of the presentation: netwerkdossier and
gezin-inzage among the running cases over time, per tranche (two panels) or per proeftuin (small
multiples). The other cards of /iv stay in dashboard/pages/iv.py.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import pandas as pd

from dashboard.figuredata import FigureData
from dashboard.ui.cards import Card, figure_card, sum_basis
from dashboard.ui.charts import empty_figure, number, plain_figure, quarter_axis, year_axis
from dashboard.ui.data import card_data, proeftuinen_listed
from dashboard.ui.format import format_percent_nl, shown
from dashboard.ui.view import View
from dashboard.ui.vocab import GRIJS_TEKST, TRANCHE_COLOURS, TRANCHE_DASHES, TRANCHE_SYMBOLS, proeftuin_colour, tranche_label

NETWERK_TRANCHE_FIGURE = "netwerkdossier-per-tranche"
NETWERK_PROEFTUIN_FIGURE = "netwerkdossier-per-kwartaal"
NIVEAUS = ("tranche", "proeftuin")  # the netwerkdossier per tranche or per proeftuin; the first is the default


class Measure(NamedTuple):
    """One of the two shares in the netwerkdossier queries, with its columns and line style."""

    key: str
    label: str
    teller: str
    noemer: str
    pct: str
    line: str


MEASURES = (
    Measure("netwerkdossier", "Netwerkdossier", "lopend_netwerkdossier", "lopend_met_netwerkdossier",
            "pct_netwerkdossier", "solid"),
    Measure("gezin_inzage", "Gezin heeft inzage", "lopend_gezin_inzage", "lopend_met_gezin_inzage",
            "pct_gezin_inzage", "dot"),
)
SMALL_COLUMNS = 4  # panels per row of the netwerkdossier small multiples
SMALL_ROW_HEIGHT = 200  # px per row of panels, of which SMALL_ROW_GAP between the rows
SMALL_ROW_GAP = 60


def _niveau(view: View) -> str:
    # Slides carry their own toggles (dia=…), so a missing niveau means the default.
    return view.extra.get("niveau", NIVEAUS[0])


def netwerkdossier_card(view: View):
    """Netwerkdossier and gezin-inzage among running cases over time, per tranche or proeftuin."""
    per_proeftuin = _niveau(view) == "proeftuin"
    figure_id = NETWERK_PROEFTUIN_FIGURE if per_proeftuin else NETWERK_TRANCHE_FIGURE
    fd = card_data(figure_id, view)
    if per_proeftuin:
        tuinen = fd.df["proeftuin"].nunique() if not fd.df.empty else 0
        build, height = small_multiples_figure, SMALL_ROW_HEIGHT * max(1, -(-tuinen // SMALL_COLUMNS)) + 90
    else:
        build, height = tranche_lines_figure, 420
    basis = None
    if not fd.df.empty:
        last = fd.df["kwartaal"].max()
        rows = fd.df[fd.df["kwartaal"] == last]
        basis = f"{sum_basis('lopend_met_netwerkdossier', 'lopende casussen')(dataclasses.replace(fd, df=rows))} eind {last}"
    unit = "proeftuin" if per_proeftuin else "tranche"
    return figure_card(
        figure_id, view, lambda _: build(fd),
        Card(
            title="Netwerkdossier en inzage van het gezin",
            description="Het percentage lopende casussen met een netwerkdossier en met inzage voor het gezin, aan het "
                        f"eind van elk kwartaal, per {unit}; een leeg veld telt niet mee.",
            basis=basis,
            height=height,
            table_columns={unit: unit.capitalize(), "kwartaal": "Kwartaal",
                           **{m.key: m.label for m in MEASURES}},
        ),
        data=measures_table(fd, unit),
    )


def measures_table(fd: FigureData, unit: str) -> FigureData:
    """Per tranche or proeftuin and quarter: '70,2% (287 van 409)' for each measure."""
    def text(value, teller, noemer) -> str:
        share = number(value)
        counts = f"({shown(teller)} van {shown(noemer)})"
        return f"{format_percent_nl(share, 1)} {counts}" if share is not None else f"niet getoond {counts}"

    df = fd.df[[unit, "kwartaal"]].copy()
    for m in MEASURES:
        df[m.key] = [text(*cells) for cells in zip(fd.df[m.pct], fd.df[m.teller], fd.df[m.noemer])]
    if unit == "tranche":
        df["tranche"] = df["tranche"].map(tranche_label)
    return dataclasses.replace(fd, df=df)


def _axis_id(letter: str, index: int) -> str:
    """Plotly's axis ids: 'x', 'x2', 'x3', …"""
    return letter if index == 1 else f"{letter}{index}"


def _series(rows: pd.DataFrame, measure: Measure) -> dict:
    """x, y and hover texts of one measure; a hidden percentage leaves a gap."""
    values = [number(v) for v in rows[measure.pct]]
    label = measure.label
    hover = [
        (f"{label}: {format_percent_nl(v, 1)} ({shown(t)} van {shown(n)} lopende casussen)" if v is not None
         else f"{label}: niet getoond ({shown(t)} van {shown(n)} lopende casussen; kleine aantallen)")
        for v, t, n in zip(values, rows[measure.teller], rows[measure.noemer])
    ]
    return {"x": list(rows["kwartaal"]), "y": values, "customdata": hover}


def tranche_lines_figure(fd: FigureData) -> dict:
    """Two panels (netwerkdossier, gezin-inzage), one line per tranche in its fixed colour."""
    df = fd.df
    if df.empty:
        return empty_figure()
    kwartalen = sorted(df["kwartaal"].unique())
    data = []
    for index, measure in enumerate(MEASURES, start=1):
        for tranche, colour in TRANCHE_COLOURS.items():
            rows = df[df["tranche"] == tranche]
            if rows.empty:
                continue
            data.append({
                "type": "scatter", **_series(rows, measure), "xaxis": _axis_id("x", index),
                "yaxis": _axis_id("y", index), "mode": "lines+markers", "name": tranche_label(tranche),
                "legendgroup": f"tranche-{tranche}", "showlegend": index == 1,
                "line": {"color": colour, "width": 3, "dash": TRANCHE_DASHES[tranche]},
                "marker": {"size": 8, "color": colour, "symbol": TRANCHE_SYMBOLS[tranche]},
                "connectgaps": False,
                "hovertemplate": f"<b>{tranche_label(tranche)}</b> · %{{x}}<br>%{{customdata}}<extra></extra>",
            })
    axis = quarter_axis(kwartalen)
    gap = 0.06
    starts = (0, 0.5 + gap / 2)
    y_axis = {"range": [0, 100], "ticksuffix": "%", "dtick": 20, "fixedrange": True}
    return plain_figure(data, {
        "xaxis": {**axis, "domain": [0, 0.5 - gap / 2], "anchor": "y"},
        "xaxis2": {**axis, "domain": [starts[1], 1], "anchor": "y2", "matches": "x"},
        "yaxis": {**y_axis, "anchor": "x", "title": {"text": "Van de lopende casussen"}},
        "yaxis2": {**y_axis, "anchor": "x2", "matches": "y"},
        "margin": {"t": 70},
        "hovermode": "closest",
        "annotations": [
            {"text": f"<b>{measure.label}</b>", "xref": "paper", "yref": "paper", "x": x0, "y": 1.0,
             "xanchor": "left", "yanchor": "bottom", "showarrow": False, "font": {"size": 15}}
            for measure, x0 in zip(MEASURES, starts)
        ],
        "legend": {"x": 0, "xanchor": "left", "y": 1, "yref": "container", "yanchor": "top"},
    })


def small_multiples_figure(fd: FigureData) -> dict:
    """One small panel per proeftuin (its fixed colour): netwerkdossier solid, gezin-inzage dotted,
    on the same axes, so the proeftuinen compare at a glance."""
    df = fd.df
    if df.empty:
        return empty_figure()
    tuinen = proeftuinen_listed(df["proeftuin"])
    kwartalen = sorted(df["kwartaal"].unique())
    n_rows = -(-len(tuinen) // SMALL_COLUMNS)
    h_gap = 0.04
    v_gap = SMALL_ROW_GAP / (SMALL_ROW_HEIGHT * n_rows - 10) if n_rows > 1 else 0  # plot area = height - margins
    width = (1 - h_gap * (SMALL_COLUMNS - 1)) / SMALL_COLUMNS
    height = (1 - v_gap * (n_rows - 1)) / n_rows
    data, layout, annotations = [], {}, []
    for index, p in enumerate(tuinen, start=1):
        r, c = divmod(index - 1, SMALL_COLUMNS)
        x0, y1 = c * (width + h_gap), 1 - r * (height + v_gap)
        rows = df[df["proeftuin"] == p.code]
        for measure in MEASURES:
            data.append({
                "type": "scatter", **_series(rows, measure), "xaxis": _axis_id("x", index),
                "yaxis": _axis_id("y", index), "mode": "lines+markers", "showlegend": False, "connectgaps": False,
                "line": {"color": proeftuin_colour(p.code), "width": 2.5, "dash": measure.line},
                "marker": {"size": 4, "color": proeftuin_colour(p.code)},
                "hovertemplate": f"<b>{p.naam}</b> · %{{x}}<br>%{{customdata}}<extra></extra>",
            })
        layout[_axis_id("xaxis", index)] = {
            **year_axis(kwartalen), "domain": [x0, x0 + width], "anchor": _axis_id("y", index),
            "tickfont": {"size": 11}, "range": [-0.5, len(kwartalen) - 0.5], "fixedrange": True,
        }
        layout[_axis_id("yaxis", index)] = {
            "domain": [y1 - height, y1], "anchor": _axis_id("x", index), "range": [0, 100], "dtick": 50,
            "ticksuffix": "%", "tickfont": {"size": 11}, "showticklabels": c == 0, "fixedrange": True,
        }
        annotations.append({"text": f"<b>{p.naam}</b>", "xref": "paper", "yref": "paper", "x": x0, "y": y1,
                            "xanchor": "left", "yanchor": "bottom", "showarrow": False, "font": {"size": 13}})
    data += [{"type": "scatter", "x": [None], "y": [None], "mode": "lines", "name": m.label, "hoverinfo": "skip",
              "line": {"color": GRIJS_TEKST, "width": 2.5, "dash": m.line}} for m in MEASURES]
    return plain_figure(data, {
        **layout, "annotations": annotations, "hovermode": "closest",
        "margin": {"l": 50, "r": 20, "t": 70, "b": 30},
        "legend": {"x": 0, "xanchor": "left", "y": 1, "yref": "container", "yanchor": "top",
                   "itemclick": False, "itemdoubleclick": False},
    })
