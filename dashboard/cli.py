"""Command line: ``python -m dashboard demo|ingest|validate|figures|export|rapport|controleer|sjabloon|...``.

Exit codes: 0 all went well, 1 a file was rejected (the others are still processed),
2 a usage error (wrong arguments, unknown figure or filter value, another ingest running),
3 a failure of the system (store damaged, disk full, anything unexpected): nothing was published.
Every message is Dutch and one line; a traceback goes to the log, never to the terminal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import logging
import os
import sys
from pathlib import Path

import duckdb

from . import config, contract, logs, settings
from .errors import FilterError, NoData, RegistryError
from .ingest import FileResult, Override, check_file, ingest_files, system_user, write_report_next_to
from .store import NotRecorded, Store, StoreDamaged, StoreLocked, purge_delivery
from .terminal import clean

log = logging.getLogger(__name__)
LOG_FILE = Path("logboek") / "opdrachten.log"  # in the data folder, when nobody configured logging

SHOWN_FINDINGS = 20  # per file on the terminal; the CSV report has them all


class UsageError(Exception):
    pass


def _date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"'{text}' is geen datum (jjjj-mm-dd of dd-mm-jjjj)")


def _periode(text: str) -> str:
    try:
        contract.parse_periode(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    return text.strip().upper()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m dashboard", description="Proeftuinmonitor: inlezen, controleren en exporteren.")
    p.add_argument("--data-dir", type=Path, help="de gegevensmap (standaard MONITOR_DATA_DIR of data/store)")
    sub = p.add_subparsers(dest="command", required=True, metavar="OPDRACHT")
    # --data-dir may also follow the command (python -m dashboard export ... --data-dir DIR).
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    d = sub.add_parser("demo", parents=[common], help="schrijf fictieve exportbestanden voor alle proeftuinen")
    d.add_argument("--out", type=Path, default=Path("demo-export"))
    d.add_argument("--seed", type=int, default=2026)
    d.add_argument("--tot", type=_periode, default="2026-Q3")

    for name, helptext in (("ingest", "controleer bestanden en neem ze op in de gegevens"),
                           ("validate", "controleer bestanden zonder iets op te slaan")):
        s = sub.add_parser(name, parents=[common], help=helptext)
        s.add_argument("files", nargs="+", type=Path, metavar="BESTAND")
        s.add_argument("--proeftuin")
        s.add_argument("--soort", choices=contract.SOORTEN)
        s.add_argument("--periode", type=_periode)
        if name == "ingest":
            s.add_argument("--ontvangen", type=_date, help="datum van ontvangst (standaard vandaag)")

    sub.add_parser("figures", parents=[common], help="toon de figuren en KPI's met hun titel")
    au = sub.add_parser("audit", parents=[common], help="toon het auditlog: wie las in, verwijderde, downloadde of logde in")
    au.add_argument("--van", type=_date, help="vanaf deze datum (UTC)")
    au.add_argument("--gebruiker", metavar="NAAM", help="alleen deze gebruiker")
    sub.add_parser("controleer", parents=[common],
                   help="controleer de hele gegevensmap zonder iets te wijzigen (exitcode 3 bij problemen)")

    hb = sub.add_parser("herbouw", parents=[common],
                        help="bouw de snapshot opnieuw na een nieuwe versie van schema of referentiegegevens")
    hb.add_argument("--altijd", action="store_true", help="ook als er niets veranderd is")

    pu = sub.add_parser("purge", parents=[common], help="verwijder een levering: archiefbestand, rapport en rijen")
    pu.add_argument("--levering", type=int, required=True, metavar="ID")
    pu.add_argument("--door", default=None, help="wie verwijdert (standaard de gebruikersnaam)")

    gb = sub.add_parser("gebruiker", parents=[common],
                        help="voeg een gebruiker toe of wijzig rol en wachtwoord (MONITOR_AUTH=basic); "
                             "het wachtwoord komt van de prompt of, zonder terminal, van stdin")
    gb.add_argument("naam", metavar="NAAM")
    gb.add_argument("--rol", help="programmateam, stuurgroep of proeftuin:<code>")
    gb.add_argument("--verwijder", action="store_true", help="verwijder de gebruiker")

    sv = sub.add_parser("serve", parents=[common], help="start het dashboard met gunicorn, zoals python app.py")
    sv.add_argument("--host", help="het adres om op te luisteren (standaard MONITOR_BIND of 127.0.0.1)")
    sv.add_argument("--port", type=int, default=8050)
    sv.add_argument("--workers", type=int, default=2)
    sv.add_argument("--zonder-demo", action="store_true",
                    help="een lege gegevensmap niet met demodata vullen (productie, de container)")

    sj = sub.add_parser("sjabloon", parents=[common],
                        help="schrijf het invulsjabloon (xlsx) of de Table Schema (json) van een soort levering")
    sj.add_argument("--soort", choices=contract.SOORTEN, required=True)
    sj.add_argument("--formaat", choices=("xlsx", "tableschema"), default="xlsx")
    sj.add_argument("--out", type=Path, required=True, metavar="BESTAND")

    r = sub.add_parser("rapport", parents=[common],
                       help="het rapport voor de stuurgroep: de dia's in één HTML-bestand dat offline opent (of PDF)")
    r.add_argument("--tranche", type=int, choices=(1, 2))
    r.add_argument("--proeftuin", "--proeftuinen", dest="proeftuin", action="append", default=[],
                   help="een proeftuin (herhaal, of met komma's)")
    r.add_argument("--van", type=_periode)
    r.add_argument("--tot", type=_periode)
    r.add_argument("--out", type=Path, required=True, metavar="BESTAND", help="rapport.html, of rapport.pdf")
    r.add_argument("--pdf", action="store_true", help="als PDF (ook bij een --out die op .pdf eindigt)")

    e = sub.add_parser("export", parents=[common], help="de gegevens achter een figuur als CSV")
    e.add_argument("figure", metavar="FIGUUR_ID")
    e.add_argument("--tranche", type=int, choices=(1, 2))
    e.add_argument("--proeftuin", action="append", default=[])
    e.add_argument("--van", type=_periode)
    e.add_argument("--tot", type=_periode)
    e.add_argument("--format", choices=(*config.CSV_FORMATS, "xlsx"), default="csv-nl",
                   help="csv-nl (Nederlandse Excel, standaard), csv, of xlsx (met titel en toelichting)")
    e.add_argument("--out", type=Path, help="bestand (standaard: het scherm)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings.check()
    except settings.SettingError as e:
        print(f"fout: {e}", file=sys.stderr)
        return 2
    # The terminal gets one Dutch line per outcome; tracebacks go to the log file in the data
    # folder (_log_traceback) in the configured format. `serve` configures its own logging.
    try:
        return COMMANDS[args.command](args)
    except (UsageError, FilterError, RegistryError, StoreLocked) as e:
        return _fail(2, str(e))
    except NoData as e:
        return _fail(2, f"{e}; lees eerst leveringen in met 'python -m dashboard ingest'")
    except StoreDamaged as e:
        # Nothing is written into a damaged store, not even a log file; a configured log gets a line.
        if logging.getLogger().handlers:
            log.error("gegevensmap beschadigd: %s", e)
        return _fail(3, f"de gegevensmap is beschadigd: {e}. Er is niets gewijzigd. "
                        "Zie 'python -m dashboard controleer' en docs/operations.md")
    except NotRecorded as e:
        _log_traceback(args, "auditlog niet bijgewerkt")
        return _fail(3, str(e))
    except Exception as e:  # noqa: BLE001 - every failure of the system gets exit code 3 and a Dutch line
        _log_traceback(args, "opdracht mislukt")
        if _disk_full(e):
            return _fail(3, "de schijf is vol; er is niets gepubliceerd en de gegevens zijn ongewijzigd. "
                            "Maak ruimte vrij en probeer het opnieuw")
        return _fail(3, f"onverwachte fout ({type(e).__name__}); er is niets gepubliceerd. "
                        f"De details staan in het logboek ({_log_place(args)})")


def _fail(code: int, message: str) -> int:
    print(f"fout: {clean(message)}", file=sys.stderr)
    return code


def _disk_full(e: BaseException) -> bool:
    """ENOSPC from Python, or from DuckDB, which reports it as an IOException with the C text."""
    while e is not None:
        if isinstance(e, OSError) and e.errno == errno.ENOSPC:
            return True
        if isinstance(e, duckdb.Error) and "No space left on device" in str(e):
            return True
        e = e.__cause__ or e.__context__
    return False


def _log_place(args) -> str:
    return str(_data_dir(args) / LOG_FILE) if any(
        isinstance(h, _QuietFileHandler) for h in logging.getLogger().handlers) else "het logboek van de dienst"


def _data_dir(args) -> Path:
    return Path(getattr(args, "data_dir", None) or config.data_dir())


class _QuietFileHandler(logging.FileHandler):
    def handleError(self, record):  # noqa: N802 - a full disk must not print a traceback after all
        pass


def _log_traceback(args, what: str) -> None:
    """The traceback of the exception being handled, to the log: the configured one, else a file
    in the data folder (a terminal gets the Dutch line only)."""
    if not logging.getLogger().handlers:
        try:
            path = _data_dir(args) / LOG_FILE
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = _QuietFileHandler(path, encoding="utf-8")
            handler.setFormatter(logs.formatter())
            logging.getLogger().addHandler(handler)
        except OSError:
            logging.getLogger().addHandler(logging.NullHandler())
    log.exception("%s: python -m dashboard %s", what, getattr(args, "command", ""))


def _override(args) -> Override | None:
    if args.proeftuin or args.soort or args.periode:
        return Override(args.proeftuin and args.proeftuin.lower(), args.soort, args.periode)
    return None


def _print_result(fr: FileResult) -> None:
    """One file's outcome; every line cleaned of control characters (names and values are the
    sender's text)."""
    mark = "OK  " if fr.accepted else "FOUT"
    lev = f" (levering {fr.levering_id})" if fr.levering_id else ""
    lines = [f"{mark} {fr.path}: {fr.message or fr.status}{lev}"]
    shown = [f for f in fr.findings][:SHOWN_FINDINGS]
    for f in shown:
        where = f"rij {f.rij}" if f.rij else "bestand"
        col = f", kolom {f.kolom}" if f.kolom else ""
        val = f": '{f.waarde}'" if f.waarde else ""
        lines.append(f"     {f.ernst} {where}{col}{val} - {f.regel}")
    total = (fr.validation.errors + fr.validation.warnings) if fr.validation else 0
    if total > len(shown):
        lines.append(f"     ... en nog {total - len(shown)} bevindingen")
    if fr.report_path:
        lines.append(f"     rapport: {fr.report_path}")
    for line in lines:
        print(clean(line))


