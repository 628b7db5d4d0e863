"""Overzicht: the programme's key figures and registrations per quarter by tranche.

Layout and callbacks only; every number comes from dashboard.figuredata, and a download
returns exactly the rows behind the figure for the filters on screen.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import MATCH, Input, Output, State, callback, ctx, dcc, html
from flask import current_app

from dashboard.csvout import download_filename, to_csv_bytes
from dashboard.figuredata import Filters, NoData, figure_data, snapshot_info
from dashboard.style import TRANCHE_COLOURS, format_nl, format_percent_nl, register_template

dash.register_page(
    __name__,
    path="/",
    name="Overzicht",
    title="Overzicht · Proeftuinmonitor",
    description="Kerncijfers en aanmeldingen per kwartaal van de proeftuinen.",
    order=0,
)

KPI_FIGURE = "kpi-programma"
INSTROOM_FIGURE = "instroom-per-tranche"
ALLE = "alle"
PERCENT_UNITS = ("%", "procent", "percentage")

GRAPH_CONFIG = {
    "locale": "nl",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}


def _data_dir() -> Path:
    return current_app.config["MONITOR_DATA_DIR"]


def _filters(tranche: str | None, van: str | None, tot: str | None) -> Filters:
    """Filters from the controls; a from-quarter after the to-quarter is read as swapped."""
    if van and tot and van > tot:
        van, tot = tot, van
    return Filters(
        tranche=None if tranche in (None, ALLE) else int(tranche),
        van=van or None,
        tot=tot or None,
    )


def _download_button(figure_id: str):
    return html.Div(
        [
            dbc.Button(
                "Download data (CSV)",
                id={"type": "download-knop", "figuur": figure_id},
                color="primary",
                outline=True,
                size="sm",
                class_name="pm-download",
                title="De gegevens achter deze figuur, met de gekozen filters, als CSV voor Excel",
            ),
            dcc.Download(id={"type": "download", "figuur": figure_id}),
        ]
    )


def _filter_bar(kwartalen: list[str], tranche: str, van: str | None, tot: str | None):
    quarter_options = [{"label": k, "value": k} for k in kwartalen]
    return html.Div(
        [
            html.Div(
                [
                    html.Span("Tranche", className="pm-filter-label", id="filter-tranche-label"),
                    dbc.RadioItems(
                        id="filter-tranche",
                        class_name="pm-radios",
                        options=[
                            {"label": "Alle", "value": ALLE},
                            {"label": "Tranche 1", "value": "1"},
                            {"label": "Tranche 2", "value": "2"},
                        ],
                        value=tranche,
                        inline=True,
                    ),
                ],
                className="pm-filter",
                role="radiogroup",
                **{"aria-labelledby": "filter-tranche-label"},
            ),
            html.Div(
                [
                    html.Label("Van kwartaal", htmlFor="filter-van", className="pm-filter-label"),
                    dcc.Dropdown(
                        id="filter-van",
                        options=quarter_options,
                        value=van,
                        placeholder="Eerste",
                        searchable=False,
                        className="pm-filter-kwartaal",
                    ),
                ],
                className="pm-filter",
            ),
            html.Div(
                [
                    html.Label("Tot en met kwartaal", htmlFor="filter-tot", className="pm-filter-label"),
                    dcc.Dropdown(
                        id="filter-tot",
                        options=quarter_options,
                        value=tot,
                        placeholder="Laatste",
                        searchable=False,
                        className="pm-filter-kwartaal",
                    ),
                ],
                className="pm-filter",
            ),
        ],
        className="pm-filters",
        role="search",
        **{"aria-label": "Filters"},
    )


def _section(heading: str, heading_id: str, figure_id: str, body, definition_id: str):
    """A titled block: heading and download button, the figure, then how it is computed."""
    return html.Section(
        [
            html.Div(
                [html.H2(heading, id=heading_id), _download_button(figure_id)],
                className="pm-section-head",
            ),
            body,
            html.P(id=definition_id, className="pm-definition"),
        ],
        className="pm-section",
        **{"aria-labelledby": heading_id},
    )


def layout(tranche: str | None = None, van: str | None = None, tot: str | None = None, **_query):
    """The page; ?tranche=1&van=2023-Q1&tot=2024-Q4 in the address preselects the filters."""
    try:
        kwartalen = snapshot_info(_data_dir()).kwartalen
    except NoData:
        kwartalen = []
    header = [
        html.H1("Overzicht"),
        html.P(
            "Kerncijfers van de proeftuinen en het aantal aangemelde casussen per kwartaal, "
            "per tranche. Kies hieronder een tranche of een periode; de downloads bevatten "
            "precies de gegevens die u ziet.",
            className="pm-lead",
        ),
    ]
    if not kwartalen:
        return html.Div(
            header
            + [
                dbc.Alert(
                    "Er zijn nog geen gegevens ingelezen. Zodra de eerste aanlevering is "
                    "verwerkt, verschijnen hier de cijfers.",
                    color="info",
                    id="geen-gegevens",
                )
            ]
        )

    tranche = tranche if tranche in ("1", "2") else ALLE
    van = van if van in kwartalen else None
    tot = tot if tot in kwartalen else None
    kpi_body = dcc.Loading(html.Div(id="kpi-cards"), type="default", delay_show=300)
    graph = dcc.Graph(
        id="grafiek-instroom",
        config=GRAPH_CONFIG,
        style={"height": "420px"},
        className="pm-figure",
    )
    return html.Div(
        header
        + [
            _filter_bar(kwartalen, tranche, van, tot),
            _section("Kerncijfers", "kop-kerncijfers", KPI_FIGURE, kpi_body, "definitie-kerncijfers"),
            _section(
                "Aangemelde casussen per kwartaal",
                "kop-instroom",
                INSTROOM_FIGURE,
                graph,
                "definitie-instroom",
            ),
        ]
    )


def _shown(value) -> str:
    """A count as shown: Dutch digits, or the protection's text ('<5') unchanged."""
    return value if isinstance(value, str) else format_nl(value)


