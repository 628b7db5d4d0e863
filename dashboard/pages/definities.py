"""Definities: every figure and KPI with its definition and SQL, generated from the registry."""

from __future__ import annotations

import dash
from dash import html

from dashboard import registry

dash.register_page(
    __name__,
    path="/definities",
    name="Definities",
    title="Definities · Proeftuinmonitor",
    description="Definitie, teller, noemer, eenheid, bronkolommen en SQL van elke figuur en KPI.",
    order=90,
)

SOORT_LABELS = {"figuur": "Figuur", "kpi": "Kerncijfers", "tabel": "Tabel"}


def _term(label: str, value: str):
    return [html.Dt(label), html.Dd(value or "–")]


def definition_entry(ind: registry.Indicator):
    rules = ind.protection
    protection = (
        "Aantallen van 1 tot de drempel worden afgeschermd"
        + (f" (kolommen: {', '.join(rules.counts)})" if rules.counts else "")
        + ("; percentages en medianen op een te kleine basis worden weggelaten" if rules.ratios else "")
        + (f"; afgerond op een veelvoud van de drempel: {', '.join(rules.rounded)}" if rules.rounded else "")
        + ("; een totaal over een eigen selectie van proeftuinen staat er alleen waar elke gekozen "
           "proeftuin zijn eigen cel toont" if rules.parts else "")
        + "."
        if rules.active else "Geen casusaantallen: niet afgeschermd."
    )
    return html.Section(
        [
            html.H2(ind.titel, className="h4"),
            html.P([html.Code(ind.id), " · ", SOORT_LABELS.get(ind.soort, ind.soort)], className="text-muted"),
            html.Dl(
                _term("Definitie", ind.definitie)
                + _term("Teller", ind.teller)
                + _term("Noemer", ind.noemer)
                + _term("Eenheid", ind.eenheid)
                + _term("Bronkolommen", ind.bron)
                + _term("Kleine aantallen", protection),
                className="pm-definition",
            ),
            html.Details([html.Summary("SQL"), html.Pre(html.Code(ind.sql.strip()), className="pm-sql")]),
        ],
        id=ind.id,
        className="pm-definition-entry",
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