def _progress(path: Path):
    from tqdm import tqdm

    return tqdm(total=3, desc=path.name, unit="stap", file=sys.stderr, leave=False)


def _check_files_exist(files: list[Path]) -> None:
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise UsageError(f"bestand niet gevonden: {', '.join(missing)}")


def cmd_ingest(args) -> int:
    _check_files_exist(args.files)
    # The lines per file come after the snapshot is published: "OK" means in the figures.
    result = ingest_files(args.files, Store(args.data_dir), ontvangen=args.ontvangen, override=_override(args),
                          progress_factory=_progress, on_result=_print_result)
    accepted = sum(f.accepted for f in result.files)
    print(f"{accepted} van {len(result.files)} bestanden geaccepteerd")
    return 0 if result.all_accepted else 1


def cmd_validate(args) -> int:
    _check_files_exist(args.files)
    ok = True
    for path in args.files:
        progress = _progress(path) if path.stat().st_size > 20 * 1024 * 1024 else None
        fr = check_file(path, _override(args), progress)
        if progress is not None:
            progress.close()
        fr.message = "voldoet aan het exportformaat" if fr.accepted else (fr.message or f"{fr.validation.errors} fouten")
        fr.report_path = write_report_next_to(fr)
        _print_result(fr)
        ok &= fr.accepted
    return 0 if ok else 1