def _kpi_value(row, eenheid: str) -> str:
    if isinstance(row.waarde, str):
        return row.waarde
    if eenheid in PERCENT_UNITS:
        return format_percent_nl(row.waarde, 1)
    return format_nl(row.waarde, 0)


def _kpi_detail(row) -> str:
    if row.noemer is None or row.noemer != row.noemer:
        return ""
    return f"{_shown(row.teller)} van {_shown(row.noemer)}"


def _explanation(data) -> list:
    """The definition, and the protection note when cells were hidden."""
    if not data.protected:
        return [data.indicator.definitie]
    return [data.indicator.definitie, html.Br(), html.Em(data.note)]


def _kpi_card(row, eenheid: str):
    return dbc.Col(
        dbc.Card(
            dbc.CardBody(
                [
                    html.Div(row.titel, className="pm-kpi-title"),
                    html.Div(_kpi_value(row, eenheid), className="pm-kpi-value"),
                    html.Div(_kpi_detail(row), className="pm-kpi-detail"),
                ]
            ),
            class_name="pm-kpi",
            id={"type": "kpi-kaart", "kpi": row.kpi},
        )
    )


@callback(
    Output("kpi-cards", "children"),
    Output("definitie-kerncijfers", "children"),
    Input("filter-tranche", "value"),
    Input("filter-van", "value"),
    Input("filter-tot", "value"),
)
def update_kpis(tranche, van, tot):
    data = figure_data(KPI_FIGURE, _filters(tranche, van, tot), data_dir=_data_dir())
    if data.df.empty:
        cards = dbc.Alert("Geen gegevens voor deze selectie.", color="light")
    else:
        cards = dbc.Row(
            [_kpi_card(row, data.indicator.eenheid) for row in data.df.itertuples(index=False)],
            class_name="g-3 row-cols-1 row-cols-sm-2 row-cols-md-3 row-cols-lg-4",
        )
    return cards, _explanation(data)


def _tick(kwartaal: str) -> str:
    """'2024-Q2' -> 'Q2' over '2024': horizontal labels stay readable for 20+ quarters."""
    jaar, q = kwartaal.split("-")
    return f"{q}<br>{jaar}"


def instroom_figure(df, kwartalen: list[str]) -> go.Figure:
    """Grouped bars of registrations per quarter, one fixed colour per tranche."""
    fig = go.Figure()
    for tranche, colour in TRANCHE_COLOURS.items():
        rows = df[df["tranche"] == tranche]
        if rows.empty:
            continue
        # A protected count ('<5') draws no bar; the hover still says what it is.
        fig.add_bar(
            x=rows["kwartaal"],
            y=pd.to_numeric(rows["aangemeld"], errors="coerce"),
            customdata=[_shown(v) for v in rows["aangemeld"]],
            name=f"Tranche {tranche}",
            marker_color=colour,
            hovertemplate=f"Tranche {tranche}<br>%{{x}}: %{{customdata}} casussen<extra></extra>",
        )
    fig.update_layout(
        template=register_template(),
        barmode="group",
        bargap=0.25,
        xaxis={"title": {"text": "Kwartaal van aanmelding"}, "type": "category",
               "categoryorder": "array", "categoryarray": kwartalen,
               "tickmode": "array", "tickvals": kwartalen, "ticktext": [_tick(k) for k in kwartalen],
               "tickangle": 0},
        yaxis={"title": {"text": "Aangemelde casussen"}, "tickformat": ",d", "rangemode": "tozero"},
        margin={"t": 40},
    )
    if df.empty:
        fig.add_annotation(text="Geen gegevens voor deze selectie", showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 16})
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
    return fig


@callback(
    Output("grafiek-instroom", "figure"),
    Output("grafiek-instroom", "config"),
    Output("definitie-instroom", "children"),
    Input("filter-tranche", "value"),
    Input("filter-van", "value"),
    Input("filter-tot", "value"),
)
def update_instroom(tranche, van, tot):
    filters = _filters(tranche, van, tot)
    data = figure_data(INSTROOM_FIGURE, filters, data_dir=_data_dir())
    kwartalen = sorted(data.df["kwartaal"].unique()) if not data.df.empty else []
    image_name = Path(download_filename(INSTROOM_FIGURE, filters, dt.date.today())).stem
    config = {**GRAPH_CONFIG, "toImageButtonOptions": {"format": "png", "filename": image_name, "scale": 2}}
    return instroom_figure(data.df, kwartalen), config, _explanation(data)


@callback(
    Output({"type": "download", "figuur": MATCH}, "data"),
    Input({"type": "download-knop", "figuur": MATCH}, "n_clicks"),
    State("filter-tranche", "value"),
    State("filter-van", "value"),
    State("filter-tot", "value"),
    prevent_initial_call=True,
)
def download(_n_clicks, tranche, van, tot):
    figure_id = ctx.triggered_id["figuur"]
    filters = _filters(tranche, van, tot)
    data = figure_data(figure_id, filters, data_dir=_data_dir())
    return dcc.send_bytes(
        to_csv_bytes(data.df),
        download_filename(figure_id, filters, dt.date.today()),
        type="text/csv",
    )
