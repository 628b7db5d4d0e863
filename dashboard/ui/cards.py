"""The parts of a page around its figures: the page header, the figure card with its
definition, table view, downloads and image buttons, and the no-data message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import registry, security
from dashboard.figuredata import FigureData, Filters
from dashboard.stamp import card_stamp
from dashboard.stamp import peildatum as stamp_peildatum
from dashboard.ui.charts import NO_DATA, graph_config, presentation_style
from dashboard.ui.data import card_data, data_dir
from dashboard.ui.format import first_sentence, format_nl
from dashboard.ui.links import HINT as CLICK_HINT
from dashboard.ui.links import link_figure
from dashboard.ui.tables import data_table, scroll_region
from dashboard.ui.view import View


def page_header(title: str, lead: str | None, view: View):
    """The page heading and its lead text (the lead is left out in presentation mode)."""
    parts = [html.H1(title)]
    if lead and not view.presentatie:
        parts.append(html.P(lead, className="pm-lead"))
    return html.Div(parts, className="pm-page-head")


def no_data_message():
    return dbc.Alert(
        "Er zijn nog geen gegevens ingelezen. Zodra de eerste aanlevering is verwerkt, "
        "verschijnen hier de cijfers.",
        color="info", id="geen-gegevens",
    )


def no_selection_message():
    """In place of a table or cards when the chosen filters leave nothing to show."""
    return html.P(f"{NO_DATA}.", className="pm-no-data")


def sum_basis(column: str, noun: str = "casussen") -> Callable[[FigureData], str | None]:
    """A `basis` for figure_card: the sum of a count column, e.g. '1.234 aangemelde casussen'.

    Hidden cells ('<5') are left out of the sum, which then reads 'minstens …'.
    """
    def basis(fd: FigureData) -> str | None:
        if fd.df.empty or column not in fd.df.columns:
            return None
        values = fd.df[column]
        numbers = pd.to_numeric(values, errors="coerce")
        prefix = "minstens " if values.map(lambda v: isinstance(v, str)).any() else ""
        return f"{prefix}{format_nl(numbers.sum())} {noun}"

    return basis


def image_name(figure_id: str, filters: Filters) -> str:
    """'<figure-id>_<filters>_peildatum-<jjjj-mm-dd>': what the picture shows and of which data."""
    peildatum = stamp_peildatum(data_dir())
    return f"{figure_id}_{filters.slug()}" + (f"_peildatum-{peildatum.isoformat()}" if peildatum else "")


def image_buttons(graph_id: str, name: str, title: str):
    """Download the drawn chart as PNG or SVG (assets/figuren.js calls Plotly.downloadImage)."""
    return html.Div([
        html.Button(
            f"Afbeelding ({fmt.upper()})", type="button", className="btn btn-outline-primary btn-sm pm-image-knop",
            title=f"{title} als {fmt.upper()}-afbeelding",
            **{"data-pm-graph": graph_id, "data-pm-format": fmt, "data-pm-name": name},
        )
        for fmt in ("png", "svg")
    ], className="pm-image-knoppen", role="group", **{"aria-label": f"{title} downloaden als afbeelding"})


def download_button(figure_id: str, filters: Filters, key: str):
    query = View(filters=filters).to_query()
    ident = {"kaart": key, "figuur": figure_id, "filters": query}
    return html.Div([
        dbc.Button(
            "Download data (CSV)", id={"type": "pm-download-knop", **ident},
            color="primary", outline=True, size="sm", class_name="pm-download",
            title="De gegevens achter deze figuur, met de gekozen filters, als CSV voor Excel",
        ),
        dcc.Download(id={"type": "pm-download", **ident}),
        dbc.Button(
            "Download Excel", id={"type": "pm-download-xlsx-knop", **ident},
            color="primary", outline=True, size="sm", class_name="pm-download pm-download-xlsx",
            title="Dezelfde gegevens als Excel-bestand, met titel, filters, peildatum en een blad Toelichting",
        ),
        dcc.Download(id={"type": "pm-download-xlsx", **ident}),
    ], className="pm-downloads")


@dataclass(frozen=True)
class Card:
    """How a figure card presents its figure. What is left None comes from the registry: the
    indicator's title, and the first sentence of its definition as the description."""

    title: str | None = None
    description: str | None = None
    basis: str | Callable[[FigureData], str | None] | None = None  # completes 'Gebaseerd op …'
    table_columns: Mapping[str, str] | None = None  # the table view's columns and their headings
    height: int = 400  # px of the graph; presentation mode fits the graph to the screen instead
    min_width: int | None = None  # px; below it the graph scrolls sideways in its own area