def cmd_figures(args) -> int:
    from . import registry

    for ind in registry.load_registry().values():
        print(f"{ind.id:32} {ind.titel}")
    return 0


def cmd_export(args) -> int:
    # The figure side (pandas, the registry) only for the commands that draw figures: an ingest
    # starts half a second sooner without it.
    from .csvout import to_csv_bytes
    from .figuredata import Filters, figure_data, snapshot_info
    from .xlsxout import to_xlsx_bytes

    filters = Filters(tranche=args.tranche, proeftuinen=tuple(p.lower() for p in args.proeftuin),
                      van=args.van, tot=args.tot)
    Store(args.data_dir).verified_snapshot()  # a damaged store is named as such, not as a failed query
    data = figure_data(args.figure, filters, data_dir=args.data_dir)
    if args.format == "xlsx":
        if not args.out and sys.stdout.isatty():
            raise UsageError("een xlsx-bestand hoort niet op het scherm; geef --out BESTAND.xlsx")
        payload = to_xlsx_bytes(data, snapshot_info(args.data_dir).peildatum)
    else:
        payload = to_csv_bytes(data.df, args.format)
    if args.out:
        args.out.write_bytes(payload)
    else:
        sys.stdout.buffer.write(payload)
    return 0


def cmd_rapport(args) -> int:
    from . import pdf
    from .figuredata import Filters
    from .report import render_offline
    from .ui.format import format_date_nl

    codes = tuple(c.strip().lower() for item in args.proeftuin for c in item.split(",") if c.strip())
    filters = Filters(tranche=args.tranche, proeftuinen=codes, van=args.van, tot=args.tot).checked()
    if Store(args.data_dir).verified_snapshot() is None:
        raise NoData("er zijn nog geen gegevens ingelezen")
    as_pdf = args.pdf or args.out.suffix.lower() == ".pdf"
    engine = None
    if as_pdf:
        try:
            engine = pdf.find_engine()  # before the work: no PDF engine, no report
        except pdf.NoPdfEngine as e:
            raise UsageError(str(e)) from None
    report = render_offline(filters, args.data_dir)
    if as_pdf:
        try:
            pdf.html_to_pdf(report.html, args.out, engine)
        except pdf.PdfFailed as e:
            return _fail(3, str(e))
    else:
        partial = args.out.with_name(f".{args.out.name}.deel")
        partial.write_text(report.html, encoding="utf-8")
        os.replace(partial, args.out)
    print(clean(f"rapport geschreven naar {args.out}: {report.slides} dia's, {len(report.figure_ids)} figuren, "
                f"peildatum {format_date_nl(report.peildatum)}"))
    return 0


