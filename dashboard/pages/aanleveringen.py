"""Aanleveringen: the delivery log in a sortable, filterable grid, and the error report of each
delivery with errors or warnings to download.

Layout and the error-report callbacks only: the log comes from figure_data('leveringslog')
through the shared figure card (with its CSV download), a report from figuredata.error_report,
which scopes by role exactly like the log (a proeftuin its own deliveries, the steering group
none).

The grid holds no JavaScript: the app's Content-Security-Policy forbids eval. A date's value
in the grid is '<jjjj-mm-dd> <dd-mm-jjjj>': AG Grid sorts on it as text, which is date order,
its text filter finds either form, and `refData` (a plain map of value -> text) shows only
dd-mm-jjjj. The status badges use cellClassRules, whose expressions dash-ag-grid evaluates
with its own parser (esprima + static-eval), never with eval.
"""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import security
from dashboard.figuredata import FigureData, error_report
from dashboard.security import NotForRole
from dashboard.ui.cards import Card, figure_card, no_data_message, page_header
from dashboard.ui.data import card_data, data_dir, quarters, records
from dashboard.ui.filters import filter_bar
from dashboard.ui.format import format_nl
from dashboard.ui.view import View, view_from_query
from dashboard.ui.vocab import LOG_STATUSSEN, SOORT_LABELS, STATUSES, proeftuin_names

dash.register_page(
    __name__,
    path="/aanleveringen",
    name="Aanleveringen",
    title="Aanleveringen · Proeftuinmonitor",
    description="Het leveringenlogboek: elke ontvangen levering met status en foutrapport.",
    order=7,
)

LOG_FIGURE = "leveringslog"
GRID_ID = "leveringslog-grid"
REPORT_BUTTON_ID = "foutrapport-knop"
REPORT_DOWNLOAD_ID = "foutrapport-download"
REPORT_CHOICE_ID = "foutrapport-keuze"

UNKNOWN = "(onbekend)"
CHOOSE_TEXT = ("Kies een levering met fouten of waarschuwingen om haar foutrapport te downloaden: klik erop, of "
               "ga met Tab naar de tabel, kies de rij met de pijltjestoetsen en druk op de spatiebalk.")

# AG Grid's own texts in Dutch (filter menus, empty grid); the rest of its texts are not shown here.
LOCALE_NL = {
    "contains": "Bevat", "notContains": "Bevat niet", "equals": "Is gelijk aan", "notEqual": "Is niet gelijk aan",
    "startsWith": "Begint met", "endsWith": "Eindigt op", "blank": "Leeg", "notBlank": "Niet leeg",
    "lessThan": "Kleiner dan", "greaterThan": "Groter dan", "lessThanOrEqual": "Kleiner dan of gelijk aan",
    "greaterThanOrEqual": "Groter dan of gelijk aan", "inRange": "Tussen", "inRangeStart": "Van",
    "inRangeEnd": "Tot", "before": "Voor", "after": "Na",
    "filterOoo": "Filter…", "andCondition": "EN", "orCondition": "OF", "applyFilter": "Toepassen",
    "resetFilter": "Wissen", "clearFilter": "Wissen", "cancelFilter": "Annuleren",
    "searchOoo": "Zoeken…", "selectAll": "Alles kiezen", "noMatches": "Niets gevonden",
    "loadingOoo": "Laden…", "noRowsToShow": "Geen leveringen voor deze selectie",
    "ariaFilterInput": "Filterwaarde", "ariaFilterValue": "Filterwaarde", "ariaFilteringOperator": "Filtersoort",
    "ariaColumnFiltered": "Kolom is gefilterd", "ariaSortableColumn": "Druk op Enter om te sorteren",
    "ariaFilterColumn": "Druk op Ctrl+Enter om te filteren", "ariaFilterMenuOpen": "Filtermenu openen",
    "ariaMenuColumn": "Druk op Alt+pijl omlaag voor het kolommenu", "ariaRowSelect": "Druk op spatie om de rij te kiezen",
    "ariaRowDeselect": "Druk op spatie om de rij niet meer te kiezen", "ariaSearch": "Zoeken",
    "ariaDateFilterInput": "Datum", "ariaLabelColumnFilter": "Kolomfilter",
    "ariaLabelDialog": "Dialoogvenster", "ariaLabelSelectField": "Keuzelijst", "ariaLabelTooltip": "Toelichting",
}


