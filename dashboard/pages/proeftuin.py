"""Proeftuin: one page per proeftuin (`/proeftuin/<code>`) and an index of all of them (`/proeftuin`).

A proeftuin page shows its profile (name, motto, tranche, start with its precision), its
werkgebieden on a timeline, its cases over time, each key figure against its own tranche and
the whole programme, its team, its themes and its deliveries. The code in the path acts as the
proeftuinen filter of every figure; the period filter (van/tot) in the URL applies where a
figure takes one. An unknown code shows a message, not an error.

Layout only: every number comes from dashboard.figuredata through the shared figure cards.
"""

from __future__ import annotations

import datetime as dt

import dash
import pandas as pd
from dash import dcc, html

from dashboard import contract, reference
from dashboard.figuredata import FigureData, Filters
from dashboard.security import current_viewer
from dashboard.ui.cards import Card, download_button, figure_card, no_data_message, page_header, sum_basis
from dashboard.ui.charts import empty_figure, numbers, percent_axis, plain_figure, quarter_axis, year_axis
from dashboard.ui.data import card_data, quarters, records, records_by
from dashboard.ui.filters import filter_bar
from dashboard.ui.format import format_date_nl, format_nl, precise_date, shown, to_date
from dashboard.ui.kpi import kpi_basis
from dashboard.ui.parallel import side_by_side
from dashboard.ui.view import View, view_from_query
from dashboard.ui.vocab import (
    GRIJS_ZACHT,
    ORGANISATIE_LABELS,
    PROGRAMMA_COLOUR,
    ROL_COLOURS,
    ROL_LABELS,
    STATUSES,
    THEMA_STATUSES,
    proeftuin_colour,
    tranche_colour,
    tranche_label,
)

APP = "Proeftuinmonitor"


def title(code: str | None = None) -> str:
    """The browser tab: the proeftuin's name, or the index."""
    if code is None:
        return f"Proeftuinen · {APP}"
    proeftuin = _proeftuin(code)
    return f"{proeftuin.naam if proeftuin else 'Onbekende proeftuin'} · {APP}"


dash.register_page(
    __name__,
    path="/proeftuin",
    path_template="/proeftuin/<code>",
    name="Proeftuinen",
    title=title,
    description="Per proeftuin: profiel, werkgebieden, casussen, kerncijfers, team, thema's en leveringen.",
    order=2,
)

LEVERING_STATUSSEN = ("op_tijd", "te_laat", "afgewezen", "ontbreekt")


def layout(code: str | None = None, **query):
    """The index without a code; the proeftuin's page with a known one; a message otherwise."""
    view = view_from_query(query)
    if code is None:
        return index(view)
    proeftuin = _proeftuin(code)
    if proeftuin is None:
        return unknown(code, view)
    viewer = current_viewer()
    if viewer is not None and viewer.proeftuin and viewer.proeftuin != proeftuin.code:
        return not_yours(proeftuin, viewer.proeftuin, view)
    kwartalen = quarters()
    lead = (f"“{proeftuin.titel}” · " if proeftuin.titel else "") + (
        f"{tranche_label(proeftuin.tranche)} · gestart {precise_date(proeftuin.start_datum, proeftuin.start_precisie)}")
    header = page_header(proeftuin.naam, lead, view)
    if not kwartalen:
        return html.Div([header, no_data_message()])
    filters = Filters(proeftuinen=(proeftuin.code,), van=view.filters.van, tot=view.filters.tot)
    casussen, kpi, profiel, werkgebieden, team, themas, leveringen = side_by_side([
        lambda: casussen_cards(view, proeftuin, filters),
        lambda: kpi_vergelijking_card(view, proeftuin, filters),
        lambda: profiel_card(view, proeftuin),
        lambda: werkgebieden_card(view, proeftuin, kwartalen),
        lambda: team_card(view, proeftuin),
        lambda: themas_card(view, proeftuin),
        lambda: leveringen_card(view, proeftuin, filters),
    ])
    return html.Div([
        header,
        filter_bar(view, kwartalen=kwartalen, tranche=False, proeftuinen=False, controls=[all_link(view)]),
        html.Div(
            [html.Div(profiel, className="col-lg-4"), html.Div(werkgebieden, className="col-lg-8")],
            className="row g-4",
        ),
        casussen,
        kpi,
        team,
        themas,
        leveringen,
    ], className="pm-proeftuin", **{"data-proeftuin": proeftuin.code})


