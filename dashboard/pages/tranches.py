"""Tranches: tranche 1 against tranche 2, side by side for every KPI.

The headline puts every proeftuin on its own clock (months since its start, start month = 0),
so both tranches start at month 0; `tijd=kalender` in the URL switches to calendar time.
Below: each tranche's key figures side by side, each key figure's spread across the proeftuinen
of each tranche, and the tranches' values at equal age.

Layout only: the view comes from the URL (dashboard.ui.view), every number from
dashboard.figuredata through the shared figure cards. Every card is also usable as a slide, so
the cards live in dashboard/figures/tranches.py.
"""

from __future__ import annotations

import dash
from dash import html

from dashboard.figures.tranches import TIJDEN, gelijke_leeftijd_card, kpi_tranches_card, leeftijd_card, spreiding_card
from dashboard.ui.cards import no_data_message, page_header
from dashboard.ui.data import quarters
from dashboard.ui.filters import filter_bar, param_radio
from dashboard.ui.parallel import side_by_side
from dashboard.ui.view import view_from_query

EXTRA = {"tijd": TIJDEN}

dash.register_page(
    __name__,
    path="/tranches",
    name="Tranches",
    title="Tranches · Proeftuinmonitor",
    description="Tranche 1 naast tranche 2: groei op gelijke leeftijd en de kerncijfers per tranche.",
    order=1,
    view_extra=EXTRA,
)

TIJD_OPTIONS = [("leeftijd", "Maanden sinds de start"), ("kalender", "Kalendertijd")]


def layout(**query):
    """The page; filters, tijd= and presentatie=1 come from the query string."""
    view = view_from_query(query, EXTRA)
    kwartalen = quarters()
    header = page_header(
        "Tranches",
        "Tranche 1 (gestart eind 2021) naast tranche 2 (gestart eind 2022). Elke proeftuin staat "
        "op haar eigen klok: maand 0 is de maand waarin zij begon, zodat beide tranches op "
        "hetzelfde punt starten. Kies 'Kalendertijd' om dezelfde cijfers in de tijd te zien.",
        view,
    )
    if not kwartalen:
        return html.Div([header, no_data_message()])
    toggle = param_radio("tijd", "Tijdas", TIJD_OPTIONS, view)
    return html.Div([
        header,
        filter_bar(view, kwartalen=kwartalen, controls=[toggle]),
        *side_by_side([lambda: leeftijd_card(view), lambda: kpi_tranches_card(view),
                       lambda: spreiding_card(view), lambda: gelijke_leeftijd_card(view)]),
    ])