def layout(**query):
    """The page; the filters and presentatie=1 come from the query string."""
    view = view_from_query(query)
    kwartalen = quarters()
    header = page_header(
        "Aanleveringen",
        "Elke ontvangen levering van de proeftuinen, de nieuwste eerst: wat er is binnengekomen, "
        "wanneer, met welke status, en hoeveel fouten en waarschuwingen. Sorteer met een klik op een "
        "kolomkop en filter in de regel eronder; het foutrapport van een levering downloadt u door de "
        "levering te kiezen. Met het toetsenbord: Tab brengt u in de tabel en er weer uit, de "
        "pijltjestoetsen gaan door kolomkoppen, filters en rijen, Enter sorteert op een kolomkop en de "
        "spatiebalk kiest een levering.",
        view,
    )
    if not kwartalen:
        return html.Div([header, no_data_message()])
    return html.Div([header, filter_bar(view, kwartalen=kwartalen), log_card(view)])


def log_card(view: View):
    """The delivery log as a grid with the error-report download above it."""
    title = "Leveringslogboek"
    try:
        fd = card_data(LOG_FIGURE, view)
    except NotForRole:
        return html.Section(
            [html.H2(title), html.P("Het leveringenlogboek is voor uw rol niet beschikbaar.", className="pm-definition")],
            className="pm-section pm-card",
        )

    def basis(d: FigureData) -> str:
        statuses = d.df["status"].value_counts()
        afgewezen = int(statuses.get("afgewezen", 0))
        return f"{format_nl(len(d.df))} leveringen, waarvan {format_nl(afgewezen)} afgewezen"

    return figure_card(
        LOG_FIGURE, view, lambda d: log_grid(d, view),
        Card(
            title=title,
            description="Elke ontvangen levering: proeftuin, soort, periode, bestand, datum van ontvangst en van "
                        "verwerking, aantal rijen, status, fouten en waarschuwingen, en of zij de geldende is.",
            basis=basis,
        ),
        data=fd,
    )


# --- the grid ---------------------------------------------------------------------------------

def _day(value) -> str | None:
    """A date as the grid's value: ISO first for the sort order, then the Dutch form (see above)."""
    return None if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d %d-%m-%Y")