def cmd_demo(args) -> int:
    from .demo import write_demo

    files = write_demo(args.out, seed=args.seed, tot=args.tot)
    print(f"{len(files)} demobestanden geschreven in {args.out} (ontvangstdata in {args.out / 'ontvangen.csv'})")
    return 0


def cmd_rebuild(args) -> int:
    store = Store(args.data_dir)
    if store.verified_snapshot() is None:
        raise NoData("er zijn nog geen gegevens ingelezen")
    done = store.rebuild_if_needed(always=args.altijd)
    print("snapshot opnieuw gebouwd" if done else "snapshot is al actueel; niets gedaan")
    return 0


def cmd_audit(args) -> int:
    from . import audit

    store = Store(args.data_dir)
    print("tijd\tgebeurtenis\tgebruiker\tgegevens")
    for entry in audit.entries(store.root, van=args.van, gebruiker=args.gebruiker):
        rest = " ".join(f"{k}={v}" for k, v in entry.items() if k not in ("tijd", "gebeurtenis", "gebruiker")
                        and v is not None)
        print("\t".join(clean(entry.get(k, "")) for k in ("tijd", "gebeurtenis", "gebruiker")) + "\t" + clean(rest))
    return 0


def cmd_check(args) -> int:
    from .controle import check_store

    store = Store(args.data_dir)
    outcome = check_store(store)
    for problem in outcome.problems:
        print(f"FOUT {clean(problem)}")
    for note in outcome.notes:
        print(f"     {clean(note)} (wordt bij het volgende inlezen opgeruimd)")
    if outcome.ok:
        print(f"de gegevensmap {store.root} is in orde")
        return 0
    print(f"{len(outcome.problems)} problemen in de gegevensmap {store.root}; zie docs/operations.md")
    return 3


def cmd_purge(args) -> int:
    try:
        print(clean(purge_delivery(Store(args.data_dir), args.levering, args.door or system_user())))
    except KeyError as e:
        raise UsageError(str(e).strip("'\"")) from None
    return 0


def cmd_gebruiker(args) -> int:
    import getpass

    from . import auth, config

    path = auth.users_file_path(args.data_dir or config.data_dir())
    if args.verwijder:
        if not auth.remove_user(path, args.naam):
            raise UsageError(f"gebruiker '{args.naam}' bestaat niet in {path}")
        print(f"gebruiker '{args.naam}' verwijderd uit {path}")
        return 0
    if not args.rol:
        raise UsageError("geef de rol met --rol (programmateam, stuurgroep of proeftuin:<code>)")
    if sys.stdin.isatty():
        password = getpass.getpass("Wachtwoord: ")
        if getpass.getpass("Nog een keer: ") != password:
            raise UsageError("de wachtwoorden zijn niet gelijk")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        new = auth.set_user(path, args.naam, args.rol, password)
    except ValueError as e:  # a bad name, role or password; the password itself is never echoed
        raise UsageError(str(e)) from None
    print(f"gebruiker '{args.naam}' {'toegevoegd' if new else 'bijgewerkt'} met rol {args.rol.strip().lower()} in {path}")
    return 0


def cmd_sjabloon(args) -> int:
    from .template import template_bytes

    args.out.write_bytes(template_bytes(args.soort, args.formaat))
    print(f"{'sjabloon' if args.formaat == 'xlsx' else 'Table Schema'} voor {args.soort} geschreven naar {args.out}")
    return 0


COMMANDS = {"audit": cmd_audit, "controleer": cmd_check, "purge": cmd_purge, "herbouw": cmd_rebuild,
            "ingest": cmd_ingest, "validate": cmd_validate, "figures": cmd_figures, "export": cmd_export,
            "demo": cmd_demo, "gebruiker": cmd_gebruiker, "sjabloon": cmd_sjabloon, "rapport": cmd_rapport}


def cmd_serve(args) -> int:
    from .serving import serve

    serve(host=args.host, port=args.port, workers=args.workers, data_dir=args.data_dir, demo=not args.zonder_demo)
    return 0  # only after the debug server stops; otherwise this process has become gunicorn


COMMANDS["serve"] = cmd_serve
