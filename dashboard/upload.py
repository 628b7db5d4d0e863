"""Deliveries through the browser: the routes behind /aanleveren.

``POST /_aanleveren/bestand`` takes one export file as the raw request body (the file name in the
header X-Bestandsnaam, proeftuin/soort/periode and ``controleren=1`` in the query string) and
answers JSON for assets/aanleveren.js. The body is streamed to a private temporary file in 1 MiB
blocks with a running size check, so a file over the limit is refused before it is read whole;
no multipart parser and no base64 callback body sit in between (dcc.Upload would send the file
inside a callback as base64, a third larger, held in memory whole). The file then takes exactly
the command line's path: ``check_file`` for "Alleen controleren" (nothing stored), else
``ingest_files`` (archive, delivery log, validation, privacy gate, snapshot swap) with the user
recorded as ontvangen_door.

``GET /_aanleveren/sjabloon/<soort>.xlsx|.json``: the template and the Table Schema.

Who (dashboard/upload_access.py): programmateam and no login (local use) for any proeftuin,
``proeftuin:<code>`` for its own, the steering group not at all (403). A POST from another site
is refused (Sec-Fetch-Site, else Origin).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from flask import current_app, jsonify, request

from . import audit, config, contract, reference, security
from .auth import Viewer
from .ingest import FileResult, Override, check_file, file_meta, ingest_files, report_csv
from .store import Store, StoreLocked
from .template import template_bytes, template_name
from .upload_access import TEMPLATE_PREFIX, UPLOAD_PATH, own_proeftuin, uploader

log = logging.getLogger(__name__)

TEMPLATE_PATH = TEMPLATE_PREFIX + "/<soort>.<ext>"
NAME_HEADER = "X-Bestandsnaam"
SHOWN_FINDINGS = 50  # on the page; the report has them all
CHUNK = 1024 * 1024
# Another ingest holds the store: wait for it this long, then give up with a message. An ingest
# of a quarter's file takes seconds; gunicorn's worker timeout (120 s) is the outer bound.
LOCK_WAIT_SECONDS = 60.0
LOCK_POLL_SECONDS = 0.25

ACCEPTED = "geaccepteerd"
REJECTED = "afgewezen"
REFUSED = "geweigerd"


# --- the answer --------------------------------------------------------------------------------------


@dataclass
class Answer:
    """What the page shows under the upload (see assets/aanleveren.js)."""

    uitkomst: str  # geaccepteerd | afgewezen | geweigerd
    melding: str
    rijen: int = 0
    periode: str = ""
    fouten: int = 0
    waarschuwingen: int = 0
    bevindingen: list | None = None
    totaal_bevindingen: int = 0
    rapport: str | None = None
    rapport_naam: str | None = None
    levering_id: int | None = None
    alleen_controleren: bool = False

    def json(self, status: int = 200):
        return jsonify({k: v for k, v in self.__dict__.items()}), status


def refused(message: str, status: int = 200) -> tuple:
    return Answer(REFUSED, message).json(status)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def answer_for(fr: FileResult, check_only: bool) -> Answer:
    """The page's answer for one checked or ingested file; findings without values: the page
    shows row, column and rule, the report (with the values the privacy gate allows) is a download."""
    v = fr.validation
    accepted = fr.accepted
    rows = v.rows if v else 0
    errors = v.errors if v else 0
    warnings = v.warnings if v else 0
    periode = fr.meta.periode if fr.meta else ""
    if accepted:
        text = f"{_plural(rows, 'rij', 'rijen')}, periode {periode}"
        if warnings:
            text += f", {_plural(warnings, 'waarschuwing', 'waarschuwingen')}"
        if check_only:
            text += ". Alleen gecontroleerd: het bestand voldoet aan het exportformaat; er is niets opgeslagen."
        elif fr.repeated:
            text += f". {fr.message[:1].upper()}{fr.message[1:]}."
        else:
            text += (f". Opgenomen als levering {fr.levering_id}; elke pagina toont de nieuwe gegevens bij het "
                     "volgende laden.")
    else:
        text = _plural(errors, "fout", "fouten")
        if warnings:
            text += f", {_plural(warnings, 'waarschuwing', 'waarschuwingen')}"
        text += (". Alleen gecontroleerd: er is niets opgeslagen." if check_only else
                 f". {fr.message[:1].upper()}{fr.message[1:]}." if fr.repeated else
                 ". Niets ervan is in de figuren opgenomen; verbeter het bestand en lever het opnieuw aan.")
    findings = [[f.rij or "", f.kolom, f.regel, f.ernst] for f in fr.findings[:SHOWN_FINDINGS]]
    report = report_csv(fr).decode("utf-8-sig") if fr.findings else None
    return Answer(ACCEPTED if accepted else REJECTED, text, rijen=rows, periode=periode, fouten=errors,
                  waarschuwingen=warnings, bevindingen=findings, totaal_bevindingen=errors + warnings,
                  rapport=report, rapport_naam=f"{fr.path.name}.fouten.csv" if report else None,
                  levering_id=fr.levering_id, alleen_controleren=check_only)


# --- checking and delivering -----------------------------------------------------------------------


def safe_name(name: str) -> str:
    """The sender's file name reduced to one safe path part; the extension and the name pattern stay."""
    base = re.split(r"[\\/]", unquote(name or ""))[-1].strip()
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")
    return safe[:200] or "levering"


