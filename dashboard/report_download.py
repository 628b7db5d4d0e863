"""The "Rapport (HTML)" button on the slides: the steering-group report for the filters of the
view, built for the person asking (their role's scope, as on the pages) and recorded in the
audit log before it leaves, like every download (security.record_download; the steering group
itself gets none, so it gets no button either).
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import security
from dashboard.report import build_report, file_name
from dashboard.ui.view import View, parse_search, view_from_query

BUTTON_ID = "rapport-knop"
DOWNLOAD_ID = "rapport-download"
REPORT = "rapport"  # the audit log's name for this download (next to figure ids and 'foutrapport')


def report_button():
    """The button and its download; None for a role that may not download."""
    try:
        viewer = security.current_viewer()
    except security.Forbidden:
        return None
    if viewer is not None and viewer.is_stuurgroep:
        return None
    return html.Span([
        html.Button("Rapport (HTML)", id=BUTTON_ID, type="button", className="btn btn-outline-primary btn-sm pm-rapport-knop",
                    title="Alle dia's met deze filters als één HTML-bestand dat offline opent, om vooraf te mailen"),
        dcc.Download(id=DOWNLOAD_ID),
    ], className="pm-rapport-download")


def install(app: dash.Dash) -> None:
    """Register the button's callback (once, in create_app)."""

    @app.callback(Output(DOWNLOAD_ID, "data"), Input(BUTTON_ID, "n_clicks"), State("url", "search"),
                  prevent_initial_call=True)
    def download(n_clicks, search):
        if not n_clicks:
            raise PreventUpdate
        filters = view_from_query(parse_search(search)).filters
        report = build_report(filters, viewer=security.current_viewer())
        security.record_download(REPORT, filters=View(filters=filters).to_query(), formaat="html",
                                 figuren=list(report.figure_ids))
        return dcc.send_string(report.html, file_name(filters, report.peildatum), type="text/html")