def figure_card(figure_id: str, view: View, build: Callable[[FigureData], Any], card: Card = Card(), *,
                filters: Filters | None = None, key: str | None = None, data: FigureData | None = None):
    """One figure with its title, definition and basis, the graph as a <figure> (Dutch locale, no
    plotly modebar, an aria-label), a table of the same data for screen readers, PNG and SVG
    buttons, the CSV and Excel downloads, and the protection note.

    build(fd) returns a figure (ui.charts.plain_figure: drawn as a graph, with a table view) or a Dash component
    (shown as is, e.g. a table). `filters`: when the card shows other filters than the view's
    (one tranche of a side-by-side pair); `key`: when the same figure appears twice on a page;
    `data`: figure data already fetched with card_data (to avoid a second query).
    """
    card_id = f"kaart-{figure_id}" + (f"-{key}" if key else "")
    try:
        fd = data if data is not None else card_data(figure_id, view, filters)
    except security.NotForRole:
        # A role that may not see this figure sees the rest of the page, and says so here.
        return unavailable_card(card.title or registry.get(figure_id).titel,
                                "Deze figuur is voor uw rol niet beschikbaar.", figure_id=figure_id, card_id=card_id)
    heading_id = f"{card_id}-kop"
    title = card.title or fd.indicator.titel
    description = card.description or first_sentence(fd.indicator.definitie)
    basis_text = card.basis(fd) if callable(card.basis) else card.basis
    built = build(fd)
    name = image_name(figure_id, fd.filters)

    foot = []
    clickable = False
    if isinstance(built, dict):  # a figure (ui.charts.plain_figure)
        # A card narrowed to one proeftuin by its page, not by the user's filter, is on that
        # proeftuin's own page: no link to itself.
        own = (fd.filters.proeftuinen[0] if len(fd.filters.proeftuinen) == 1
               and view.filters.proeftuinen != fd.filters.proeftuinen else None)
        clickable = link_figure(built, view, own)
        if view.presentatie:
            presentation_style(built)
        graph = dcc.Graph(
            id=f"{card_id}-grafiek", figure=built, config=graph_config(name),
            style={"height": f"{card.height}px"} if not view.presentatie else None,
            className="pm-graph",
        )
        if card.min_width and not view.presentatie:
            # A grid of tiles needs its width to stay legible: below it, it scrolls in its own area
            # (a two-dimensional figure is exempt from reflow), never the page.
            graph = scroll_region(html.Div(graph, style={"minWidth": f"{card.min_width}px"}), title)
        # A <figure>, not role="img": an image role may not hold the chart's interactive parts.
        body = html.Figure(graph, className="pm-figure", **{"aria-label": f"{title}. {description}"})
        if not view.presentatie:  # the foot is not shown in presentation mode
            foot.append(html.Details(
                [html.Summary("Tabel"), data_table(fd.df, card.table_columns, caption=title, links=view, own=own)],
                className="pm-table-details",
            ))
            foot.append(image_buttons(f"{card_id}-grafiek", name, title))
    else:
        body = html.Div(built, className="pm-card-body")
    if not view.presentatie:
        foot.append(download_button(figure_id, fd.filters, card_id))

    about = [description]
    if basis_text:
        # A basis added up from rounded counts is itself approximate.
        if fd.threshold and fd.indicator.protection.rounded:
            # Two totals of the same cases on one screen may differ by the rounding: say so here.
            about.append(f" Gebaseerd op ongeveer {basis_text} (afgerond op {fd.threshold}-tallen; daardoor kan "
                         "het enkele casussen afwijken van een exact totaal elders).")
        else:
            about.append(f" Gebaseerd op {basis_text}.")
    if not view.presentatie:
        about += [" ", html.A("Definitie", href=f"/definities#{figure_id}", className="pm-definition-link",
                              **{"aria-label": f"Definitie van {title}"})]
    parts = [html.H2(title, id=heading_id), html.P(about, className="pm-definition pm-definition-top"), body]
    if clickable and not view.presentatie:
        parts.append(html.P(CLICK_HINT, className="pm-doorklik-hint"))
    if foot and not view.presentatie:
        parts.append(html.Div(foot, className="pm-card-foot"))
    if fd.threshold:
        parts.append(html.P(fd.note, className="pm-protection-note"))
    parts.append(card_stamp(fd.filters, data_dir()))  # on paper: of which data (assets/print.css)
    return html.Section(parts, id=card_id, className="pm-section pm-card",
                        **{"aria-labelledby": heading_id, "data-figuur": figure_id})



def unavailable_card(title: str, text: str, *, figure_id: str | None = None, card_id: str | None = None):
    """In place of a card the viewer's role may not see: its title and why, the rest of the page stays."""
    extra = {**({"id": card_id} if card_id else {}), **({"data-figuur": figure_id} if figure_id else {})}
    return html.Section([html.H2(title), html.P(text, className="pm-definition")], className="pm-section pm-card",
                        **extra)


def own_graph_height(card, height: int):
    """Give the card's graph its own height in presentation mode, where figure_card fits every
    graph to the screen: a figure with a row per item (35 themes, 30 werkgebieden) cannot be read
    in 480 px, so there the slide scrolls."""
    stack = [card]
    while stack:
        component = stack.pop()
        if isinstance(component, dcc.Graph):
            component.style = {"height": f"{height}px"}
            return card
        children = getattr(component, "children", None)
        stack.extend(children if isinstance(children, (list, tuple)) else [children] if children is not None else [])
    return card
