"""Teams: who works in the proeftuinen' teams (fte by organisation or role), how the teams grew,
and whether each team has the functions the Leidraad tweede tranche asks for.

Layout only: the view comes from the URL (dashboard.ui.view), every number from
dashboard.figuredata through the shared figure cards. The toggles `naar` (stack the fte by
organisation or by role) and `maat` (team size in fte or positions) live in the URL too.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import html

from dashboard import reference
from dashboard.figuredata import FigureData
from dashboard.ui.cards import Card, figure_card, no_data_message, no_selection_message, page_header
from dashboard.ui.charts import empty_figure, end_labels, plain_figure, quarter_axis, register_template
from dashboard.ui.data import proeftuinen_in, quarters, records, records_by
from dashboard.ui.filters import filter_bar, param_radio
from dashboard.ui.format import breakable, format_date_long_nl, format_nl
from dashboard.ui.links import proeftuin_link
from dashboard.ui.parallel import side_by_side
from dashboard.ui.tables import scroll_region
from dashboard.ui.view import View, view_from_query
from dashboard.ui.vocab import (
    GRIJS_ZACHT,
    LEIDRAAD_STATUSES,
    LEIDRAAD_TINTS,
    ORGANISATIE_COLOURS,
    ORGANISATIE_LABELS,
    ROL_COLOURS,
    ROL_LABELS,
    TRANCHE_DASHES,
    proeftuin_colours,
    proeftuin_short_name,
    proeftuin_symbols,
)

EXTRA = {"naar": ("organisatie", "rol"), "maat": ("fte", "posities")}

dash.register_page(
    __name__,
    path="/teams",
    name="Teams",
    title="Teams · Proeftuinmonitor",
    description="Bezetting van de teams naar organisatie en rol, omvang in de tijd en de Leidraad-check.",
    order=3,
    view_extra=EXTRA,
)

FTE_FIGURE = "team-fte"
OMVANG_FIGURE = "team-omvang-per-kwartaal"
LEIDRAAD_FIGURE = "leidraad-check"
OMVANG_PLOT_PX = 340  # the plot area of the 440 px card, for the spacing of the line labels

# The Leidraad check: short column heads (the full requirement is the head's title).
EIS_KOPPEN = {
    "rvdk": "RvdK",
    "vt": "VT",
    "gi": "GI",
    "jurist": "Jurist",
    "gedragswetenschapper": "Gedragswetenschapper",
    "vertrouwensarts": "Vertrouwensarts",
    "ervaringsdeskundige": "Ervaringsdeskundige",
}
WAAR_MOGELIJK = "waar_mogelijk"
EXTRA_STYLE = {"ontbreekt": {"fontWeight": 600}, "geen-gegevens": {"fontStyle": "italic"}}


def _style(kind: str) -> dict:
    """A Leidraad cell's look: its status colour from vocab, on the status's tint where it has one."""
    tint = LEIDRAAD_TINTS.get(kind)
    return {"color": LEIDRAAD_STATUSES[kind].colour, **({"backgroundColor": tint} if tint else {}),
            **EXTRA_STYLE.get(kind, {})}


def layout(**query):
    """The page; filters, toggles and presentatie=1 come from the query string."""
    view = view_from_query(query, EXTRA)
    kwartalen = quarters()
    header = page_header(
        "Teams",
        "Wie er in de teams van de proeftuinen werken, hoe de teams zijn gegroeid en of elk "
        "veiligheidsteam de functies heeft die de Leidraad tweede tranche vraagt. Bezetting en "
        "Leidraad-check gaan over de peildatum van de laatste teamleden-levering; de periode "
        "geldt alleen voor de omvang per kwartaal.",
        view,
    )
    if not kwartalen:
        return html.Div([header, no_data_message()])
    toggles = [
        param_radio("naar", "Bezetting naar", [("organisatie", "Organisatie"), ("rol", "Rol")], view),
        param_radio("maat", "Omvang in", [("fte", "fte"), ("posities", "Posities")], view),
    ]
    return html.Div([
        header,
        filter_bar(view, kwartalen=kwartalen, controls=toggles),
        *side_by_side([lambda: fte_card(view), lambda: omvang_card(view), lambda: leidraad_card(view)]),
    ])


# --- cards ---------------------------------------------------------------------------------------

def fte_card(view: View):
    by = view.extra.get("naar", "organisatie")

    def basis(fd: FigureData) -> str | None:
        if fd.df.empty:
            return None
        fte = pd.to_numeric(fd.df["fte"], errors="coerce").sum()
        posities = pd.to_numeric(fd.df["posities"], errors="coerce").sum()
        teams = fd.df["proeftuin"].nunique()
        return (f"{format_nl(posities)} posities ({format_nl(fte, 1)} fte) in de teamleden-leveringen "
                f"van {teams} proeftuinen")

    return figure_card(
        FTE_FIGURE, view, lambda fd: fte_figure(fd, view, by),
        Card(
            title=f"Bezetting van de teams naar {'organisatie' if by == 'organisatie' else 'rol'}",
            description="Som van de fte per proeftuin en "
                        f"{'organisatie' if by == 'organisatie' else 'rol'}, over de posities die op de "
                        "peildatum van de laatste teamleden-levering actief zijn.",
            basis=basis,
            table_columns={"proeftuin": "Proeftuin", "organisatie": "Organisatie", "rol": "Rol",
                           "fte": "fte", "posities": "Posities"},
            height=460,
        ),
    )


def omvang_card(view: View):
    maat = view.extra.get("maat", "fte")

    def basis(fd: FigureData) -> str | None:
        if fd.df.empty:
            return None
        return f"de teamleden-leveringen van {fd.df['proeftuin'].nunique()} proeftuinen"

    return figure_card(
        OMVANG_FIGURE, view, lambda fd: omvang_figure(fd, maat),
        Card(
            title="Omvang van de teams per kwartaal",
            description="Som van de fte van de posities die op de laatste dag van het kwartaal actief zijn, "
                        "per proeftuin." if maat == "fte" else
                        "Aantal posities dat op de laatste dag van het kwartaal actief is, per proeftuin.",
            basis=basis,
            table_columns={"proeftuin": "Proeftuin", "kwartaal": "Kwartaal", "posities": "Posities", "fte": "fte"},
            height=440,
        ),
    )


def leidraad_card(view: View):
    def basis(fd: FigureData) -> str | None:
        geleverd = fd.df.loc[fd.df["peildatum"].notna(), "proeftuin"].nunique() if not fd.df.empty else 0
        return f"de teamleden-leveringen van {geleverd} proeftuinen"

    return figure_card(
        LEIDRAAD_FIGURE, view, lambda fd: leidraad_table(fd, view),
        Card(
            title="Samenstelling van het veiligheidsteam volgens de Leidraad",
            description="Per proeftuin of het team op de peildatum van de laatste teamleden-levering "
                        "minstens één actieve positie heeft voor elke functie die de Leidraad tweede "
                        "tranche noemt.",
            basis=basis,
        ),
    )


# --- figure and table builders ----------------------------------------------------------------

def fte_figure(fd: FigureData, view: View, by: str) -> dict:
    """Horizontal bars per proeftuin, stacked by organisation or role; the total at the end."""
    df = fd.df.copy()
    if df.empty:
        return empty_figure()
    df["fte"] = pd.to_numeric(df["fte"], errors="coerce")
    df["posities"] = pd.to_numeric(df["posities"], errors="coerce")
    tuinen = proeftuinen_in(view.filters)
    naam = {p.code: p.naam for p in tuinen}
    labels, colours = (ORGANISATIE_LABELS, ORGANISATIE_COLOURS) if by == "organisatie" else (ROL_LABELS, ROL_COLOURS)
    order = list(labels) + sorted(set(df[by]) - set(labels))
    grouped = df.groupby(["proeftuin", by], as_index=False)[["fte", "posities"]].sum()
    of_key = records_by(grouped, by)
    traces = []
    for key in order:
        rows = of_key.get(key)
        if not rows:
            continue
        label = labels.get(key, key)
        traces.append({
            "type": "bar", "orientation": "h", "name": label,
            "y": [naam.get(r["proeftuin"], r["proeftuin"]) for r in rows], "x": [r["fte"] for r in rows],
            "marker": {"color": colours.get(key, GRIJS_ZACHT), "line": {"color": "#FFFFFF", "width": 1}},
            "customdata": [[format_nl(r["fte"], 1), format_nl(r["posities"])] for r in rows],
            "hovertemplate": (f"%{{y}} · {label}<br>%{{customdata[0]}} fte in %{{customdata[1]}} posities"
                              "<extra></extra>"),
        })
    totals = df.groupby("proeftuin")["fte"].sum()
    annotations = []
    for p in tuinen:
        known = p.code in totals.index
        annotations.append({
            "x": float(totals[p.code]) if known else 0, "y": p.naam, "showarrow": False, "xanchor": "left",
            "xshift": 6, "font": {"size": 13, "color": GRIJS_ZACHT},
            "text": f"{format_nl(totals[p.code], 1)} fte" if known else "geen teamleden-levering",
        })
    return plain_figure(traces, {
        "template": register_template(),
        "barmode": "stack",
        "bargap": 0.3,
        "xaxis": {"title": {"text": "fte"}, "tickformat": ",~r", "rangemode": "tozero",
                  "range": [0, max(float(totals.max()), 1) * 1.15]},
        "yaxis": {"type": "category", "categoryorder": "array", "categoryarray": [p.naam for p in tuinen],
                  "autorange": "reversed", "title": {"text": ""}},
        "annotations": annotations,
        "legend": {"traceorder": "normal"},
        "margin": {"l": 170, "t": 40},
        "hovermode": "closest",
    })


def omvang_figure(fd: FigureData, maat: str) -> dict:
    """One line per proeftuin over the quarters, in the proeftuin's fixed colour and symbol, labelled at
    its end (tranche 2 dashed)."""
    df = fd.df
    if df.empty:
        return empty_figure()
    colours = proeftuin_colours()
    kwartalen = sorted(df["kwartaal"].unique())
    unit = "fte" if maat == "fte" else "posities"
    symbols = proeftuin_symbols()
    traces, ends = [], []
    for p in reference.proeftuinen():
        rows = df[df["proeftuin"] == p.code]
        if rows.empty:
            continue
        values = pd.to_numeric(rows[maat], errors="coerce")
        known = [(k, v) for k, v in zip(rows["kwartaal"], values) if pd.notna(v)]
        if known:
            ends.append((*known[-1], proeftuin_short_name(p.code), colours[p.code]))
        traces.append({
            "type": "scatter", "mode": "lines+markers", "name": p.naam,
            "x": rows["kwartaal"].tolist(), "y": values.tolist(),
            "line": {"color": colours[p.code], "width": 2.5, "dash": TRANCHE_DASHES[p.tranche]},
            "marker": {"size": 7, "symbol": symbols[p.code]},
            "customdata": [format_nl(v, 1 if maat == "fte" else 0) for v in values],
            "hovertemplate": f"{p.naam} (tranche {p.tranche})<br>%{{x}}: %{{customdata}} {unit}<extra></extra>",
        })
    top = max((e[1] for e in ends), default=1) * 1.05
    return plain_figure(traces, {
        # Each line is labelled at its end: no legend to match colours against.
        "annotations": end_labels(ends, y_range=(0, top), plot_px=OMVANG_PLOT_PX),
        "showlegend": False,
        "template": register_template(),
        "xaxis": {"title": {"text": "Kwartaal"}, **quarter_axis(kwartalen)},
        "yaxis": {"title": {"text": "fte" if maat == "fte" else "Posities"},
                  "tickformat": ",~r" if maat == "fte" else ",d", "range": [0, top]},
        "margin": {"r": 130, "t": 20},
    })


def _cell(row: dict) -> html.Td:
    """One requirement of one proeftuin: ✓ with the number of positions, or ✗ ontbreekt."""
    waar_mogelijk = row["verplicht"] == WAAR_MOGELIJK
    if bool(row["aanwezig"]):
        posities = format_nl(row["posities"])
        return html.Td(
            [html.Span(LEIDRAAD_STATUSES["aanwezig"].mark, className="pm-mark", **{"aria-hidden": "true"}),
             html.Span(" aanwezig,", className="visually-hidden"), f" {posities}"],
            title=f"Aanwezig: {posities} {'positie' if row['posities'] == 1 else 'posities'}",
            style=_style("aanwezig"), className="pm-leidraad-aanwezig text-nowrap text-center",
        )
    note = " (waar mogelijk)" if waar_mogelijk else ""
    kind = "ontbreekt-waar-mogelijk" if waar_mogelijk else "ontbreekt"
    return html.Td(
        [html.Span(LEIDRAAD_STATUSES[kind].mark, className="pm-mark", **{"aria-hidden": "true"}), " ontbreekt"],
        title=f"Geen actieve positie{note}", style=_style(kind),
        className=f"pm-leidraad-{kind} text-nowrap text-center",
    )


def leidraad_table(fd: FigureData, view: View):
    """Proeftuin x requirement with ✓ (and the number of positions) or ✗ ontbreekt in text and
    colour; a proeftuin without a teamleden delivery reads 'geen gegevens'."""
    df = fd.df
    if df.empty:
        return no_selection_message()
    eisen = records(df.drop_duplicates("eis")[["eis", "label", "verplicht"]])
    order = {p.code: i for i, p in enumerate(reference.proeftuinen())}
    tuinen = {p.code: p for p in reference.proeftuinen()}
    codes = sorted(df["proeftuin"].unique(), key=lambda c: order.get(c, len(order)))

    def head(eis: dict):
        text = breakable(EIS_KOPPEN.get(eis["eis"], eis["label"]))
        parts = [text]
        if eis["verplicht"] == WAAR_MOGELIJK:
            parts += [html.Br(), html.Small("waar mogelijk", className="fw-normal")]
        title = eis["label"] + (" (waar mogelijk)" if eis["verplicht"] == WAAR_MOGELIJK else "")
        return html.Th(parts, scope="col", title=title, className="text-center align-bottom")

    header = html.Thead(html.Tr(
        [html.Th("Proeftuin", scope="col", className="align-bottom"),
         html.Th("Tranche", scope="col", className="text-center align-bottom")]
        + [head(e) for e in eisen] + [html.Th("Peildatum", scope="col", className="align-bottom")]
    ))
    of_tuin = records_by(df, "proeftuin")
    body, complete, delivered = [], 0, 0
    for code in codes:
        rows = of_tuin[code]
        p = tuinen.get(code)
        cells = [html.Th(proeftuin_link(code, p.naam, view) if p else code, scope="row",
                         className="fw-normal text-nowrap"),
                 html.Td(str(p.tranche) if p else "–", className="text-center")]
        peildatum = rows[0]["peildatum"]
        if peildatum is None or pd.isna(peildatum):
            cells.append(html.Td("geen gegevens (geen teamleden-levering)", colSpan=len(eisen) + 1,
                                 style=_style("geen-gegevens"), className="pm-leidraad-geen-gegevens"))
        else:
            delivered += 1
            by_eis = {r["eis"]: r for r in rows}
            cells += [_cell(by_eis[e["eis"]]) if e["eis"] in by_eis else html.Td("–") for e in eisen]
            cells.append(html.Td(format_date_long_nl(peildatum), className="text-nowrap"))
            complete += all(bool(r["aanwezig"]) for r in rows if r["verplicht"] != WAAR_MOGELIJK)
        body.append(html.Tr(cells))
    summary = (f"{complete} van de {delivered} proeftuinen met een teamleden-levering hebben alle verplichte "
               f"functies in het team." if delivered else "Geen proeftuin heeft een teamleden-levering.")
    if delivered < len(codes):
        summary += f" {len(codes) - delivered} zonder teamleden-levering."
    legend = html.P(
        [f"{LEIDRAAD_STATUSES['aanwezig'].mark} aanwezig, met het aantal actieve posities · "
         f"{LEIDRAAD_STATUSES['ontbreekt'].mark} ontbreekt · De vertrouwensarts vraagt de "
         "Leidraad ‘waar mogelijk’; die ontbreekt in oranje, een verplichte functie in rood."],
        className="pm-definition", style={"fontSize": "0.85rem"},
    )
    return html.Div([
        html.P(summary, className="pm-delivery-summary", id="leidraad-samenvatting"),
        scroll_region(html.Table([header, html.Tbody(body)], className="table table-sm pm-table pm-leidraad-table",
                                 id="leidraad-matrix", style={"width": "auto"}),
                      "Samenstelling volgens de Leidraad, per proeftuin"),
        legend,
    ])