def _processed(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("Verwerkt op %d-%m-%Y om %H:%M")


def _dutch(day: str) -> str:
    """'2026-10-25 25-10-2026' -> '25-10-2026'."""
    return day.split(" ")[-1]


def _count(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)


def grid_rows(df: pd.DataFrame) -> list[dict]:
    """The log's rows as the grid gets them: names in words, dates as '<iso> <dd-mm-jjjj>', a report
    flag, and the processing time as the received date's tooltip.

    An error report exists for every delivery with errors or warnings (see queries/leveringslog.sql).
    """
    names = proeftuin_names()
    rows = []
    for r in records(df):
        fouten, waarschuwingen = _count(r["aantal_fouten"]), _count(r["aantal_waarschuwingen"])
        proeftuin = r["proeftuin"] if isinstance(r["proeftuin"], str) else None
        rows.append({
            "levering_id": int(r["levering_id"]),
            "proeftuin": names.get(proeftuin, proeftuin) if proeftuin else UNKNOWN,
            "soort": SOORT_LABELS.get(r["soort"], r["soort"]) if isinstance(r["soort"], str) else UNKNOWN,
            "periode": r["periode"] if isinstance(r["periode"], str) else UNKNOWN,
            "bestandsnaam": r["bestandsnaam"],
            "ontvangen": _day(r["ontvangen"]),
            "verwerkt_op": _processed(r["verwerkt_op"]),
            "rijen": _count(r["rijen"]),
            "status": r["status"],
            "aantal_fouten": fouten,
            "aantal_waarschuwingen": waarschuwingen,
            "in_gebruik": "ja" if bool(r["in_gebruik"]) else "nee",
            "foutrapport": "ja" if fouten or waarschuwingen else "nee",
        })
    return rows


def _shown_as(rows: list[dict], field: str, text) -> dict:
    """refData for a column: each value in the rows -> its text (AG Grid sorts on the value)."""
    return {str(r[field]): text(r[field]) for r in rows if r[field] is not None}


def _status_text(status) -> str:
    """'✓ Geaccepteerd': the status with its mark, as on every page (vocab.STATUSES)."""
    look = STATUSES.get(status) if isinstance(status, str) else None
    return f"{look.mark} {look.label}" if look else str(status).capitalize()


def column_defs(rows: list[dict]) -> list[dict]:
    number = {"type": "rightAligned", "filter": "agNumberColumnFilter", "width": 80}
    return [
        {"field": "levering_id", "headerName": "Nr.", **number, "width": 62, "filter": False},
        {"field": "proeftuin", "headerName": "Proeftuin", "minWidth": 172, "flex": 2},
        {"field": "soort", "headerName": "Soort", "width": 100},
        {"field": "periode", "headerName": "Periode", "width": 92},
        {"field": "bestandsnaam", "headerName": "Bestand", "minWidth": 100, "flex": 3, "tooltipField": "bestandsnaam"},
        {"field": "ontvangen", "headerName": "Ontvangen", "width": 120, "tooltipField": "verwerkt_op",
         "refData": _shown_as(rows, "ontvangen", _dutch), "headerTooltip": "Datum van ontvangst"},
        {"field": "rijen", "headerName": "Rijen", **number, "width": 72, "filter": False,
         "refData": _shown_as(rows, "rijen", format_nl)},
        {"field": "status", "headerName": "Status", "width": 145,
         "refData": _shown_as(rows, "status", _status_text),
         "cellClass": "pm-badge-cel",
         "cellClassRules": {f"pm-badge-{s}": f"params.value === '{s}'" for s in LOG_STATUSSEN}},
        {"field": "aantal_fouten", "headerName": "Fouten", **number},
        {"field": "aantal_waarschuwingen", "headerName": "Waarschuwingen", **number, "width": 160},
        {"field": "in_gebruik", "headerName": "Geldend", "width": 95,
         "headerTooltip": "De geldende levering voor haar proeftuin, soort en periode"},
    ]


def log_grid(fd: FigureData, view: View):
    rows = grid_rows(fd.df)
    grid = dag.AgGrid(
        id=GRID_ID,
        rowData=rows,
        columnDefs=column_defs(rows),
        defaultColDef={"sortable": True, "filter": True, "floatingFilter": True, "resizable": True,
                       "suppressHeaderMenuButton": True},
        dashGridOptions={
            "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
            "localeText": LOCALE_NL,
            "animateRows": False,
            "ensureDomOrder": True,
            "tooltipShowDelay": 400,
            # Tab leaves the grid instead of walking every cell and header (WCAG 2.1.2); inside
            # it the arrow keys move and Space chooses a delivery.
            "tabToNextCell": {"function": "false"},
            "tabToNextHeader": {"function": "false"},
        },
        style={"height": "620px", "width": "100%"},
        className="pm-grid",
    )
    if view.presentatie:
        return grid
    toolbar = html.Div(
        [
            dbc.Button("Download foutrapport", id=REPORT_BUTTON_ID, color="primary", size="sm", disabled=True,
                       class_name="pm-foutrapport-knop", title="Het foutrapport van de gekozen levering, als CSV voor Excel"),
            html.Span(CHOOSE_TEXT, id=REPORT_CHOICE_ID, className="pm-foutrapport-keuze", role="status"),
            dcc.Download(id=REPORT_DOWNLOAD_ID),
        ],
        className="pm-foutrapport",
    )
    return html.Div([toolbar, grid])


# --- the error report -------------------------------------------------------------------------

def _chosen(rows) -> dict | None:
    return rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else None


@callback(
    Output(REPORT_BUTTON_ID, "disabled"),
    Output(REPORT_CHOICE_ID, "children"),
    Input(GRID_ID, "selectedRows"),
)
def choose_delivery(rows):
    """Enable the button for a chosen delivery that has a report, and say which one it is."""
    row = _chosen(rows)
    if row is None:
        return True, CHOOSE_TEXT
    what = (f"Levering {row.get('levering_id')} · {row.get('proeftuin')} · {str(row.get('soort', '')).lower()} "
            f"{row.get('periode')} · {STATUSES[row['status']].label if row.get('status') in STATUSES else row.get('status')}")
    if row.get("foutrapport") != "ja":
        return True, f"{what}: zonder fouten of waarschuwingen, dus zonder foutrapport."
    fouten, waarschuwingen = row.get("aantal_fouten", 0), row.get("aantal_waarschuwingen", 0)
    return False, (f"{what}: {fouten} {'fout' if fouten == 1 else 'fouten'}, "
                   f"{waarschuwingen} {'waarschuwing' if waarschuwingen == 1 else 'waarschuwingen'}.")


@callback(
    Output(REPORT_DOWNLOAD_ID, "data"),
    Input(REPORT_BUTTON_ID, "n_clicks"),
    State(GRID_ID, "selectedRows"),
    prevent_initial_call=True,
)
def download_report(n_clicks, rows):
    """The stored report of the chosen delivery; error_report checks that this viewer may see it."""
    row = _chosen(rows)
    if not n_clicks or row is None:
        raise PreventUpdate
    found = error_report(row.get("levering_id"), data_dir())
    if found is None:
        raise PreventUpdate
    name, content = found
    security.record_download("foutrapport", levering_id=row.get("levering_id"), bestand=name)
    return dcc.send_bytes(content, name, type="text/csv")
