"""Thema's: which proeftuin works on which theme (general and specific), with its status, and how
many proeftuinen work on each theme.

Layout only: the view comes from the URL (dashboard.ui.view), every number from
dashboard.figuredata through the shared figure cards. Both cards are also slides of the
presentation, so they live in dashboard/figures/themas.py.
"""

from __future__ import annotations

import dash
from dash import html

from dashboard.figures.themas import aantal_card, matrix_card
from dashboard.ui.cards import no_data_message, page_header
from dashboard.ui.data import quarters
from dashboard.ui.filters import filter_bar
from dashboard.ui.view import view_from_query

dash.register_page(
    __name__,
    path="/themas",
    name="Thema's",
    title="Thema's · Proeftuinmonitor",
    description="Welke proeftuin aan welk thema werkt, met de status, en hoeveel proeftuinen per thema.",
    order=4,
)


def layout(**query):
    """The page; the filters and presentatie=1 come from the query string."""
    view = view_from_query(query)
    header = page_header(
        "Thema's",
        "Aan welke thema's de proeftuinen werken, met de status in het laatst gemelde jaar, naast "
        "de thema's die de factsheet aan elke proeftuin toewijst. De thema's komen uit de laatste "
        "themas-levering van elke proeftuin; er is geen periodefilter.",
        view,
    )
    if not quarters():
        return html.Div([header, no_data_message()])
    return html.Div([
        header,
        filter_bar(view, periode=False),
        matrix_card(view),
        aantal_card(view),
    ])