def _proeftuin(code: str) -> reference.Proeftuin | None:
    code = code.strip().lower()
    return next((p for p in reference.proeftuinen() if p.code == code), None)


def index(view: View):
    """All proeftuinen by tranche, each linking to its page (the period filter is kept)."""
    search = View(filters=Filters(van=view.filters.van, tot=view.filters.tot)).search
    groups = []
    for tranche in sorted({p.tranche for p in reference.proeftuinen()}):
        items = [
            html.Li([
                dcc.Link(p.naam, href=f"/proeftuin/{p.code}{search}", className="pm-proeftuin-link"),
                html.Span(f" · {p.titel}" if p.titel else "", className="text-muted"),
                html.Span(f" · gestart {precise_date(p.start_datum, p.start_precisie)}", className="text-muted"),
            ])
            for p in reference.proeftuinen() if p.tranche == tranche
        ]
        groups.append(html.Section([
            html.H2(tranche_label(tranche),
                    style={"borderLeft": f"6px solid {tranche_colour(tranche)}", "paddingLeft": "0.5rem"}),
            html.Ul(items, className="pm-proeftuin-lijst"),
        ], className="pm-section col-lg-6"))
    return html.Div([
        page_header("Proeftuinen", "Kies een proeftuin voor haar profiel, werkgebieden, casussen, "
                    "kerncijfers, team, thema's en leveringen.", view),
        html.Div(groups, className="row g-4", id="proeftuin-index"),
    ])


def unknown(code: str, view: View):
    shown_code = code[:60]
    return html.Div([
        page_header("Onbekende proeftuin", None, view),
        html.Div([
            f"Er is geen proeftuin met de code '{shown_code}'. ",
            dcc.Link("Bekijk de lijst van proeftuinen", href="/proeftuin"), ".",
        ], className="alert alert-warning", role="alert", id="onbekende-proeftuin"),
    ])


def not_yours(proeftuin: reference.Proeftuin, own: str, view: View):
    """For a proeftuin's user on another proeftuin's page: what they can see instead, no data."""
    own_name = next((p.naam for p in reference.proeftuinen() if p.code == own), own)
    return html.Div([
        page_header(proeftuin.naam, tranche_label(proeftuin.tranche), view),
        html.Div([
            html.P(f"U bent ingelogd voor proeftuin {own_name}. Van de andere proeftuinen toont de "
                   "monitor alleen de cijfers van hun tranche en van het hele programma, opgeteld."),
            html.P([dcc.Link(f"Naar de pagina van {own_name}", href=f"/proeftuin/{own}"), " · ",
                    dcc.Link("Tranche 1 en 2 vergelijken", href="/tranches"), " · ",
                    dcc.Link("Overzicht van het programma", href="/")], className="mb-0"),
        ], className="alert alert-info", role="status", id="andere-proeftuin"),
    ])


def all_link(view: View):
    """Back to the index, the period kept: the proeftuin is in the path, and with it the tranche,
    so the filter bar of a proeftuin page has the period only."""
    index_view = View(filters=Filters(van=view.filters.van, tot=view.filters.tot))
    return html.Div(dcc.Link("Alle proeftuinen", href=index_view.href("/proeftuin")),
                    className="pm-filter ms-auto align-self-center")


def _own(proeftuin: reference.Proeftuin) -> Filters:
    return Filters(proeftuinen=(proeftuin.code,))


# --- profile and werkgebieden ---------------------------------------------------------------

