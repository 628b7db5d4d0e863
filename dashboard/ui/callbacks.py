"""The app's shared callbacks (`register_callbacks`, called once by create_app): filter controls
-> new URL, and the one download callback (CSV and Excel) of every figure card.
"""

from __future__ import annotations

import datetime as dt

import dash
from dash import ALL, MATCH, Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from dashboard import registry, security
from dashboard.csvout import download_filename, to_csv_bytes
from dashboard.figuredata import FigureData, Filters, figure_data, snapshot_info
from dashboard.ui.data import data_dir, effective_filters
from dashboard.ui.view import View, param_id, parse_search, search_for_controls, view_from_query
from dashboard.xlsxout import to_xlsx_bytes, xlsx_filename


def register_callbacks(app: dash.Dash) -> None:
    """The app's shared callbacks: filter controls -> URL, and the one download callback."""

    @app.callback(
        Output("url", "search"),
        Input(param_id(ALL), "value"),
        State("url", "pathname"),
        State("url", "search"),
        prevent_initial_call=True,
    )
    def controls_to_url(values, pathname, search):
        names = [item["id"]["name"] for item in ctx.inputs_list[0]]
        new = search_for_controls(names, values, pathname, search)
        return no_update if new == (search or "") else new

    @app.callback(
        Output({"type": "pm-download", "kaart": MATCH, "figuur": MATCH, "filters": MATCH}, "data"),
        Input({"type": "pm-download-knop", "kaart": MATCH, "figuur": MATCH, "filters": MATCH}, "n_clicks"),
        prevent_initial_call=True,
    )
    def download(n_clicks):
        figure_id, filters, data = _requested_download(n_clicks, "csv")
        return dcc.send_bytes(to_csv_bytes(data.df), download_filename(figure_id, filters, dt.date.today()),
                              type="text/csv")

    @app.callback(
        Output({"type": "pm-download-xlsx", "kaart": MATCH, "figuur": MATCH, "filters": MATCH}, "data"),
        Input({"type": "pm-download-xlsx-knop", "kaart": MATCH, "figuur": MATCH, "filters": MATCH}, "n_clicks"),
        prevent_initial_call=True,
    )
    def download_xlsx(n_clicks):
        figure_id, filters, data = _requested_download(n_clicks, "xlsx")
        name = xlsx_filename(download_filename(figure_id, filters, dt.date.today()))
        return dcc.send_bytes(to_xlsx_bytes(data, snapshot_info(data_dir()).peildatum), name,
                              type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _requested_download(n_clicks, formaat: str) -> tuple[str, Filters, FigureData]:
    """The figure, filters and data a download button asks for, recorded in the audit log first
    (security.record_download refuses the steering group and an unrecordable download)."""
    if not n_clicks:
        raise PreventUpdate
    figure_id = ctx.triggered_id["figuur"]
    try:
        registry.get(figure_id)
    except registry.RegistryError:
        raise PreventUpdate from None
    # The button carries the filters its card was drawn with: the file is what the card shows.
    filters = effective_filters(figure_id, view_from_query(parse_search(ctx.triggered_id["filters"])).filters)
    data = figure_data(figure_id, filters, data_dir=data_dir())
    security.record_download(figure_id, filters=View(filters=filters).to_query(), rijen=len(data.df), formaat=formaat)
    return figure_id, filters, data
