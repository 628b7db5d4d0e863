"""Definities: every figure and KPI with its definition and SQL, generated from the registry."""

from __future__ import annotations

import dash
from dash import html

from dashboard import registry
from dashboard.figures.definities import definition_entry

dash.register_page(
    __name__,
    path="/definities",
    name="Definities",
    title="Definities · Proeftuinmonitor",
    description="Definitie, teller, noemer, eenheid, bronkolommen en SQL van elke figuur en KPI.",
    order=90,
)

def layout(**_query):
    indicators = list(registry.load_registry().values())
    return html.Div(
        [
            html.H1("Definities"),
            html.P(
                "Elke figuur en elk kerncijfer van de monitor, met de definitie, teller en noemer, "
                "de eenheid, de bronkolommen uit het exportformaat en de SQL-query waaruit het getal "
                "komt. Deze pagina wordt uit dezelfde querybestanden gemaakt als de figuren en de downloads.",
                className="lead",
            ),
            html.Nav(
                html.Ul([html.Li(html.A(i.titel, href=f"#{i.id}")) for i in indicators], className="pm-toc"),
                **{"aria-label": "Inhoud"},
            ),
            *[definition_entry(i) for i in indicators],
        ]
    )