def profiel_card(view: View, proeftuin: reference.Proeftuin):
    def build(fd: FigureData):
        if fd.df.empty:
            return html.P("Geen profiel bekend.")
        row = fd.df.iloc[0]
        tranche = int(row["tranche"])
        items = [
            ("Motto", row["titel"] if isinstance(row["titel"], str) and row["titel"] else "–"),
            ("Tranche", html.Span(tranche_label(tranche), className="badge rounded-pill",
                                  style={"backgroundColor": tranche_colour(tranche)})),
            ("Gestart", precise_date(row["start_datum"], row["start_precisie"])),
        ]
        return html.Div([
            html.Dl(sum(([html.Dt(k, className="col-4"), html.Dd(v, className="col-8")] for k, v in items), []),
                    className="row mb-2", id="proeftuin-profiel"),
            html.P(row["start_toelichting"], className="pm-definition"),
        ])

    return figure_card(
        "proeftuin-profiel", view, build,
        Card(
            title="Profiel",
            description="Naam, motto, tranche en start uit de factsheet van het programma.",
        ),
        filters=_own(proeftuin),
    )


def werkgebieden_card(view: View, proeftuin: reference.Proeftuin, kwartalen: list[str]):
    end = contract.peildatum(kwartalen[-1])
    return figure_card(
        "werkgebieden", view, lambda fd: werkgebieden_figure(fd, proeftuin, end),
        Card(
            title="Werkgebieden",
            description="Waar en sinds wanneer de proeftuin werkt, uit de factsheet; een stop en herstart "
                        "staan als aparte balken.",
            table_columns={"werkgebied": "Werkgebied", "start_datum": "Start", "start_precisie": "Precisie",
                           "stop_datum": "Stop", "stop_precisie": "Precisie", "toelichting": "Toelichting"},
            height=260,
        ),
        filters=_own(proeftuin),
    )


def werkgebieden_figure(fd: FigureData, proeftuin: reference.Proeftuin, end: dt.date) -> dict:
    """Each active period of a werkgebied as a bar from its start to its stop (or to the end of
    the data, still running); an unknown start is drawn hatched from the proeftuin's start."""
    df = fd.df
    if df.empty:
        return empty_figure("Geen werkgebieden bekend")
    colour = tranche_colour(proeftuin.tranche)  # as on /tijdlijn
    order = list(dict.fromkeys(df["werkgebied"]))
    bekend, onbekend = [], []
    for row in records(df):
        start, stop = to_date(row["start_datum"]), to_date(row["stop_datum"])
        first = start or proeftuin.start_datum
        last = stop or max(end, first)
        since = (precise_date(start, row["start_precisie"]) if start
                 else f"onbekend (proeftuin gestart {precise_date(proeftuin.start_datum, proeftuin.start_precisie)})")
        until = precise_date(stop, row["stop_precisie"]) if stop else "loopt nog"
        item = (row["werkgebied"], first, last, f"Start: {since}<br>Stop: {until}")
        (bekend if start else onbekend).append(item)
    data = [{
        "type": "bar", "y": [i[0] for i in items], "base": [i[1].isoformat() for i in items],
        "x": [(pd.Timestamp(i[2]) - pd.Timestamp(i[1])).total_seconds() * 1000 for i in items],
        "orientation": "h", "name": name,
        "marker": {"color": colour, "pattern": {"shape": pattern}, "opacity": 1 if not pattern else 0.5},
        "customdata": [i[3] for i in items], "hovertemplate": "<b>%{y}</b><br>%{customdata}<extra></extra>",
    } for items, name, pattern in ((bekend, "Actief", ""), (onbekend, "Startdatum niet bekend", "/")) if items]
    start = pd.Timestamp(proeftuin.start_datum).timestamp() * 1000
    first_date = min(proeftuin.start_datum, *(i[1] for i in bekend + onbekend))
    return plain_figure(data, {
        "shapes": [{"type": "line", "x0": start, "x1": start, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain",
                    "line": {"dash": "dot", "color": GRIJS_ZACHT}}],
        "annotations": [{"x": proeftuin.start_datum.isoformat(), "y": 1, "yref": "paper", "text": "start proeftuin",
                         "showarrow": False, "yanchor": "bottom", "xanchor": "left",
                         "font": {"size": 12, "color": GRIJS_ZACHT}}],
        "barmode": "overlay",
        "xaxis": {"type": "date", "range": [(first_date - dt.timedelta(days=90)).isoformat(),
                                            (end + dt.timedelta(days=60)).isoformat()],
                  "tickformat": "%Y", "dtick": "M12"},
        "yaxis": {"autorange": "reversed", "automargin": True, "categoryorder": "array", "categoryarray": order},
        "showlegend": bool(onbekend),
        "legend": {"y": -0.25, "yanchor": "top"},
        "margin": {"t": 30, "b": 40},
        "bargap": 0.35,
    })


