"""The cards of /tranches, each also usable as a slide of the presentation: growth on each
proeftuin's own clock (or calendar time), each tranche's key figures side by side, each key figure's
spread across the proeftuinen, and the tranches at equal age.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
from dash import html

from dashboard import contract
from dashboard.figuredata import FigureData
from dashboard.ui.cards import Card, figure_card
from dashboard.ui.charts import empty_figure, end_labels, numbers, percent_axis, plain_figure
from dashboard.ui.data import records
from dashboard.ui.format import format_nl, shown
from dashboard.ui.kpi import kpi_basis
from dashboard.ui.tables import scroll_region
from dashboard.ui.view import View
from dashboard.ui.vocab import GRIJS_ZACHT, TRANCHE_COLOURS, proeftuin_names, proeftuin_short_name, tranche_label

LEEFTIJD_FIGURE = "cumulatief-naar-leeftijd"
KPI_FIGURE = "kpi-programma"
SPREIDING_FIGURE = "kpi-per-proeftuin-tranche"
GELIJKE_LEEFTIJD_FIGURE = "tranche-op-gelijke-leeftijd"
LEEFTIJDEN = (6, 12, 18, 24)
TIJDEN = ("leeftijd", "kalender")  # the time axis of the headline: months since the start, or calendar time


def _tijd(view: View) -> str:
    # Slides carry their own toggles (dia=…), so a missing tijd means the default.
    return view.extra.get("tijd", TIJDEN[0])


def _tranches(view: View) -> tuple[int, ...]:
    return (view.filters.tranche,) if view.filters.tranche else tuple(TRANCHE_COLOURS)


def leeftijd_card(view: View):
    """The headline: cumulative registrations and running cases per proeftuin side by side,
    against months since the proeftuin's start (or calendar time with tijd=kalender)."""
    kalender = _tijd(view) == "kalender"
    per = "per kwartaal" if kalender else "naar maanden sinds de start van de proeftuin (startmaand = 0)"
    return figure_card(
        LEEFTIJD_FIGURE, view, lambda fd: growth_figure(fd, kalender=kalender),
        Card(
            title="Aangemelde en lopende casussen sinds de start",
            description=f"Per proeftuin het totaal aantal tot en met het kwartaal aangemelde casussen (links) "
                        f"en het aantal casussen dat aan het eind van het kwartaal loopt (rechts), {per}.",
            basis=_growth_basis,
            height=460,
            table_columns={"proeftuin": "Proeftuin", "tranche": "Tranche", "kwartaal": "Kwartaal",
                           "maand_sinds_start": "Maanden sinds start", "cumulatief_aangemeld": "Aangemeld t/m kwartaal",
                           "lopend": "Lopend"},
        ),
    )


def kpi_tranches_card(view: View):
    """Each tranche's key figures (teller and noemer summed over its proeftuinen), side by side
    on the same 0-100% axis."""
    tranches = _tranches(view)
    cards = [
        figure_card(
            KPI_FIGURE, view, lambda fd, t=t: kpi_bar_figure(fd, t),
            Card(
                title=f"Kerncijfers tranche {t}",
                description=f"Elf kerncijfers over de proeftuinen van tranche {t} samen (teller en noemer "
                            "opgeteld), over de casussen die in de gekozen periode zijn aangemeld.",
                basis=kpi_basis,
                height=480,
            ),
            filters=dataclasses.replace(view.filters, tranche=t),
            key=f"tranche-{t}",
        )
        for t in tranches
    ]
    width = "col-lg-6" if len(cards) > 1 else "col-12"
    return html.Div([html.Div(card, className=width) for card in cards], className="row g-4 pm-pair")


