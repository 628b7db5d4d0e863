"""Presentatie: a fixed sequence of slides for the steering group, one or two figures each.

`/presentatie?dia=N&presentatie=1`. Each slide calls the same card builders as the pages, in
presentation mode (large type, no filters or downloads, small numbers always protected). The
arrow keys and PageUp/PageDown step through the slides (assets/presentatie.js clicks the
#dia-vorige / #dia-volgende links rendered here).

The slides are dashboard/figures/slides.py's SLIDES, (title, builder) pairs; a builder takes the
View and returns the slide's content. The builders come from dashboard/figures/ (one module per
page), never from a page module: Dash loads the pages itself, and importing one would register
it a second time.
"""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard.figures.slides import SLIDES
from dashboard.report_download import report_button
from dashboard.ui.cards import no_data_message
from dashboard.ui.data import quarters
from dashboard.ui.view import View, view_from_query

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
