"""A figure's definition as the Definities page shows it: also the appendix of the report."""

from __future__ import annotations

from dash import html

from dashboard import registry

INDICATOR_SOORTEN = {"figuur": "Figuur", "kpi": "Kerncijfers", "tabel": "Tabel"}


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
            html.P([html.Code(ind.id), " · ", INDICATOR_SOORTEN.get(ind.soort, ind.soort)], className="text-muted"),
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