# --- cases over time ------------------------------------------------------------------------

def casussen_cards(view: View, proeftuin: reference.Proeftuin, filters: Filters):
    colour = proeftuin_colour(proeftuin.code)
    specs = (
        ("instroom-per-kwartaal", "aangemeld", "Aangemeld per kwartaal", "Aangemelde casussen", True,
         "Casussen aangemeld in het kwartaal.", sum_basis("aangemeld")),
        ("uitstroom-per-kwartaal", "afgesloten", "Afgesloten per kwartaal", "Afgesloten casussen", True,
         "Casussen afgesloten in het kwartaal.", sum_basis("afgesloten")),
        ("lopend-per-kwartaal", "lopend", "Lopend per kwartaal", "Lopende casussen", False,
         "Casussen die aan het eind van het kwartaal lopen.", _last_basis),
    )
    cards = [
        figure_card(
            figure_id, view, lambda fd, c=column, label=label, bars=bars: quarter_figure(fd, c, label, colour, bars),
            Card(
                title=card_title,
                description=description,
                basis=basis,
                height=320,
            ),
            filters=filters,
        )
        for figure_id, column, card_title, label, bars, description, basis in specs
    ]
    return html.Div([html.Div(card, className="col-lg-4") for card in cards], className="row g-4 pm-pair")


def _last_basis(fd: FigureData) -> str | None:
    if fd.df.empty:
        return None
    last = fd.df.iloc[-1]
    return f"{shown(last['lopend'])} casussen eind {last['kwartaal']}"


def quarter_figure(fd: FigureData, column: str, label: str, colour: str, bars: bool) -> dict:
    df = fd.df
    if df.empty:
        return empty_figure()
    kwartalen = df["kwartaal"].tolist()
    trace = {"x": kwartalen, "y": numbers(df[column]).tolist(), "name": label,
             "customdata": [shown(v) for v in df[column]],
             "hovertemplate": "%{x}: %{customdata} casussen<extra></extra>"}
    if bars:
        data = [{"type": "bar", "marker": {"color": colour}, **trace}]
    else:
        data = [{"type": "scatter", "mode": "lines+markers", "line": {"color": colour, "width": 3},
                 "marker": {"size": 6}, **trace}]
    hidden = df[df[column].map(lambda v: isinstance(v, str))]
    if not hidden.empty:
        # A hidden count draws nothing; its text at the axis tells it apart from a zero.
        data.append({"type": "scatter", "x": hidden["kwartaal"].tolist(), "y": [0] * len(hidden),
                     "text": hidden[column].tolist(), "mode": "text", "textposition": "top center",
                     "textfont": {"size": 10, "color": GRIJS_ZACHT},
                     "hovertemplate": "%{x}: %{text} casussen (afgeschermd)<extra></extra>"})
    return plain_figure(data, {
        "showlegend": False,
        "xaxis": year_axis(kwartalen),
        "yaxis": {"title": {"text": label}, "tickformat": ",d", "rangemode": "tozero"},
        "margin": {"t": 20, "r": 10},
        "bargap": 0.2,
    })


