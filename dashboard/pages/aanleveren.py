"""Aanleveren: a proeftuin (or the programme team) checks and delivers an export file, downloads
the template, and sees per quarter what was delivered and what is late or missing.

Layout only, no ingest code. The file goes to the route in dashboard/upload.py through
assets/aanleveren.js (which also draws the result in the status region); no callbacks here. The
steering group gets 403 here (dashboard.upload_access.uploader), like on the upload route itself.
"""

from __future__ import annotations

import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import config, contract, reference
from dashboard.delivery_status import status_section
from dashboard.template import template_name
from dashboard.ui.cards import page_header
from dashboard.ui.format import format_nl
from dashboard.ui.view import view_from_query
from dashboard.ui.vocab import SOORT_LABELS
from dashboard.upload_access import TEMPLATE_PREFIX, UPLOAD_PATH, may_upload, own_proeftuin, uploader

dash.register_page(
    __name__,
    path="/aanleveren",
    name="Aanleveren",
    title="Aanleveren · Proeftuinmonitor",
    description="Een exportbestand controleren en aanleveren, het sjabloon, en de stand van de leveringen.",
    order=8,
    visible_to=may_upload,
)

FORM_ID = "aanlever-formulier"
FILE_SLOT_ID = "aanlever-bestand-plek"
FILE_INPUT_ID = "aanlever-bestand"  # created by assets/aanleveren.js inside the slot
RESULT_ID = "aanlever-resultaat"
# The option "take it from the file name"; not an empty value, which a select shows as blank.
FROM_NAME = "bestandsnaam"


def _periods() -> list[str]:
    """Every quarter from the format's earliest date to the current one, the newest first."""
    out, day = [], dt.date.today()
    current = contract.periode_of(day)
    jaar, k = contract.parse_periode(contract.periode_of(contract.EARLIEST_DATE))
    while True:
        out.append(f"{jaar}-Q{k}")
        if out[-1] == current:
            return out[::-1]
        jaar, k = (jaar + 1, 1) if k == 4 else (jaar, k + 1)


def _select(control_id: str, label: str, options: list[dict], value: str, disabled: bool = False):
    return html.Div(
        [html.Label(label, htmlFor=control_id, className="form-label"),
         dbc.Select(id=control_id, options=options, value=value, disabled=disabled)],
        className="pm-aanlever-keuze",
    )


def upload_form(own: str | None):
    """The file, the choices for a file whose name does not follow the pattern, and the button."""
    names = {p.code: p.naam for p in reference.proeftuinen()}
    if own is None:
        proeftuinen = [{"label": "uit de bestandsnaam", "value": FROM_NAME}] + [
            {"label": p.naam, "value": p.code} for p in reference.proeftuinen()]
    else:
        proeftuinen = [{"label": names.get(own, own), "value": own}]
    soorten = [{"label": "uit de bestandsnaam", "value": FROM_NAME}] + [
        {"label": SOORT_LABELS[s], "value": s} for s in contract.SOORTEN]
    perioden = [{"label": "uit de bestandsnaam", "value": FROM_NAME}] + [
        {"label": q, "value": q} for q in _periods()]
    megabytes = config.max_file_bytes() // (1024 * 1024)
    return html.Section(
        [
            html.H2("Bestand controleren of aanleveren"),
            html.P(
                ["Lever een CSV-, XLSX- of Parquet-bestand aan met de naam ",
                 html.Code("<proeftuin>_<soort>_<jjjj>-Q<k>"), " (bijvoorbeeld ",
                 html.Code("flevoland_casussen_2026-Q3.xlsx"), "), of kies hieronder proeftuin, soort en periode. "
                 f"Hoogstens {format_nl(megabytes)} MB en {format_nl(config.max_rows())} rijen."],
                className="pm-definition",
            ),
            html.Div(
                [
                    html.Div(
                        [html.Label("Bestand", htmlFor=FILE_INPUT_ID, className="form-label"),
                         html.Div(id=FILE_SLOT_ID)],
                        className="pm-aanlever-keuze pm-aanlever-bestand",
                    ),
                    _select("aanlever-proeftuin", "Proeftuin", proeftuinen, own or FROM_NAME, disabled=own is not None),
                    _select("aanlever-soort", "Soort", soorten, FROM_NAME),
                    _select("aanlever-periode", "Periode", perioden, FROM_NAME),
                ],
                className="pm-aanlever-velden",
            ),
            dbc.Checkbox(id="aanlever-controleren", label="Alleen controleren (er wordt niets opgeslagen)",
                         value=False, class_name="pm-aanlever-controleren"),
            html.Button("Controleren en aanleveren", id="aanlever-knop", type="button", className="btn btn-primary"),
            html.Div(id=RESULT_ID, role="status", className="pm-aanlever-resultaat", **{"aria-live": "polite"}),
        ],
        id=FORM_ID,
        className="pm-section pm-card",
        **{"data-url": UPLOAD_PATH, "data-uit-naam": FROM_NAME, "data-max-bytes": str(config.max_file_bytes()),
           "data-max-mb": str(megabytes)},
    )


def template_section():
    """Downloads of the template and the Table Schema per soort."""
    items = []
    for soort in contract.SOORTEN:
        items.append(html.Li([
            html.Strong(SOORT_LABELS[soort]), ": ",
            html.A("Excel-sjabloon", href=f"{TEMPLATE_PREFIX}/{soort}.xlsx", download=template_name(soort),
                   id=f"sjabloon-{soort}"),
            " · ",
            html.A("Table Schema (JSON)", href=f"{TEMPLATE_PREFIX}/{soort}.json",
                   download=template_name(soort, "tableschema"), id=f"tableschema-{soort}"),
        ]))
    return html.Section(
        [
            html.H2("Sjabloon"),
            html.P("Het Excel-sjabloon heeft de kolommen in de goede volgorde, bij elke kolomkop de regel, keuzelijsten "
                   "voor codes en ja/nee, en een blad Toelichting. De Table Schema beschrijft hetzelfde formaat voor "
                   "uw eigen controlesoftware. Beide volgen precies de controle die de monitor uitvoert.",
                   className="pm-definition"),
            html.Ul(items),
        ],
        className="pm-section pm-card",
    )


def layout(**query):
    """The page; 403 for a role that does not deliver."""
    viewer = uploader()
    view = view_from_query(query)
    own = own_proeftuin(viewer)
    names = {p.code: p.naam for p in reference.proeftuinen()}
    lead = ("Controleer een exportbestand en lever het aan. Met 'Alleen controleren' ziet u direct of het bestand "
            "goed is, zonder dat er iets wordt opgeslagen. "
            + (f"U levert aan voor proeftuin {names.get(own, own)}." if own else "U kunt voor elke proeftuin aanleveren."))
    return html.Div([page_header("Aanleveren", lead, view), upload_form(own), status_section(own), template_section()])
