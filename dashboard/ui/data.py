"""The data a page shows: the figure data of a card for its view, and the quarters in the data.

Every number reaches a page through `card_data` (figuredata.figure_data, protection applied
there; always protected in presentation mode). The data folder comes from the Flask app.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd
from flask import current_app, g

from dashboard import reference, registry
from dashboard.figuredata import FigureData, Filters, NoData, figure_data, snapshot_info
from dashboard.ui.view import View


def data_dir() -> Path:
    return current_app.config["MONITOR_DATA_DIR"]


def quarters() -> list[str]:
    """All quarters in the data ('2021-Q4' … ); empty when nothing is loaded yet.

    Read once per request: a page asks for them in several places.
    """
    if "pm_kwartalen" not in g:
        try:
            g.pm_kwartalen = snapshot_info(data_dir()).kwartalen
        except NoData:
            g.pm_kwartalen = []
    return g.pm_kwartalen


def previous_quarter(kwartaal: str) -> str:
    jaar, q = int(kwartaal[:4]), int(kwartaal[-1])
    return f"{jaar - 1}-Q4" if q == 1 else f"{jaar}-Q{q - 1}"


def latest_quarter(view: View, kwartalen: Sequence[str] | None = None) -> str | None:
    """The quarter the view ends in: its to-quarter, else the last quarter in the data."""
    kwartalen = quarters() if kwartalen is None else kwartalen
    return view.filters.tot or (kwartalen[-1] if kwartalen else None)


def effective_filters(figure_id: str, filters: Filters) -> Filters:
    """The filters the figure's query really takes: a period on a figure without one is dropped,
    so the file name never claims a filter that was not applied."""
    params = registry.get(figure_id).parameters
    return Filters(
        tranche=filters.tranche if "tranche" in params else None,
        proeftuinen=filters.proeftuinen if "proeftuinen" in params else (),
        van=filters.van if "van" in params else None,
        tot=filters.tot if "tot" in params else None,
    )


def card_data(figure_id: str, view: View, filters: Filters | None = None) -> FigureData:
    """The figure's data for this view; presentation mode always protects small numbers."""
    filters = effective_filters(figure_id, filters if filters is not None else view.filters)
    return figure_data(figure_id, filters, data_dir=data_dir(), always_protect=view.presentatie)



def proeftuinen_in(filters: Filters) -> list[reference.Proeftuin]:
    """The proeftuinen the filters choose, in the reference order (tranche 1 first)."""
    return [p for p in reference.proeftuinen()
            if (not filters.tranche or p.tranche == filters.tranche)
            and (not filters.proeftuinen or p.code in filters.proeftuinen)]


def proeftuinen_listed(codes: Iterable[str]) -> list[reference.Proeftuin]:
    """The proeftuinen of these codes (e.g. a figure's proeftuin column), in the reference order."""
    present = set(codes)
    return [p for p in reference.proeftuinen() if p.code in present]


def records(df: pd.DataFrame) -> list[dict]:
    """The rows as dicts, as DataFrame.to_dict("records") gives them (a missing value of a
    nullable column as None), read column by column: about three times faster on figure data."""
    columns = list(df.columns)
    values = ([None if v is pd.NA else v for v in df[c].tolist()] for c in columns)
    return [dict(zip(columns, row)) for row in zip(*values)]


def records_by(df: pd.DataFrame, column: str) -> dict:
    """The rows as `records` gives them, grouped by their value in `column` (groups in order of
    first appearance, rows in their order): one pass, where a filter per value reads them all."""
    groups: dict = {}
    for row in records(df):
        groups.setdefault(row[column], []).append(row)
    return groups