def spreiding_card(view: View):
    """Per key figure the proeftuinen of each tranche as dots (box: median and quartiles)."""
    return figure_card(
        SPREIDING_FIGURE, view, spread_figure,
        Card(
            title="Spreiding van de kerncijfers over de proeftuinen",
            description="Per kerncijfer één punt per proeftuin, in de kleur van de tranche; de box toont "
                        "mediaan en kwartielen van de proeftuinen van de tranche.",
            basis=lambda fd: f"{format_nl(fd.df['proeftuin'].nunique() if not fd.df.empty else 0)} proeftuinen",
            table_columns={"tranche": "Tranche", "proeftuin": "Proeftuin", "titel": "Kerncijfer",
                           "teller": "Teller", "noemer": "Noemer", "waarde": "Waarde (%)"},
            height=720,
        ),
    )


def gelijke_leeftijd_card(view: View):
    """The tranches after 6, 12, 18 and 24 months: totals and the average per proeftuin."""
    return figure_card(
        GELIJKE_LEEFTIJD_FIGURE, view, lambda fd: equal_age_table(fd, _tranches(view)),
        Card(
            title="De tranches op gelijke leeftijd",
            description="Per tranche, na 6, 12, 18 en 24 maanden sinds de start van elke proeftuin: de tot "
                        "dan aangemelde en de lopende casussen, opgeteld en gemiddeld per proeftuin.",
            basis=lambda fd: "de proeftuinen die die leeftijd hebben bereikt",
        ),
    )


def _latest(fd: FigureData, column: str) -> tuple[float, bool]:
    """The sum over the proeftuinen of their latest quarter's value, and whether one is hidden."""
    latest = fd.df.sort_values("kwartaal").groupby("proeftuin", sort=False).tail(1)[column]
    return numbers(latest).sum(), latest.map(lambda v: isinstance(v, str) or v is None).any()


def _growth_basis(fd: FigureData) -> str | None:
    if fd.df.empty:
        return None
    (aangemeld, hidden_a), (lopend, hidden_l) = _latest(fd, "cumulatief_aangemeld"), _latest(fd, "lopend")
    return (f"{'minstens ' if hidden_a else ''}{format_nl(aangemeld)} aangemelde casussen, waarvan "
            f"{'minstens ' if hidden_l else ''}{format_nl(lopend)} op de laatste peildatum nog liepen")


GROWTH_PLOT_PX = 330  # the plot area of the 460 px card, for the spacing of the line labels
GROWTH_PANELS = (("cumulatief_aangemeld", "Aangemeld t/m dit kwartaal", "Aangemelde casussen (totaal)"),
                 ("lopend", "Lopend aan het eind", "Lopende casussen"))


def _growth_axes(column: int) -> tuple[dict, dict]:
    """The x and y axis of one panel, placed as make_subplots(1, 2, horizontal_spacing=0.17) does."""
    x, y = ("x", "y") if column == 1 else ("x2", "y2")
    domain = [0.0, 0.415] if column == 1 else [0.585, 1.0]
    return {"anchor": y, "domain": domain}, {"anchor": x, "domain": [0.0, 1.0]}


def _panel_title(text: str, x: float) -> dict:
    return {"font": {"size": 16}, "showarrow": False, "text": text, "x": x, "xanchor": "center", "xref": "paper",
            "y": 1.0, "yanchor": "bottom", "yref": "paper"}


