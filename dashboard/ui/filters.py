"""The filter bar: tranche, proeftuinen, from/to quarter and a page's own toggles.

Every control carries `param_id(name)`; one shared callback (ui.callbacks) turns a change into
a new URL, and the page is rebuilt from it.
"""

from __future__ import annotations

from collections.abc import Sequence

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import reference
from dashboard.ui.data import quarters
from dashboard.ui.view import ALLE, View, param_id
from dashboard.ui.vocab import TRANCHE_COLOURS, tranche_label

# Dash 4's dropdown speaks English unless told otherwise.
DROPDOWN_LABELS = {
    "select_all": "Alles kiezen",
    "deselect_all": "Niets kiezen",
    "selected_count": "{num_selected} gekozen",
    "search": "Zoeken",
    "clear_search": "Zoekterm wissen",
    "clear_selection": "Keuze wissen",
    "no_options_found": "Niets gevonden",
}


def _labelled(label: str, control_id: str, control, *, group: bool = False):
    if group:
        return html.Div(
            [html.Span(label, className="pm-filter-label", id=f"{control_id}-label"), control],
            className="pm-filter", role="radiogroup", **{"aria-labelledby": f"{control_id}-label"},
        )
    return html.Div(
        [html.Label(label, htmlFor=control_id, className="pm-filter-label"), control],
        className="pm-filter",
    )


def param_radio(name: str, label: str, options: Sequence[tuple[str, str]], view: View):
    """Radio buttons for a page toggle (declared in the page's `view_extra`)."""
    return _labelled(
        label, f"filter-{name}",
        dbc.RadioItems(
            id=param_id(name), class_name="pm-radios", inline=True,
            options=[{"label": text, "value": value} for value, text in options],
            value=view.extra.get(name),
        ),
        group=True,
    )


def filter_bar(view: View, *, kwartalen: Sequence[str] | None = None, tranche: bool = True,
               proeftuinen: bool = True, periode: bool = True, controls: Sequence = ()):
    """Tranche, proeftuinen, from/to quarter and the page's own `controls`.

    None in presentation mode. Every control carries `param_id(name)`; one shared callback
    turns a change into a new URL, and the page is rebuilt from it.
    """
    if view.presentatie:
        return None
    f = view.filters
    items = []
    if tranche:
        items.append(_labelled(
            "Tranche", "filter-tranche",
            dbc.RadioItems(
                id=param_id("tranche"), class_name="pm-radios", inline=True,
                options=[{"label": "Alle", "value": ALLE},
                         *({"label": tranche_label(t), "value": str(t)} for t in TRANCHE_COLOURS)],
                value=str(f.tranche) if f.tranche else ALLE,
            ),
            group=True,
        ))
    if proeftuinen:
        # Sent when the list closes: choosing three proeftuinen is one new view, not three.
        items.append(_labelled(
            "Proeftuinen", "filter-proeftuinen",
            dcc.Dropdown(
                id=param_id("proeftuinen"), multi=True, value=list(f.proeftuinen),
                options=[{"label": p.naam, "value": p.code} for p in reference.proeftuinen()
                         if not f.tranche or p.tranche == f.tranche],
                placeholder="Alle proeftuinen", className="pm-filter-proeftuinen",
                closeOnSelect=False, debounce=True, labels=DROPDOWN_LABELS,
            ),
        ))
    if periode:
        kwartalen = quarters() if kwartalen is None else list(kwartalen)
        options = [{"label": k, "value": k} for k in kwartalen]
        for name, label, placeholder in (("van", "Van kwartaal", "Eerste"),
                                         ("tot", "Tot en met kwartaal", "Laatste")):
            items.append(_labelled(
                label, f"filter-{name}",
                dcc.Dropdown(id=param_id(name), options=options, value=getattr(f, name),
                             placeholder=placeholder, searchable=False, labels=DROPDOWN_LABELS,
                             className="pm-filter-kwartaal"),
            ))
    items.extend(controls)
    return html.Div(items, className="pm-filters", role="search", **{"aria-label": "Filters"})