# --- key figures against tranche and programme -----------------------------------------------

def kpi_vergelijking_card(view: View, proeftuin: reference.Proeftuin, filters: Filters):
    """The proeftuin's key figures (kpi-per-proeftuin) as dots, with its tranche's and the whole
    programme's value (kpi-programma) as markers; each series has its own download."""
    tranche_filters = Filters(tranche=proeftuin.tranche, van=filters.van, tot=filters.tot)
    programma_filters = Filters(van=filters.van, tot=filters.tot)
    tranche = card_data("kpi-programma", view, tranche_filters)
    programma = card_data("kpi-programma", view, programma_filters)
    card = figure_card(
        "kpi-per-proeftuin", view, lambda fd: kpi_comparison_figure(fd, proeftuin, tranche, programma),
        Card(
            title="Kerncijfers naast de tranche en het programma",
            description=f"De elf kerncijfers van {proeftuin.naam} (punt) naast die van tranche "
                        f"{proeftuin.tranche} samen (ruit) en alle proeftuinen samen (streep).",
            basis=lambda fd: kpi_basis(fd, f" van {proeftuin.naam}"),
            height=560,
            table_columns={"kpi": "Kerncijfer", "teller": "Teller", "noemer": "Noemer", "waarde": "Waarde (%)"},
        ),
        filters=filters,
    )
    if view.presentatie:
        return card
    extra = html.Div([
        html.Span("Vergelijkingswaarden als CSV:", className="pm-definition me-2"),
        html.Span(f"tranche {proeftuin.tranche}", className="pm-definition me-1"),
        download_button("kpi-programma", tranche.filters, f"kaart-kpi-tranche-{proeftuin.code}"),
        html.Span("alle proeftuinen", className="pm-definition ms-3 me-1"),
        download_button("kpi-programma", programma.filters, f"kaart-kpi-programma-{proeftuin.code}"),
    ], className="d-flex flex-wrap align-items-center gap-1 pm-vergelijking-downloads")
    return html.Div([card, extra], className="pm-section")


def kpi_comparison_figure(fd: FigureData, proeftuin: reference.Proeftuin, tranche: FigureData,
                          programma: FigureData) -> dict:
    if fd.df.empty and programma.df.empty:
        return empty_figure()
    titles = dict(zip(programma.df["kpi"], programma.df["titel"])) if not programma.df.empty else {}
    order = [titles.get(k, k) for k in (programma.df["kpi"] if not programma.df.empty else fd.df["kpi"])]
    colour = proeftuin_colour(proeftuin.code)
    series = (
        (programma.df, "Alle proeftuinen",
         {"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": PROGRAMMA_COLOUR}}),
        (tranche.df, tranche_label(proeftuin.tranche),
         {"symbol": "diamond", "size": 12, "color": tranche_colour(proeftuin.tranche),
          "line": {"width": 1, "color": "white"}}),
        (fd.df, proeftuin.naam,
         {"symbol": "circle", "size": 15, "color": colour, "line": {"width": 1.5, "color": "white"}}),
    )
    data = [{
        "type": "scatter", "y": [titles.get(k, k) for k in df["kpi"]], "x": numbers(df["waarde"]).tolist(),
        "mode": "markers", "name": name, "marker": marker,
        "customdata": list(zip([shown(v) for v in df["teller"]], [shown(v) for v in df["noemer"]],
                               [shown(v, 1) if not isinstance(v, str) else v for v in df["waarde"]])),
        "hovertemplate": (f"<b>{name}</b><br>%{{y}}: %{{x:.1f}}%"
                          "<br>%{customdata[0]} van %{customdata[1]} casussen<extra></extra>"),
    } for df, name, marker in series if not df.empty]
    hidden = fd.df[numbers(fd.df["waarde"]).isna()] if not fd.df.empty else fd.df
    if not hidden.empty:
        data.append({
            "type": "scatter", "y": [titles.get(k, k) for k in hidden["kpi"]], "x": [101] * len(hidden),
            "mode": "text", "textposition": "middle right", "showlegend": False, "hoverinfo": "skip",
            "text": [f"{proeftuin.naam}: niet getoond (kleine aantallen)" if isinstance(t, str)
                     else f"{proeftuin.naam}: geen casussen" for t in hidden["teller"]],
            "textfont": {"color": GRIJS_ZACHT, "size": 12},
        })
    return plain_figure(data, {
        "xaxis": percent_axis("Percentage", 100 if hidden.empty else 150),
        "yaxis": {"autorange": "reversed", "automargin": True, "categoryorder": "array", "categoryarray": order,
                  "showgrid": True},
        "hovermode": "closest",
        "margin": {"t": 40},
    })