def _meta_error(path: Path, override: Override | None, viewer: Viewer | None) -> str | None:
    """Why this file may not be delivered by this viewer, in Dutch; None when it may."""
    try:
        meta = file_meta(path, override)
    except ValueError as e:
        # The command line's advice names its flags; here the same choices are on the page.
        text = str(e).replace("geef anders --proeftuin, --soort en --periode op",
                              "kies anders proeftuin, soort en periode op de pagina")
        return f"{text[:1].upper()}{text[1:]}. Er is niets opgeslagen."
    own = own_proeftuin(viewer)
    named = contract.FILENAME_RE.match(path.name)
    claimed = {meta.proeftuin} | ({named.group("proeftuin").lower()} if named else set())
    if own is not None and claimed != {own}:
        names = {p.code: p.naam for p in reference.proeftuinen()}
        other = ", ".join(names.get(c, c) for c in sorted(claimed - {own}))
        return (f"Dit bestand is voor proeftuin {other}; u levert alleen aan voor proeftuin "
                f"{names.get(own, own)}. Er is niets opgeslagen.")
    return None


def _ingest_waiting(path: Path, store: Store, override: Override | None, user: str | None):
    """ingest_files, waiting for another ingest that holds the store (bounded)."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            return ingest_files([path], store, ontvangen=dt.date.today(), override=override, door=user)
        except StoreLocked:
            if time.monotonic() >= deadline:
                raise
            time.sleep(LOCK_POLL_SECONDS)


def deliver(path: Path, data_dir: Path, viewer: Viewer | None, override: Override | None,
            check_only: bool) -> Answer:
    """Check (`check_only`) or ingest one received file for `viewer`; the Answer for the page."""
    problem = _meta_error(path, override, viewer)
    if problem:
        return Answer(REFUSED, problem, alleen_controleren=check_only)
    if check_only:
        return answer_for(check_file(path, override), check_only=True)
    user = viewer.user if viewer is not None else None
    meta = file_meta(path, override)
    # Recorded before the ingest: an upload that cannot be accounted for is not taken in.
    audit.record(data_dir, audit.UPLOAD, user, bestand=path.name, proeftuin=meta.proeftuin, soort=meta.soort,
                 periode=meta.periode)
    try:
        result = _ingest_waiting(path, Store(data_dir), override, user)
    except StoreLocked:
        return Answer(REFUSED, "De gegevens worden op dit moment bijgewerkt door een andere levering. Probeer het "
                               "over een paar minuten opnieuw; er is niets opgeslagen.")
    return answer_for(result.files[0], check_only=False)


# --- the Flask routes ------------------------------------------------------------------------------


def _cross_site() -> bool:
    """A request another site made the browser send (same-origin check for a state-changing POST)."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin:
        return urlparse(origin).netloc != request.host
    return False


def _override() -> Override | None:
    args = request.args
    proeftuin = (args.get("proeftuin") or "").strip().lower() or None
    soort = (args.get("soort") or "").strip().lower() or None
    periode = (args.get("periode") or "").strip().upper() or None
    return Override(proeftuin, soort, periode) if (proeftuin or soort or periode) else None


def _receive(target: Path, limit: int) -> bool:
    """Stream the request body into `target`; False as soon as it grows past `limit`."""
    # The body may be larger than a limit set for Dash's callbacks elsewhere; this route has its own.
    request.max_content_length = limit
    size = 0
    with open(target, "wb") as f:
        while True:
            block = request.stream.read(CHUNK)
            if not block:
                return True
            size += len(block)
            if size > limit:
                return False
            f.write(block)


def install(app) -> None:
    """Add the upload and template routes to the Dash app's server (once, in create_app)."""
    server = app.server
    # This route checks the announced size itself and streams the body to disk (_receive).
    security.STREAMED_PATHS.add(UPLOAD_PATH)

    @server.route(UPLOAD_PATH, methods=["POST"])
    def _upload():
        viewer = uploader()
        if _cross_site():
            return security.error_response(403)
        limit = config.max_file_bytes()
        megabytes = limit // (1024 * 1024)
        length = request.content_length
        if length is None:
            return refused("De grootte van het bestand ontbreekt in het verzoek; er is niets opgeslagen.", 411)
        if length > limit:
            return refused(f"Het bestand is groter dan {megabytes} MB en is niet gelezen; er is niets opgeslagen.", 413)
        data_dir = Path(current_app.config["MONITOR_DATA_DIR"])
        check_only = request.args.get("controleren") == "1"
        folder = Path(tempfile.mkdtemp(prefix="aanlevering-"))
        try:
            path = folder / safe_name(request.headers.get(NAME_HEADER, ""))
            if not _receive(path, limit):
                return refused(f"Het bestand is groter dan {megabytes} MB en is niet gelezen; er is niets opgeslagen.",
                               413)
            answer = deliver(path, data_dir, viewer, _override(), check_only)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if answer.uitkomst == REFUSED:
            log.warning("aanlevering geweigerd voor %s: %s", viewer.user if viewer else "(geen login)", answer.melding)
        return answer.json()

    @server.route(TEMPLATE_PATH)
    def _template(soort: str, ext: str):
        uploader()
        fmt = {"xlsx": "xlsx", "json": "tableschema"}.get(ext)
        if soort not in contract.SOORTEN or fmt is None:
            return security.error_response(404)
        mime = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
                else "application/json")
        return current_app.response_class(
            template_bytes(soort, fmt), mimetype=mime,
            headers={"Content-Disposition": f'attachment; filename="{template_name(soort, fmt)}"'})
