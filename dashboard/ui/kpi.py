"""The key figures as cards: value, teller van noemer, and the change against the quarter before."""

from __future__ import annotations

import dataclasses

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard.figuredata import FigureData, Filters
from dashboard.ui.cards import Card, figure_card, no_selection_message
from dashboard.ui.charts import numbers
from dashboard.ui.data import card_data, latest_quarter, previous_quarter, records
from dashboard.ui.format import breakable, format_nl, format_percent_nl, shown
from dashboard.ui.view import View

PERCENT_UNITS = ("%", "procent", "percentage")
KPI_FIGURE = "kpi-programma"


def _kpi_value(value, eenheid: str) -> str:
    if isinstance(value, str):
        return value
    if eenheid in PERCENT_UNITS:
        return format_percent_nl(value, 1)
    return format_nl(value, 0)


def _is_number(value) -> bool:
    return value is not None and not isinstance(value, str) and not pd.isna(value)


def change_text(current, previous, previous_label: str, eenheid: str = "%") -> str | None:
    """'+1,2 pp t.o.v. 2026-Q2' (percentage points for percentages); None when not computable."""
    if not (_is_number(current) and _is_number(previous)):
        return None
    diff = round(float(current) - float(previous), 1)
    unit = "pp" if eenheid in PERCENT_UNITS else eenheid
    if diff == 0:
        return f"±0,0 {unit} t.o.v. {previous_label}"
    sign = "+" if diff > 0 else "−"
    return f"{sign}{format_nl(abs(diff), 1)} {unit} t.o.v. {previous_label}"


KPI_DESCRIPTION = ("Elf kerncijfers over de gekozen proeftuinen samen (teller en noemer opgeteld), over de "
                   "casussen die in de gekozen periode zijn aangemeld.")


def kpi_cards(view: View, *, filters: Filters | None = None, figure_id: str = KPI_FIGURE,
              compare: bool = True, key: str | None = None, title: str = "Kerncijfers",
              description: str | None = KPI_DESCRIPTION):
    """The KPI figure as cards (value, teller van noemer, change against the previous quarter).

    The change compares the KPI over the cases registered up to the view's latest quarter with
    the same KPI up to the quarter before it; both come from figure_data.
    """
    filters = filters if filters is not None else view.filters
    current = card_data(figure_id, view, filters)
    previous, previous_label = None, None
    latest = latest_quarter(view)
    if compare and latest and "tot" in current.indicator.parameters:
        previous_label = previous_quarter(latest)
        if not filters.van or filters.van <= previous_label:
            previous = card_data(figure_id, view, dataclasses.replace(filters, tot=previous_label))
    before = ({row["kpi"]: row["waarde"] for row in records(previous.df)}
              if previous is not None else {})
    eenheid = current.indicator.eenheid

    def build(fd: FigureData):
        if fd.df.empty:
            return no_selection_message()
        cards = []
        for row in records(fd.df):
            detail = ""
            if _is_number(row.get("noemer")) or isinstance(row.get("noemer"), str):
                detail = f"{shown(row['teller'])} van {shown(row['noemer'])}"
            change = change_text(row["waarde"], before.get(row["kpi"]), previous_label, eenheid) \
                if previous_label else None
            cards.append(dbc.Col(dbc.Card(dbc.CardBody([
                html.Div(breakable(row["titel"]), className="pm-kpi-title"),
                html.Div(_kpi_value(row["waarde"], eenheid), className="pm-kpi-value"),
                html.Div(detail, className="pm-kpi-detail"),
                html.Div(change or "", className="pm-kpi-change",
                         title=(f"Verschil met de waarde over de casussen aangemeld t/m {previous_label}"
                                if change else None)),
            ]), class_name="pm-kpi", id={"type": "kpi-kaart", "kpi": row["kpi"], "kaart": key or ""})))
        gutter = "g-2" if view.presentatie else "g-3"
        return dbc.Row(cards, class_name=f"{gutter} row-cols-1 row-cols-sm-2 row-cols-md-3 row-cols-lg-4")

    return figure_card(figure_id, view, build, Card(title=title, description=description, basis=kpi_basis),
                       filters=filters, key=key, data=current)


def kpi_basis(fd: FigureData, of: str = "") -> str | None:
    """The basis of key figures: their largest noemer, '4.531 casussen' (+ `of`, ' van Zeeland')."""
    noemers = numbers(fd.df.get("noemer", pd.Series(dtype=object)))
    return f"{format_nl(noemers.max())} casussen{of}" if noemers.notna().any() else None