def growth_figure(fd: FigureData, *, kalender: bool) -> dict:
    """Two panels (cumulative registrations, running cases) with one line per proeftuin in its
    tranche's colour; x = months since its start or the end date of the quarter. The proeftuinen
    of a tranche are one trace per panel whose lines are separated by gaps, so one legend entry
    switches the whole tranche and the figure stays small. Put together as plain dicts
    (ui.charts.plain_figure): adding its 22 line labels one by one cost half the page."""
    df = fd.df
    if df.empty:
        return empty_figure()
    names = proeftuin_names()
    if kalender:
        x_axis = {"title": {"text": "Einde kwartaal"}, "type": "date", "tickformat": "%Y", "dtick": "M12"}
    else:
        x_axis = {"title": {"text": "Maanden sinds de start van de proeftuin"}, "tick0": 0, "dtick": 6,
                  "range": [0, float(df["maand_sinds_start"].max()) + 1]}
    data: list[dict] = []
    layout: dict = {"annotations": [_panel_title(title, x) for (_, _, title), x in zip(GROWTH_PANELS, (0.2075, 0.7925))],
                    "margin": {"t": 60, "r": 130}, "legend": {"y": 1.1}, "hovermode": "closest"}
    by_tranche = {tranche: list(rows.groupby("proeftuin", sort=False)) for tranche, rows in df.groupby("tranche")}
    for col, (column, label, _) in enumerate(GROWTH_PANELS, start=1):
        suffix = "" if col == 1 else "2"
        ends = []
        for tranche, colour in TRANCHE_COLOURS.items():
            x, y, custom = [], [], []
            for code, rows in by_tranche.get(tranche, []):
                kwartalen = rows["kwartaal"].tolist()
                maanden = rows["maand_sinds_start"].tolist()
                xs = [contract.peildatum(k) for k in kwartalen] if kalender else maanden
                ys = numbers(rows[column]).tolist()
                known = [(a, b) for a, b in zip(xs, ys) if pd.notna(b)]
                if known:
                    ends.append((*known[-1], proeftuin_short_name(code), colour))
                x += xs
                y += ys
                custom += [(names.get(code, code), k, m, shown(v)) for k, m, v in zip(kwartalen, maanden, rows[column])]
                x.append(None)
                y.append(None)
                custom.append(("", "", "", ""))
            if not custom:
                continue
            data.append({
                "type": "scatter", "x": x, "y": y, "customdata": custom, "mode": "lines+markers",
                "name": tranche_label(tranche), "legendgroup": f"tranche-{tranche}", "showlegend": col == 1,
                "line": {"color": colour, "width": 2}, "marker": {"size": 5}, "opacity": 0.85,
                "hovertemplate": (f"<b>%{{customdata[0]}}</b> (tranche {tranche})<br>%{{customdata[1]}}, "
                                  f"maand %{{customdata[2]}}<br>{label}: %{{customdata[3]}}<extra></extra>"),
                "xaxis": f"x{suffix}", "yaxis": f"y{suffix}",
            })
        top = max((e[1] for e in ends), default=1) * 1.05
        x_of_panel, y_of_panel = _growth_axes(col)
        layout[f"xaxis{suffix}"] = {**x_of_panel, **x_axis}
        layout[f"yaxis{suffix}"] = {**y_of_panel, "range": [0, top], "tickformat": ",d"}
        layout["annotations"] += end_labels(ends, y_range=(0, top), plot_px=GROWTH_PLOT_PX, font_size=14,
                                            xref=f"x{suffix}", yref=f"y{suffix}")
    return plain_figure(data, layout)


def _kpi_titles(df: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(df["titel"]))


def kpi_bar_figure(fd: FigureData, tranche: int) -> dict:
    """The eleven key figures of one tranche as horizontal bars on a fixed 0-100% axis."""
    df = fd.df
    if df.empty:
        return empty_figure()
    values = numbers(df["waarde"])
    data = [{
        "type": "bar", "y": df["titel"].tolist(), "x": values.tolist(), "orientation": "h",
        "marker": {"color": TRANCHE_COLOURS[tranche]}, "name": tranche_label(tranche),
        "text": [f"{format_nl(v, 1)}%" if pd.notna(v) else "" for v in values], "textposition": "outside",
        "cliponaxis": False,
        "customdata": list(zip([shown(v) for v in df["teller"]], [shown(v) for v in df["noemer"]])),
        "hovertemplate": "%{y}: %{x:.1f}%<br>%{customdata[0]} van %{customdata[1]} casussen<extra></extra>",
    }]
    hidden = df[values.isna()]
    if not hidden.empty:
        data.append({
            "type": "scatter", "y": hidden["titel"].tolist(), "x": [1] * len(hidden), "mode": "text",
            "textposition": "middle right",
            "text": ["niet getoond (kleine aantallen)" if isinstance(t, str) else "geen casussen"
                     for t in hidden["teller"]],
            "textfont": {"color": GRIJS_ZACHT}, "hoverinfo": "skip", "showlegend": False,
        })
    return plain_figure(data, {
        "showlegend": False,
        "xaxis": percent_axis("Percentage", 109),
        "yaxis": {"autorange": "reversed", "automargin": True, "categoryorder": "array",
                  "categoryarray": _kpi_titles(df)},
        "bargap": 0.3,
        "margin": {"t": 30, "r": 20},
    })