# --- team, themes, deliveries ---------------------------------------------------------------

def team_card(view: View, proeftuin: reference.Proeftuin):
    def basis(fd: FigureData) -> str | None:
        if fd.df.empty:
            return None
        return f"{format_nl(fd.df['fte'].sum(), 1)} fte in {format_nl(fd.df['posities'].sum())} posities"

    return figure_card(
        "team-fte", view, team_figure,
        Card(
            title="Team",
            description="Bezetting in fte per organisatie, naar rol, op de peildatum van de teamlevering.",
            basis=basis,
            height=380,
            table_columns={"organisatie": "Organisatie", "rol": "Rol", "fte": "fte", "posities": "Posities"},
        ),
        filters=_own(proeftuin),
    )


def team_figure(fd: FigureData) -> dict:
    df = fd.df
    if df.empty:
        return empty_figure("Nog geen teamgegevens geleverd")
    totals = df.groupby("organisatie")["fte"].sum().sort_values(ascending=False)
    order = [ORGANISATIE_LABELS.get(o, o) for o in totals.index]
    by_rol = records_by(df[["rol", "organisatie", "fte", "posities"]], "rol")
    data = []
    for rol in [r for r in ROL_LABELS if r in by_rol] + sorted(set(by_rol) - set(ROL_LABELS)):
        rows = by_rol[rol]
        label = ROL_LABELS.get(rol, rol)
        data.append({
            "type": "bar", "y": [ORGANISATIE_LABELS.get(r["organisatie"], r["organisatie"]) for r in rows],
            "x": [r["fte"] for r in rows], "orientation": "h", "name": label,
            "marker": {"color": ROL_COLOURS.get(rol, GRIJS_ZACHT)},
            "customdata": [(format_nl(r["fte"], 1), format_nl(r["posities"])) for r in rows],
            "hovertemplate": f"%{{y}}<br>{label}: %{{customdata[0]}} fte (%{{customdata[1]}} posities)<extra></extra>",
        })
    return plain_figure(data, {
        "barmode": "stack",
        "xaxis": {"title": {"text": "fte"}, "tickformat": ",.1~f", "rangemode": "tozero"},
        "yaxis": {"autorange": "reversed", "automargin": True, "categoryorder": "array", "categoryarray": order},
        "legend": {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top",
                   "traceorder": "normal", "title": {"text": "Rol"}},
        "margin": {"t": 30, "b": 10},
        "bargap": 0.3,
    })


def themas_card(view: View, proeftuin: reference.Proeftuin):
    def basis(fd: FigureData) -> str | None:
        if fd.df.empty:
            return None
        return f"{int(fd.df['status'].notna().sum())} gemelde thema's"

    return figure_card(
        "thema-matrix", view, themes_list,
        Card(
            title="Thema's",
            description="De thema's die de proeftuin meldt, met hun status in het laatste gemelde jaar, en "
                        "de thema's die de factsheet haar toewijst.",
            basis=basis,
        ),
        filters=_own(proeftuin),
    )


