"""Overzicht: the programme's key figures, registrations and running cases per tranche, and
which proeftuinen delivered for the latest quarter.

Layout only: the view comes from the URL (dashboard.ui.view), every number from
dashboard.figuredata through the shared figure cards. The key figures and the two tranche charts
are also slides, so they live in dashboard/figures/overzicht.py; the delivery table is here.
"""

from __future__ import annotations

import dataclasses

import dash
import pandas as pd
from dash import html

from dashboard.contract import SOORTEN
from dashboard.delivery_status import notice as delivery_notice
from dashboard.figuredata import FigureData
from dashboard.figures.overzicht import instroom_card, kpi_section, lopend_card
from dashboard.security import current_viewer
from dashboard.ui.cards import Card, figure_card, no_data_message, page_header
from dashboard.ui.data import latest_quarter, proeftuinen_in, quarters
from dashboard.ui.filters import filter_bar
from dashboard.ui.format import shown
from dashboard.ui.links import proeftuin_link
from dashboard.ui.parallel import side_by_side
from dashboard.ui.tables import scroll_region
from dashboard.ui.view import View, view_from_query
from dashboard.ui.vocab import SOORT_LABELS, STATUSES

dash.register_page(
    __name__,
    path="/",
    name="Overzicht",
    title="Overzicht · Proeftuinmonitor",
    description="Kerncijfers, aanmeldingen en lopende casussen per tranche, en de leveringen.",
    order=0,
)

LEVERINGEN_FIGURE = "leveringen-per-kwartaal"


def layout(**query):
    """The page; the filters and presentatie=1 come from the query string."""
    view = view_from_query(query)
    kwartalen = quarters()
    header = page_header(
        "Overzicht",
        "Kerncijfers van de proeftuinen, aangemelde en lopende casussen per tranche, en welke "
        "proeftuinen voor het laatste kwartaal hebben geleverd. De downloads bevatten precies "
        "de gegevens die u ziet.",
        view,
    )
    if not kwartalen:
        return html.Div([header, no_data_message()])
    kpi, instroom, lopend, leveringen = side_by_side([
        lambda: kpi_section(view), lambda: instroom_card(view), lambda: lopend_card(view),
        lambda: leveringen_card(view, kwartalen)])
    return html.Div([
        header,
        delivery_notice(view.presentatie),
        filter_bar(view, kwartalen=kwartalen),
        kpi,
        html.Div(
            [html.Div(instroom, className="col-lg-6"), html.Div(lopend, className="col-lg-6")],
            className="row g-4 pm-pair",
        ),
        leveringen,
    ])


# --- cards ---------------------------------------------------------------------------------------


def leveringen_card(view: View, kwartalen=None):
    """Per proeftuin and soort: geleverd, afgewezen or niet geleverd, for the latest quarter."""
    kwartaal = latest_quarter(view, kwartalen)
    filters = dataclasses.replace(view.filters, van=kwartaal, tot=kwartaal)
    return figure_card(
        LEVERINGEN_FIGURE, view, lambda fd: delivery_table(fd, view),
        Card(
            title=f"Leveringen over {kwartaal}",
            description=f"Welke proeftuinen een geaccepteerde levering over {kwartaal} hebben, per soort.",
            basis=lambda fd: f"{_total(fd, 'ontvangen')} ontvangen leveringen",
        ),
        filters=filters,
    )


# --- figure and table builders ----------------------------------------------------------------


def _total(fd: FigureData, column: str) -> str:
    return shown(int(pd.to_numeric(fd.df[column], errors="coerce").sum())) if not fd.df.empty else "0"


def delivery_status(fd: FigureData) -> dict[tuple[str, str], str]:
    """(proeftuin, soort) -> 'geleverd' (an accepted delivery) or 'afgewezen' (only rejected
    ones); a pair that is missing was not delivered."""
    if fd.df.empty:
        return {}
    accepted = pd.to_numeric(fd.df["geaccepteerd"], errors="coerce").fillna(0)
    per_pair = accepted.groupby([fd.df["proeftuin"], fd.df["soort"]]).sum()
    return {pair: "geleverd" if n > 0 else "afgewezen" for pair, n in per_pair.items()}


OTHER_PROEFTUINEN_HIDDEN = "De leveringen van andere proeftuinen ziet u niet."


def _own_proeftuin() -> str | None:
    """The proeftuin of a logged-in proeftuin user, else None."""
    viewer = current_viewer()
    return viewer.proeftuin if viewer is not None else None


def delivery_table(fd: FigureData, view: View):
    """A compact table: the proeftuinen of the view against the soorten, with a clear mark.

    A proeftuin user sees the delivery log of its own proeftuin only: the table then has its own
    row, and says that the others are not shown (never that they did not deliver)."""
    own = _own_proeftuin()
    tuinen = [p for p in proeftuinen_in(view.filters) if own is None or p.code == own]
    soorten = [s for s in SOORTEN if s == "casussen" or (not fd.df.empty and (fd.df["soort"] == s).any())]
    head = html.Thead(html.Tr(
        [html.Th("Proeftuin", scope="col"), html.Th("Tranche", scope="col")]
        + [html.Th(SOORT_LABELS.get(s, s), scope="col") for s in soorten]
    ))
    statuses = delivery_status(fd)
    body = []
    for p in tuinen:
        cells = [html.Th(proeftuin_link(p.code, p.naam, view), scope="row"), html.Td(str(p.tranche))]
        for s in soorten:
            # The colours come from vocab too, through its CSS variables (components.css).
            status = STATUSES[statuses.get((p.code, s), "niet_geleverd")]
            cells.append(html.Td(
                [html.Span(status.mark, className="pm-mark", **{"aria-hidden": "true"}), f" {status.label.lower()}"],
                className=f"pm-status-{status.label.lower().replace(' ', '-')}",
            ))
        body.append(html.Tr(cells))
    delivered = sum(statuses.get((p.code, "casussen")) == "geleverd" for p in tuinen)
    if own is None:
        text = f"{delivered} van de {len(tuinen)} proeftuinen hebben casussen geleverd."
    else:
        name = tuinen[0].naam if tuinen else own
        text = (f"{name} heeft {'' if delivered else 'nog geen '}casussen geleverd. "
                f"{OTHER_PROEFTUINEN_HIDDEN}")
    summary = html.P(text, className="pm-delivery-summary")
    return html.Div([summary, scroll_region(html.Table([head, html.Tbody(body)],
                                                       className="table table-sm pm-table pm-delivery-table"),
                                            "Leveringen per proeftuin en soort")])