def spread_figure(fd: FigureData) -> dict:
    """Per key figure a box with the proeftuinen as dots, one per tranche (grouped)."""
    df = fd.df
    if df.empty:
        return empty_figure()
    names = proeftuin_names()
    data = []
    for tranche, rows in df.groupby("tranche", sort=True):
        tranche = int(tranche)
        colour = TRANCHE_COLOURS[tranche]
        data.append({
            "type": "box", "y": rows["titel"].tolist(), "x": numbers(rows["waarde"]).tolist(), "orientation": "h",
            "name": tranche_label(tranche), "boxpoints": "all", "jitter": 0.4, "pointpos": 0, "hoveron": "points",
            "marker": {"color": colour, "size": 8, "opacity": 0.9, "line": {"color": "white", "width": 1}},
            "line": {"color": colour, "width": 1.5}, "fillcolor": "rgba(0,0,0,0)",
            "customdata": list(zip([names.get(c, c) for c in rows["proeftuin"]],
                                   [shown(v) for v in rows["teller"]], [shown(v) for v in rows["noemer"]])),
            "hovertemplate": (f"<b>%{{customdata[0]}}</b> (tranche {tranche})<br>%{{y}}: %{{x:.1f}}%"
                              "<br>%{customdata[1]} van %{customdata[2]} casussen<extra></extra>"),
        })
    return plain_figure(data, {
        "boxmode": "group",
        "boxgap": 0.25,
        "boxgroupgap": 0.1,
        "xaxis": percent_axis("Percentage per proeftuin", 103),
        "yaxis": {"autorange": "reversed", "automargin": True, "categoryorder": "array",
                  "categoryarray": _kpi_titles(df)},
        "margin": {"t": 40},
    })


def equal_age_table(fd: FigureData, tranches: tuple[int, ...]):
    """Ages as rows; per tranche the number of proeftuinen, registrations and running cases
    (total and average per proeftuin). An age no proeftuin has reached yet says so."""
    df = fd.df
    rows_by_key = {(int(r["tranche"]), int(r["leeftijd_maanden"])): r for r in records(df)}
    metrics = (("proeftuinen", "Proeftuinen"), ("cumulatief_aangemeld", "Aangemeld"),
               ("gemiddeld_aangemeld", "Gem. per proeftuin"), ("lopend", "Lopend"),
               ("gemiddeld_lopend", "Gem. per proeftuin"))
    head = html.Thead([
        html.Tr([html.Th("Leeftijd", rowSpan=2, scope="col")]
                + [html.Th(tranche_label(t), colSpan=len(metrics), scope="colgroup",
                           className=f"pm-tranche-kop pm-tranche-{t}",
                           style={"borderBottom": f"3px solid {TRANCHE_COLOURS[t]}", "textAlign": "center"})
                   for t in tranches]),
        html.Tr([html.Th(label, scope="col", className="pm-num") for _ in tranches for _, label in metrics]),
    ])
    body = []
    for age in LEEFTIJDEN:
        cells = [html.Th(f"{age} maanden", scope="row", style={"whiteSpace": "nowrap"})]
        for t in tranches:
            row = rows_by_key.get((t, age))
            if row is None:
                cells.append(html.Td("nog niet bereikt", colSpan=len(metrics), className="text-muted"))
                continue
            for column, _ in metrics:
                decimals = 1 if column.startswith("gemiddeld") else 0
                cells.append(html.Td(shown(row[column], decimals), className="pm-num"))
        body.append(html.Tr(cells))
    return scroll_region(html.Table([head, html.Tbody(body)], className="table table-sm pm-table pm-gelijke-leeftijd"),
                         "De tranches op gelijke leeftijd")
