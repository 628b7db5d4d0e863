"""The page for an address that does not exist, in Dutch."""

import dash
from dash import html

dash.register_page(__name__, path="/404", name="Niet gevonden", title="Niet gevonden · Proeftuinmonitor", nav=False)


def layout(**_query):
    return html.Div(
        [
            html.H1("Deze pagina bestaat niet"),
            html.P(["Controleer het adres, of ga terug naar het ", html.A("overzicht", href="/"), "."]),
        ]
    )
