"""The line that says of which data a figure is: peildatum and filters, in words.

Printed under every figure card (assets/print.css shows it on paper only) and used by the
steering-group report (dashboard/report.py), so a page or figure taken out of the dashboard
still says what it shows.
"""

from __future__ import annotations

import datetime as dt

from dash import html

from dashboard import reference
from dashboard.figuredata import Filters, NoData, snapshot_info
from dashboard.ui.format import format_date_nl


def filters_text(filters: Filters) -> str:
    """The filters in words: 'tranche 2 · Flevoland, Friesland · 2024-Q1 t/m 2026-Q3'."""
    names = {p.code: p.naam for p in reference.proeftuinen()}
    parts = [f"tranche {filters.tranche}" if filters.tranche else "beide tranches",
             ", ".join(names.get(p, p) for p in filters.proeftuinen) if filters.proeftuinen else "alle proeftuinen"]
    if filters.van or filters.tot:
        parts.append(f"{filters.van or 'eerste kwartaal'} t/m {filters.tot or 'laatste kwartaal'}")
    else:
        parts.append("alle kwartalen")
    return " · ".join(parts)


def peildatum(data_dir) -> dt.date | None:
    try:
        return snapshot_info(data_dir).peildatum
    except NoData:
        return None


def card_stamp(filters: Filters, data_dir):
    """'Peildatum 30-09-2026 · filters: …' for under a figure card (shown in print only)."""
    return html.P(f"Peildatum {format_date_nl(peildatum(data_dir))} · filters: {filters_text(filters)}",
                  className="pm-print-peildatum")
