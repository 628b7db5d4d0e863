"""Presentatie: a fixed sequence of slides for the steering group, one or two figures each.

`/presentatie?dia=N&presentatie=1`. Each slide calls the same card builders as the pages, in
presentation mode (large type, no filters or downloads, small numbers always protected). The
arrow keys and PageUp/PageDown step through the slides (assets/presentatie.js clicks the
#dia-vorige / #dia-volgende links rendered here).

To add a slide, add a (title, builder) pair to SLIDES. A builder takes the View and returns
the slide's content; `page_builder("tranches", "spreiding_card")` refers to a function of a
page module, imported when the slide is drawn (pages are loaded by Dash, not imported here).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import dash
from dash import dcc, html

from dashboard.components import View, no_data_message, quarters, view_from_query
from dashboard.report_download import report_button


def page_builder(page: str, function: str) -> Callable[[View], object]:
    """A slide builder that calls `function(view)` of dashboard/pages/<page>.py."""
    def build(view: View):
        return getattr(importlib.import_module(f"dashboard.pages.{page}"), function)(view)

    build.__name__ = f"{page}.{function}"
    return build


# The programme's story: overview, tranche comparison, themes, IV. Slides for pages that do not
# exist yet show the Overzicht figures; replace them when those pages have their cards.
SLIDES: list[tuple[str, Callable[[View], object]]] = [
    ("Het programma in cijfers", page_builder("overzicht", "kpi_section")),
    ("Aanmeldingen per kwartaal, per tranche", page_builder("overzicht", "instroom_card")),
    ("De tranches op gelijke leeftijd", page_builder("tranches", "leeftijd_card")),
    ("Kerncijfers: spreiding over de proeftuinen per tranche", page_builder("tranches", "spreiding_card")),
    ("Thema's: waar de proeftuinen aan werken", page_builder("themas", "aantal_card")),
    ("Informatievoorziening", page_builder("iv", "netwerkdossier_card")),
]

EXTRA = {"dia": tuple(str(n) for n in range(1, len(SLIDES) + 1))}

dash.register_page(
    __name__,
    path="/presentatie",
    name="Presentatie",
    title="Presentatie · Proeftuinmonitor",
    description="Een vaste reeks dia's voor een gedeeld scherm.",
    order=99,
    nav=False,
    view_extra=EXTRA,
)


def _slide_link(view: View, number: int, text: str, link_id: str, label: str):
    if not 1 <= number <= len(SLIDES):
        return html.Span(text, className="pm-dia-link disabled", **{"aria-hidden": "true"})
    target = view.replace(extra={**view.extra, "dia": str(number)})
    return dcc.Link(text, id=link_id, href=target.href("/presentatie"), className="pm-dia-link",
                    title=label)


def layout(**query):
    """Slide `dia` (1 = first); always in presentation mode."""
    view = view_from_query(query, EXTRA).replace(presentatie=True)
    number = int(view.extra["dia"])
    title, build = SLIDES[number - 1]
    bar = html.Div(
        [
            _slide_link(view, number - 1, "‹ Vorige", "dia-vorige", "Vorige dia (pijl links)"),
            html.Span(f"Dia {number} van {len(SLIDES)}", className="pm-dia-nummer", id="dia-nummer"),
            _slide_link(view, number + 1, "Volgende ›", "dia-volgende", "Volgende dia (pijl rechts)"),
            report_button(),
        ],
        className="pm-dia-bar",
        role="navigation",
        **{"aria-label": "Dia's"},
    )
    content = build(view) if quarters() else no_data_message()
    return html.Div(
        [bar, html.H1(title, className="pm-dia-titel"), html.Div(content, className="pm-dia-inhoud")],
        className="pm-dia",
        id="dia",
        **{"data-dia": str(number)},
    )