def themes_list(fd: FigureData):
    df = fd.df
    if df.empty:
        return html.P("Geen thema's bekend.")
    relevant = df[df["status"].notna() | df["toegewezen"].astype(bool)]
    groups = []
    for soort, heading in (("algemeen", "Algemene thema's"), ("specifiek", "Specifieke thema's")):
        rows = relevant[relevant["soort"] == soort]
        if rows.empty:
            continue
        items = []
        for row in records(rows):
            status = row["status"] if isinstance(row["status"], str) else None
            look = THEMA_STATUSES.get(status)
            label = f"{look.mark} {look.label.lower()}" if look else "niet gemeld"
            year = f" {int(row['jaar'])}" if status and pd.notna(row["jaar"]) else ""
            style = {"minWidth": "7.5rem"}
            if look:
                style["backgroundColor"] = look.colour
            parts = [html.Span(f"{label}{year}", style=style,
                               className=f"badge rounded-pill {'' if look else 'text-bg-light border'} me-2 pm-thema-status"),
                     html.Span(row["label"])]
            if bool(row["toegewezen"]):
                parts.append(html.Span(" · opdracht uit de factsheet", className="text-muted small"))
            items.append(html.Li(parts, className="mb-1", style={"breakInside": "avoid"}))
        groups.append(html.Div([html.H3(heading, className="h6 mt-2"),
                                html.Ul(items, className="list-unstyled mb-2", style={"columns": "2 28rem"})]))
    rest = len(df) - len(relevant)
    if rest:
        groups.append(html.P(f"{rest} andere thema's uit de themalijst meldt de proeftuin niet.", className="pm-definition"))
    return html.Div(groups, className="pm-themas")


def leveringen_card(view: View, proeftuin: reference.Proeftuin, filters: Filters):
    def basis(fd: FigureData) -> str | None:
        if fd.df.empty:
            return None
        on_time = int((fd.df["status"] == "op_tijd").sum())
        return f"{format_nl(len(fd.df))} kwartalen, waarvan {format_nl(on_time)} op tijd geleverd"

    return figure_card(
        "leveringen-status", view, delivery_strip,
        Card(
            title="Leveringen",
            description="Per kwartaal de casussen-levering: op tijd (binnen 30 dagen na het eind van het "
                        "kwartaal), te laat, alleen afgewezen of ontbrekend.",
            basis=basis,
            height=190,
            table_columns={"kwartaal": "Kwartaal", "status": "Status", "ontvangen": "Ontvangen",
                           "dagen_na_kwartaal": "Dagen na kwartaal", "afgewezen": "Afgewezen"},
        ),
        filters=filters,
    )


def delivery_strip(fd: FigureData) -> dict:
    df = fd.df
    if df.empty:
        return empty_figure()
    of_status = records_by(df, "status")
    data = []
    for status in LEVERING_STATUSSEN:
        label, colour = STATUSES[status].label, STATUSES[status].colour
        rows = of_status.get(status)
        if not rows:
            continue
        details = []
        for row in rows:
            text = label.lower()
            received = to_date(row["ontvangen"])
            if received:
                text += (f", ontvangen {format_date_nl(received)} "
                         f"({format_nl(row['dagen_na_kwartaal'])} dagen na het kwartaal)")
            if row["afgewezen"]:
                text += f"; {format_nl(row['afgewezen'])} keer afgewezen"
            details.append(text)
        data.append({"type": "bar", "x": [r["kwartaal"] for r in rows], "y": [1] * len(rows), "name": label,
                     "marker": {"color": colour}, "customdata": details,
                     "hovertemplate": "%{x}: %{customdata}<extra></extra>"})
    return plain_figure(data, {
        "barmode": "overlay",
        "bargap": 0.08,
        "xaxis": quarter_axis(list(df["kwartaal"])),
        "yaxis": {"visible": False, "range": [0, 1]},
        "showlegend": True,
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "margin": {"t": 30, "b": 30, "l": 10, "r": 10},
    })
