"""Command line: ``python -m dashboard demo|ingest|validate|figures|export``.

Exit codes: 0 all went well, 1 a file was rejected (the others are still processed),
2 a usage error (wrong arguments, unknown figure or filter value).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from . import contract, registry
from .csvout import FORMATS, to_csv_bytes
from .figuredata import FilterError, Filters, NoData, figure_data, snapshot_info
from .ingest import FileResult, Override, check_file, ingest_files, write_report_next_to
from .store import Store, StoreLocked, purge_delivery
from .xlsxout import to_xlsx_bytes

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

    e = sub.add_parser("export", parents=[common], help="de gegevens achter een figuur als CSV")
    e.add_argument("figure", metavar="FIGUUR_ID")
    e.add_argument("--tranche", type=int, choices=(1, 2))
    e.add_argument("--proeftuin", action="append", default=[])
    e.add_argument("--van", type=_periode)
    e.add_argument("--tot", type=_periode)
    e.add_argument("--format", choices=(*FORMATS, "xlsx"), default="csv-nl",
                   help="csv-nl (Nederlandse Excel, standaard), csv, of xlsx (met titel en toelichting)")
    e.add_argument("--out", type=Path, help="bestand (standaard: het scherm)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (UsageError, FilterError, registry.RegistryError) as e:
        print(f"fout: {e}", file=sys.stderr)
        return 2
    except StoreLocked as e:
        print(f"fout: {e}", file=sys.stderr)
        return 2
    except NoData as e:
        print(f"fout: {e}; lees eerst leveringen in met 'python -m dashboard ingest'", file=sys.stderr)
        return 2


def _override(args) -> Override | None:
    if args.proeftuin or args.soort or args.periode:
        return Override(args.proeftuin and args.proeftuin.lower(), args.soort, args.periode)
    return None


def _print_result(fr: FileResult) -> None:
    mark = "OK  " if fr.accepted else "FOUT"
    lev = f" (levering {fr.levering_id})" if fr.levering_id else ""
    print(f"{mark} {fr.path}: {fr.message or fr.status}{lev}")
    shown = [f for f in fr.findings][:SHOWN_FINDINGS]
    for f in shown:
        where = f"rij {f.rij}" if f.rij else "bestand"
        col = f", kolom {f.kolom}" if f.kolom else ""
        val = f": '{f.waarde}'" if f.waarde else ""
        print(f"     {f.ernst} {where}{col}{val} - {f.regel}")
    total = (fr.validation.errors + fr.validation.warnings) if fr.validation else 0
    if total > len(shown):
        print(f"     ... en nog {total - len(shown)} bevindingen")
    if fr.report_path:
        print(f"     rapport: {fr.report_path}")


def _progress(path: Path):
    from tqdm import tqdm

    return tqdm(total=3, desc=path.name, unit="stap", file=sys.stderr, leave=False)


def _check_files_exist(files: list[Path]) -> None:
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise UsageError(f"bestand niet gevonden: {', '.join(missing)}")


def cmd_ingest(args) -> int:
    _check_files_exist(args.files)
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
    for ind in registry.load_registry().values():
        print(f"{ind.id:32} {ind.titel}")
    return 0


def cmd_export(args) -> int:
    filters = Filters(tranche=args.tranche, proeftuinen=tuple(p.lower() for p in args.proeftuin),
                      van=args.van, tot=args.tot)
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


def cmd_demo(args) -> int:
    from .demo import write_demo

    files = write_demo(args.out, seed=args.seed, tot=args.tot)
    print(f"{len(files)} demobestanden geschreven in {args.out} (ontvangstdata in {args.out / 'ontvangen.csv'})")
    return 0


def cmd_rebuild(args) -> int:
    store = Store(args.data_dir)
    if not store.has_snapshot():
        raise NoData("er zijn nog geen gegevens ingelezen")
    done = store.rebuild_if_needed(always=args.altijd)
    print("snapshot opnieuw gebouwd" if done else "snapshot is al actueel; niets gedaan")
    return 0


def cmd_purge(args) -> int:
    import getpass

    try:
        print(purge_delivery(Store(args.data_dir), args.levering, args.door or getpass.getuser()))
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


COMMANDS = {"purge": cmd_purge, "herbouw": cmd_rebuild, "ingest": cmd_ingest, "validate": cmd_validate, "figures": cmd_figures,
            "export": cmd_export, "demo": cmd_demo, "gebruiker": cmd_gebruiker}
