"""A deterministic, synthetic set of export files (format v1) for demos, tests and benchmarks.

Every proeftuin delivers, each quarter from its start quarter up to ``tot``, its complete case
list up to the peildatum, its team composition, and once a year its themes. The numbers are made
up but shaped like the programme: the city regions are the largest, intake ramps up per
werkgebied, Zeeland stops and restarts, IV (completeness, netwerkdossier) improves over time.
The delivery stream is shaped like reality too: mixed file formats, late and missing deliveries
and a few rejected files followed by a corrected one.

Everything derives from the seed: the same seed gives byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import multiprocessing
import os
import random
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import contract, demo_xlsx, reference

ONE_DAY = dt.timedelta(days=1)

# New cases per quarter when the proeftuin runs at full strength (all werkgebieden that run at
# the same time, after their ramp-up). The city regions are the largest; FoodValley's RVT had
# about 100 cases after five quarters and Zeeland's first team worked with 7 families in 2022
# (domain guide, factsheet).
INTAKE_PER_QUARTER = {
    "amsterdam-amstelland": 60, "rotterdam-rijnmond": 55, "utrecht": 55,
    "foodvalley": 20, "zeeland": 10, "west-brabant-west": 15,
    "gelderland-zuid": 24, "flevoland": 22, "hart-van-brabant": 20,
    "zaanstreek-waterland": 12, "friesland": 15,
}
DEFAULT_INTAKE = 15  # for a proeftuin added to the reference data later

# Less intake in the summer holidays and around Christmas.
MONTH_FACTOR = {7: 0.8, 8: 0.75, 12: 0.9}

INSTROOM_WEIGHTS = {
    "veilig_thuis": 34, "lokaal_team": 30, "politie": 8, "raad_kinderbescherming": 10,
    "gecertificeerde_instelling": 5, "zorg_en_veiligheidshuis": 6, "overig": 7,
}
MINDERJARIGEN_WEIGHTS = (7, 30, 30, 18, 9, 4, 2)  # 0..6; ~7% households without minors (0-100)
UITKOMST_WEIGHTS = {"veiligheid_hersteld": 50, "deels_hersteld": 28, "niet_hersteld": 10, "onbekend": 12}
MAATREGEL_WEIGHTS = {"geen": 90, "vots": 2, "ots": 7, "voogdij": 1}

# Share of cases with the characteristic, before theme emphasis.
KENMERK_BASE = {
    "verklarende_analyse": 0.6, "veiligheidsplan": 0.7, "volwassenen_ggz": 0.3,
    "ervaringsdeskundige": 0.12, "complexe_scheiding": 0.18, "tijdelijk_huisverbod": 0.05,
    "uithuisplaatsing": 0.05, "jeugdreclassering": 0.05,
}
# A proeftuin with the theme assigned records the characteristic more often.
KENMERK_THEMA = {
    "verklarende_analyse": "verklarende_analyse", "volwassenen_ggz": "volwassenen_ggz",
    "ervaringsdeskundige": "ervaringsdeskundigheid", "complexe_scheiding": "complexe_scheidingen",
    "tijdelijk_huisverbod": "tijdelijk_huisverbod", "jeugdreclassering": "wijkveiligheid_strafrechtketen",
}
ALLEEN_MET_MINDERJARIGEN = ("uithuisplaatsing", "jeugdreclassering")
LEEFGEBIED_BASE = {"financien": 0.45, "wonen": 0.3, "zorg": 0.55, "gezin": 0.8, "werk": 0.25}
NETWERK_THEMAS = ("netwerkdossier", "iv_monitoring")

# Optional fields that a proeftuin sometimes leaves empty (unknown).
OPTIONAL_CASE_FIELDS = (
    "werkgebied", "aantal_overdrachten", *contract.LEEFGEBIED_KOLOMMEN, *contract.KENMERK_KOLOMMEN,
)

FTE_CHOICES = {
    "gezinsprofessional": (1.0, 0.9, 0.8, 0.8, 0.6, 0.5),
    "jurist": (0.2, 0.3, 0.4, 0.5),
    "gedragswetenschapper": (0.4, 0.5, 0.6, 0.8),
    "vertrouwensarts": (0.1, 0.2),
    "ervaringsdeskundige": (0.3, 0.4, 0.5, 0.6),
    "teamleider": (0.5, 0.8, 1.0),
    "spv": (0.4, 0.5, 0.6),
    "overig": (0.5, 0.6, 0.8),
}
# The Leidraad's team: RvdK, VT and GI professionals, supported by a jurist, a
# gedragswetenschapper, a vertrouwensarts and an ervaringsdeskundige (data/reference/rvt_eisen.csv).
CORE_POSITIONS = (
    ("raad_kinderbescherming", "gezinsprofessional"),
    ("veilig_thuis", "gezinsprofessional"),
    ("gecertificeerde_instelling", "gezinsprofessional"),
    ("gecertificeerde_instelling", "teamleider"),
)
SUPPORT_POSITIONS = (
    ("raad_kinderbescherming", "jurist"),
    ("gecertificeerde_instelling", "gedragswetenschapper"),
    ("veilig_thuis", "vertrouwensarts"),
    ("overig", "ervaringsdeskundige"),
)
# Roles that some proeftuinen have not filled (the Leidraad says "waar mogelijk" for one).
SOMETIMES_LACKING = ("vertrouwensarts", "ervaringsdeskundige")
EXTRA_PROFESSIONAL_ORGS = ("gecertificeerde_instelling", "veilig_thuis", "raad_kinderbescherming", "lokaal_team")
# Positions a proeftuin adds for a theme it works on.
THEMA_POSITIONS = {
    "volwassenen_ggz": ("ggz", "spv"),
    "wijkveiligheid_strafrechtketen": ("jeugdreclassering", "gezinsprofessional"),
}


@dataclass(frozen=True)
class DemoFile:
    path: Path  # the written file
    ontvangen: dt.date  # the date the programme team "received" it


@dataclass(frozen=True)
class Layout:
    """How one proeftuin's system writes its files."""

    ext: str
    encoding: str
    delimiter: str
    date_format: str
    decimal: str
    ja: str
    nee: str
    newline: str


XLSX = Layout("xlsx", "", "", "%d-%m-%Y", ".", "ja", "nee", "")
LAYOUTS = {
    "xlsx": XLSX,
    "excel_nl": Layout("csv", "utf-8-sig", ";", "%d-%m-%Y", ",", "ja", "nee", "\r\n"),
    "windows": Layout("csv", "cp1252", ";", "%d-%m-%Y", ",", "J", "N", "\r\n"),
    "utf8": Layout("csv", "utf-8", ",", "%Y-%m-%d", ".", "true", "false", "\n"),
}
# Assigned in turn over the proeftuinen in a seeded order: about half XLSX, half CSV.
LAYOUT_CYCLE = ("xlsx", "excel_nl", "xlsx", "utf8", "xlsx", "windows")


@dataclass(frozen=True)
class Site:
    """One period in which a werkgebied took cases (stop = first day without intake)."""

    werkgebied: str
    start: dt.date
    stop: dt.date | None

    def active(self, day: dt.date) -> bool:
        return self.start <= day and (self.stop is None or day < self.stop)


@dataclass(frozen=True)
class Profile:
    """The fixed traits of one proeftuin in the demo, drawn once from the seed."""

    proeftuin: reference.Proeftuin
    sites: tuple[Site, ...]
    themes: tuple[str, ...]
    layout: Layout
    columns: dict[str, tuple[str, ...]]
    site_intake: float  # new cases per quarter of one werkgebied at full strength
    ramp_days: int
    wait_median: float
    missing_base: float
    netwerk_base: float
    netwerk_slope: float
    instroom_weights: dict[str, float]
    werkwijze_weights: dict[str, float]
    lacking: frozenset[str]


@dataclass(frozen=True)
class Case:
    """A case's whole history; a delivery shows it as known on the peildatum."""

    fields: dict
    start_hulp: dt.date | None
    afsluiting: dt.date
    uitkomst: str

    def row(self, peildatum: dt.date) -> dict:
        closed = self.afsluiting <= peildatum
        return {
            **self.fields,
            "datum_start_hulp": self.start_hulp if self.start_hulp and self.start_hulp <= peildatum else None,
            "datum_afsluiting": self.afsluiting if closed else None,
            "uitkomst": self.uitkomst if closed else None,
        }


@dataclass(frozen=True)
class Position:
    """One team position (no names)."""

    team: str
    organisatie: str
    rol: str
    fte: float
    start: dt.date
    einde: dt.date  # a delivery shows it only once it has passed


@dataclass(frozen=True)
class Delivery:
    """One file the programme team receives; fout names a deliberate error (rejected file)."""

    proeftuin: str
    soort: str
    periode: str
    ontvangen: dt.date
    fout: str | None = None

    def relative_path(self, layout: Layout) -> str:
        name = f"{self.proeftuin}_{self.soort}_{self.periode}.{layout.ext}"
        # A rejected file keeps its valid name; the folder keeps it apart from the correction.
        return f"afgekeurd/{name}" if self.fout else name


@dataclass(frozen=True)
class History:
    """Everything that happens in one proeftuin up to the horizon, drawn once from the seed;
    each delivery shows it as known on its peildatum."""

    profile: Profile
    seed: int
    cases: list[Case]
    positions: list[Position]
    theme_plan: list[tuple[str, int, int]]

    def rows(self, delivery: Delivery) -> list[dict]:
        peildatum = contract.peildatum(delivery.periode)
        if delivery.soort == "teamleden":
            return team_rows(self.profile, self.positions, delivery.periode)
        if delivery.soort == "themas":
            return theme_rows(self.profile, self.theme_plan, peildatum.year)
        rows = [case.row(peildatum) for case in self.cases if case.fields["datum_aanmelding"] <= peildatum]
        if delivery.fout:
            rng = random.Random(f"{self.seed}:{delivery.proeftuin}:{delivery.periode}:fout")
            rows = corrupt(rows, delivery.fout, self.profile.layout, peildatum, rng)
        return rows


def make_history(profile: Profile, seed: int, horizon: dt.date) -> History:
    """The proeftuin's cases, team positions and theme plan, each from its own random stream
    so that changing one leaves the others as they were."""
    code = profile.proeftuin.code
    return History(
        profile=profile,
        seed=seed,
        cases=case_history(profile, random.Random(f"{seed}:{code}:casussen"), horizon),
        positions=team_history(profile, random.Random(f"{seed}:{code}:teamleden"), horizon),
        theme_plan=theme_plan(profile, random.Random(f"{seed}:{code}:themas")),
    )


def write_demo(out_dir: Path, seed: int = 2026, tot: str = "2026-Q3", processes: int | None = None) -> list[DemoFile]:
    """Write the demo export files and ``ontvangen.csv`` into out_dir.

    Returns the files in ingest order (by received date, then name), which is also the order
    of ``ontvangen.csv``. ``processes`` write the files side by side (default: one per core this
    process may use); the bytes do not depend on it.
    """
    writing = start_demo(out_dir, seed, tot, processes)
    writing.wait()
    return writing.files


def start_demo(out_dir: Path, seed: int = 2026, tot: str = "2026-Q3", processes: int | None = None,
               written: Callable[[], object] = lambda: None) -> DemoWriting:
    """Begin writing the demo set (as :func:`write_demo`) and return at once: its files in ingest
    order are known before they are written, and the ingest can read each as soon as it is
    (:meth:`DemoWriting.ready`). ``written()`` is called once every file and ``ontvangen.csv``
    are written. The writer processes are forked here, before the caller opens anything."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    profiles = make_profiles(seed)
    layouts = {p.proeftuin.code: p.layout for p in profiles}
    deliveries = plan_deliveries(profiles, random.Random(f"{seed}:leveringen"), tot)
    # Written in ingest order, so that the ingest can follow the writers file by file.
    deliveries.sort(key=lambda d: (d.ontvangen, d.relative_path(layouts[d.proeftuin])))
    relative = [d.relative_path(layouts[d.proeftuin]) for d in deliveries]
    files = [DemoFile(out_dir / r, d.ontvangen) for r, d in zip(relative, deliveries)]

    def finish() -> None:
        write_manifest(out_dir / "ontvangen.csv", [(r, f.ontvangen) for r, f in zip(relative, files)])
        written()

    return DemoWriting(files, write_deliveries(out_dir, deliveries, seed, tot, processes or usable_cores()), finish)


class DemoWriting:
    """The demo set while its files are being written, in order, by `results` (an iterator of what
    write_delivery returns). A thread follows the writers; `ready(path)` waits for one file."""

    def __init__(self, files: list[DemoFile], results: Iterable[tuple[str, DemoFile]], finish: Callable[[], None]):
        self.files = files
        self._done = {f.path: threading.Event() for f in files}
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._follow, args=(iter(results), finish), name="demo-schrijven",
                                        daemon=True)
        self._thread.start()

    def _follow(self, results, finish) -> None:
        try:
            for expected in self.files:
                _relative, demo_file = next(results)
                if demo_file.path != expected.path:  # the order is what the ingest relies on
                    raise RuntimeError(f"demobestand {demo_file.path.name} geschreven in plaats van {expected.path.name}")
                self._done[expected.path].set()
            finish()
        except BaseException as e:  # noqa: BLE001 - handed to every waiter, and to wait()
            self._error = e
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()
            for event in self._done.values():
                event.set()  # a waiter for a file never written wakes and raises

    def ready(self, path: Path) -> None:
        """Return once the file is completely written; raise what stopped the writing otherwise."""
        self._done[Path(path)].wait()
        if self._error is not None:
            raise self._error

    def join(self) -> None:
        """Return once the writing has ended, whether it succeeded or not."""
        self._thread.join()

    def wait(self) -> None:
        """Return once every file and ontvangen.csv are written; raise what stopped the writing."""
        self.join()
        if self._error is not None:
            raise self._error


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Writer:
    """Writes the deliveries of one demo set; each process draws the histories once."""

    def __init__(self, out_dir: Path, seed: int, tot: str):
        horizon = contract.peildatum(tot)
        self.out_dir = out_dir
        self.histories = {p.proeftuin.code: make_history(p, seed, horizon) for p in make_profiles(seed)}

    def __call__(self, delivery: Delivery) -> tuple[str, DemoFile]:
        return write_delivery(self.out_dir, self.histories[delivery.proeftuin], delivery)


_pool_writer: Writer | None = None  # the Writer of a pool process (set by its initializer)


def _start_pool_writer(out_dir: Path, seed: int, tot: str) -> None:
    global _pool_writer
    _pool_writer = Writer(out_dir, seed, tot)


def _write_in_pool(delivery: Delivery) -> tuple[str, DemoFile]:
    assert _pool_writer is not None
    return _pool_writer(delivery)


# Deliveries per task handed to a pool process: small enough to share the work out evenly
# (a proeftuin's last casussen files are its largest), large enough to keep the hand-offs cheap.
POOL_CHUNK = 4


def write_deliveries(out_dir: Path, deliveries: list[Delivery], seed: int, tot: str,
                     processes: int) -> Iterator[tuple[str, DemoFile]]:
    """Write every delivery's file, in `processes` processes side by side (the 458 files take some
    1.7 CPU seconds, beside the ingest that reads them); yields them in delivery order as they are
    written. The processes are forked, and every delivery handed to them, before this returns."""
    if processes <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        write = Writer(out_dir, seed, tot)
        return (write(d) for d in deliveries)
    # fork, not spawn or forkserver: those import the caller's main module again in every
    # writer (app.py, a script). A writer touches nothing of what it inherits but this module,
    # and leaves with os._exit: an inherited DuckDB connection or thread is never used or closed.
    # Python forks every process of a fork pool at its first task, and map hands out every task
    # at once: nothing the caller opens afterwards (the ingest's DuckDB) is forked.
    pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_pool_writer, initargs=(out_dir, seed, tot))
    try:
        results = pool.map(_write_in_pool, deliveries, chunksize=POOL_CHUNK)
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    return _then_shut_down(results, pool)


def _then_shut_down(results: Iterator[tuple[str, DemoFile]], pool: ProcessPoolExecutor) -> Iterator[tuple[str, DemoFile]]:
    try:
        yield from results
    finally:  # also when the caller stops early: the writers that are left are stopped
        pool.shutdown(wait=True, cancel_futures=True)


def write_delivery(out_dir: Path, history: History, delivery: Delivery) -> tuple[str, DemoFile]:
    """Write one delivery's file; returns its path relative to out_dir and the DemoFile."""
    layout = history.profile.layout
    relative = delivery.relative_path(layout)
    path = out_dir / relative
    path.parent.mkdir(exist_ok=True)  # two processes may both make afgekeurd/
    created = dt.datetime.combine(delivery.ontvangen, dt.time(9, 0))
    write_file(path, layout, delivery.soort, history.profile.columns[delivery.soort], history.rows(delivery), created)
    return relative, DemoFile(path, delivery.ontvangen)


# --- Profiles ------------------------------------------------------------------------------

def make_profiles(seed: int) -> list[Profile]:
    """One profile per proeftuin of the reference data, in reference order."""
    proeftuinen = reference.proeftuinen()
    sites = {p.code: read_sites(p) for p in proeftuinen}
    themes = assigned_themes()
    layouts = assign_layouts(proeftuinen, sites, random.Random(f"{seed}:formaten"))
    lacking = assign_lacking_roles(proeftuinen, themes, random.Random(f"{seed}:leidraad"))
    profiles = []
    for p in proeftuinen:
        rng = random.Random(f"{seed}:{p.code}:profiel")
        own_themes = themes.get(p.code) or tuple(rng.sample(sorted(reference.thema_codes()), 3))
        netwerk_focus = any(t in own_themes for t in NETWERK_THEMAS)
        profiles.append(Profile(
            proeftuin=p,
            sites=sites[p.code],
            themes=own_themes,
            layout=LAYOUTS[layouts[p.code]],
            columns=column_orders(rng),
            site_intake=INTAKE_PER_QUARTER.get(p.code, DEFAULT_INTAKE) * rng.uniform(0.9, 1.1) / peak_sites(sites[p.code]),
            ramp_days=rng.randint(270, 450),
            wait_median=rng.uniform(7, 30),
            missing_base=rng.uniform(0.04, 0.12),
            netwerk_base=rng.uniform(0.05, 0.2),
            netwerk_slope=rng.uniform(0.06, 0.12) * (2 if netwerk_focus else 1),
            instroom_weights={k: w * rng.uniform(0.5, 1.5) for k, w in INSTROOM_WEIGHTS.items()},
            werkwijze_weights={"duo": rng.uniform(3, 6), "rvt": rng.uniform(1, 4), "lokaal_team": rng.uniform(0.5, 2)},
            lacking=lacking.get(p.code, frozenset()),
        ))
    return profiles


def read_sites(p: reference.Proeftuin) -> tuple[Site, ...]:
    """The proeftuin's werkgebied periods; an unknown start is the proeftuin's start.

    A proeftuin without werkgebieden takes cases from its start, with werkgebied empty.
    """
    sites = tuple(
        Site(r["werkgebied"],
             dt.date.fromisoformat(r["start_datum"]) if r["start_datum"] else p.start_datum,
             dt.date.fromisoformat(r["stop_datum"]) if r["stop_datum"] else None)
        for r in reference.read_rows("werkgebieden.csv") if r["proeftuin"] == p.code
    )
    return sites or (Site("", p.start_datum, None),)


def peak_sites(sites: tuple[Site, ...]) -> int:
    """The largest number of werkgebieden active at the same time."""
    return max(sum(other.active(s.start) for other in sites) for s in sites)


def assigned_themes() -> dict[str, tuple[str, ...]]:
    """The themes the factsheet assigns to each proeftuin, in file order."""
    themes: dict[str, list[str]] = {}
    for r in reference.read_rows("thema_toewijzing.csv"):
        themes.setdefault(r["proeftuin"], []).append(r["thema"])
    return {code: tuple(dict.fromkeys(codes)) for code, codes in themes.items()}


def assign_layouts(proeftuinen, sites: dict[str, tuple[Site, ...]], rng: random.Random) -> dict[str, str]:
    """Each proeftuin's file layout, dealt from LAYOUT_CYCLE in a seeded order.

    A proeftuin with a non-ASCII werkgebied gets the Windows-1252 layout, so that the encoding
    is actually exercised.
    """
    codes = [p.code for p in proeftuinen]
    rng.shuffle(codes)
    layouts = {code: LAYOUT_CYCLE[i % len(LAYOUT_CYCLE)] for i, code in enumerate(codes)}
    accented = [c for c in codes if any(not s.werkgebied.isascii() for s in sites[c])]
    windows = [c for c in codes if layouts[c] == "windows"]
    if accented and windows and accented[0] not in windows:
        layouts[accented[0]], layouts[windows[0]] = "windows", layouts[accented[0]]
    return layouts


def assign_lacking_roles(proeftuinen, themes: dict[str, tuple[str, ...]], rng: random.Random) -> dict[str, frozenset[str]]:
    """Give one proeftuin per role in SOMETIMES_LACKING a team without it.

    A proeftuin whose themes centre on ervaringsdeskundigheid always has one.
    """
    candidates = [p.code for p in proeftuinen if "ervaringsdeskundigheid" not in themes.get(p.code, ())]
    chosen = rng.sample(candidates, len(SOMETIMES_LACKING))
    return {code: frozenset({role}) for code, role in zip(chosen, SOMETIMES_LACKING)}


def column_orders(rng: random.Random) -> dict[str, tuple[str, ...]]:
    """Column order per soort: the contract's, or (for some systems) shuffled."""
    orders = {}
    for soort, columns in contract.COLUMNS.items():
        names = [c.name for c in columns]
        if rng.random() < 0.35:
            rng.shuffle(names)
        orders[soort] = tuple(names)
    return orders


def periods(start: str, tot: str) -> list[str]:
    """The quarters from start up to and including tot."""
    result = []
    day = contract.periode_start(start)
    end = contract.peildatum(tot)
    while day <= end:
        result.append(contract.periode_of(day))
        day = contract.peildatum(result[-1]) + ONE_DAY
    return result


def years_since(start: dt.date, day: dt.date) -> float:
    return max(0.0, (day - start).days / 365.25)


# --- Cases ---------------------------------------------------------------------------------

def case_history(profile: Profile, rng: random.Random, horizon: dt.date) -> list[Case]:
    """Every case of the proeftuin registered up to the horizon, in registration order."""
    return list(iter_cases(profile, rng, horizon))


def iter_cases(profile: Profile, rng: random.Random, horizon: dt.date) -> Iterable[Case]:
    """The cases of case_history one at a time (the scale generator writes millions)."""
    prefix = id_prefix(profile.proeftuin.code)
    for number, (day, site) in enumerate(intake_days(profile, rng, horizon), start=1):
        yield make_case(profile, rng, f"DEMO-{prefix}-{number:06d}", day, site)


def id_prefix(code: str) -> str:
    """Initials of the proeftuin code ('gelderland-zuid' -> 'GZ', 'foodvalley' -> 'FO')."""
    parts = code.split("-")
    return ("".join(part[0] for part in parts) if len(parts) > 1 else code[:2]).upper()


def intake_days(profile: Profile, rng: random.Random, horizon: dt.date) -> Iterable[tuple[dt.date, Site]]:
    """(registration date, werkgebied period) of each new case.

    Each werkgebied ramps up from a quarter of its share to full strength over ramp_days;
    nothing comes in while no werkgebied is active (Zeeland between its two teams).
    """
    for day, weights, rate in intake_rates(profile, horizon):
        for _ in range(poisson(rng, rate)):
            yield day, rng.choices(profile.sites, weights)[0]


def intake_rates(profile: Profile, horizon: dt.date) -> Iterable[tuple[dt.date, list[float], float]]:
    """(day, weight of each werkgebied period, expected new cases) for every day up to the horizon."""
    share = profile.site_intake / 91.3
    day = min(s.start for s in profile.sites)
    while day <= horizon:
        weights = [
            share * min(1.0, 0.25 + 0.75 * (day - s.start).days / profile.ramp_days) if s.active(day) else 0.0
            for s in profile.sites
        ]
        yield day, weights, sum(weights) * MONTH_FACTOR.get(day.month, 1.0)
        day += ONE_DAY


def expected_cases(profile: Profile, horizon: dt.date) -> float:
    """The number of cases intake_days draws on average (the scale generator aims with it)."""
    return sum(rate for _day, _weights, rate in intake_rates(profile, horizon))


# Daily rates above this are drawn from the normal approximation; the demo's stay far below it.
LARGE_RATE = 50.0


def poisson(rng: random.Random, rate: float) -> int:
    """A Poisson draw: Knuth's method for the demo's small daily rates, the normal approximation
    for the scale generator's large ones (Knuth's limit exp(-rate) underflows from about 700)."""
    if rate <= 0:
        return 0
    if rate > LARGE_RATE:
        return max(0, round(rng.gauss(rate, math.sqrt(rate))))
    limit, count, product = math.exp(-rate), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def make_case(profile: Profile, rng: random.Random, casus_id: str, aanmelding: dt.date, site: Site) -> Case:
    """One case with its household, characteristics and trajectory."""
    t = years_since(profile.proeftuin.start_datum, aanmelding)
    minderjarigen, volwassenen = household(rng)
    vaste_professional = rng.random() < min(0.97, 0.75 + 0.06 * t)
    fields = {
        "casus_id": casus_id,
        "proeftuin": profile.proeftuin.code,
        "werkgebied": site.werkgebied or None,
        "datum_aanmelding": aanmelding,
        "instroomroute": weighted(rng, profile.instroom_weights),
        "aantal_minderjarigen": minderjarigen,
        "aantal_volwassenen": volwassenen,
        "vaste_professional": vaste_professional,
        "werkwijze": weighted(rng, profile.werkwijze_weights),
        "aantal_overdrachten": rng.choices((0, 1, 2, 3), (88, 10, 2, 0) if vaste_professional else (50, 35, 12, 3))[0],
        **leefgebieden(rng, minderjarigen),
        **characteristics(profile, rng, t, minderjarigen),
        "kinderbeschermingsmaatregel": weighted(rng, MAATREGEL_WEIGHTS) if minderjarigen else "geen",
    }
    # Registration improves over time (IV): older cases have more unknown optional fields.
    missing = max(0.005, profile.missing_base * 0.55 ** t)
    for name in OPTIONAL_CASE_FIELDS:
        if rng.random() < missing:
            fields[name] = None
    start_hulp, afsluiting, uitkomst = trajectory(profile, rng, aanmelding)
    return Case(fields, start_hulp, afsluiting, uitkomst)


def household(rng: random.Random) -> tuple[int, int]:
    """(minors, adults), never both 0; a household without minors has at least one adult."""
    minderjarigen = rng.choices(range(7), MINDERJARIGEN_WEIGHTS)[0]
    if minderjarigen == 0:
        return 0, rng.choices((1, 2, 3), (70, 25, 5))[0]
    return minderjarigen, rng.choices((0, 1, 2, 3), (3, 42, 50, 5))[0]


def leefgebieden(rng: random.Random, minderjarigen: int) -> dict[str, bool]:
    """The leefgebied columns; 'gezin' matters less in a household without children."""
    return {
        f"leefgebied_{name}": rng.random() < (0.4 if name == "gezin" and not minderjarigen else p)
        for name, p in LEEFGEBIED_BASE.items()
    }


def characteristics(profile: Profile, rng: random.Random, t: float, minderjarigen: int) -> dict[str, bool]:
    """The kenmerk columns: theme emphasis, a growing netwerkdossier, the team's roles."""
    result = {}
    for name, base in KENMERK_BASE.items():
        p = base * (1.6 if KENMERK_THEMA.get(name) in profile.themes else 1.0)
        if name == "ervaringsdeskundige" and "ervaringsdeskundige" in profile.lacking:
            p *= 0.2
        if name in ALLEEN_MET_MINDERJARIGEN and not minderjarigen:
            p = 0.0
        result[name] = rng.random() < min(0.95, p)
    result["netwerkdossier"] = rng.random() < min(0.9, profile.netwerk_base + profile.netwerk_slope * t)
    # Families get access only through a netwerkdossier, and more so as it matures.
    result["gezin_inzage"] = result["netwerkdossier"] and rng.random() < min(0.8, 0.15 + 0.12 * t)
    return result


def trajectory(profile: Profile, rng: random.Random, aanmelding: dt.date) -> tuple[dt.date | None, dt.date, str]:
    """(start of help, closing date, outcome); a few cases close without help starting."""
    if rng.random() < 0.04:
        afsluiting = aanmelding + dt.timedelta(days=rng.randint(7, 60))
        uitkomst = weighted(rng, {"veiligheid_hersteld": 30, "deels_hersteld": 10, "niet_hersteld": 10, "onbekend": 50})
        return None, afsluiting, uitkomst
    wait = round(rng.lognormvariate(math.log(profile.wait_median), 0.7))
    start_hulp = aanmelding + dt.timedelta(days=wait)
    duration = min(365, max(60, round(rng.lognormvariate(math.log(160), 0.5))))
    return start_hulp, start_hulp + dt.timedelta(days=duration), weighted(rng, UITKOMST_WEIGHTS)


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(tuple(weights), tuple(weights.values()))[0]


def corrupt(rows: list[dict], fout: str, layout: Layout, peildatum: dt.date, rng: random.Random) -> list[dict]:
    """A copy of rows with one deliberate error: an impossible date or an unknown instroomroute."""
    rows = list(rows)
    i = rng.randrange(len(rows))
    if fout == "datum":
        impossible = layout.date_format.replace("%d", "31").replace("%m", "02").replace("%Y", str(peildatum.year))
        rows[i] = {**rows[i], "datum_aanmelding": impossible}
    else:
        rows[i] = {**rows[i], "instroomroute": "huisarts"}
    return rows


# --- Teams and themes ---------------------------------------------------------------------

def team_history(profile: Profile, rng: random.Random, horizon: dt.date) -> list[Position]:
    """Every position ever held in the proeftuin's teams, one team per werkgebied period.

    A team forms one to two and a half months before its werkgebied starts, gets its support
    roles within eight months, grows by a professional most years, and has turnover.
    """
    p = profile.proeftuin
    positions = position_chain(rng, f"Projectteam {p.naam}", "gemeente", "overig", p.start_datum, None, horizon)
    for site in profile.sites:
        team = f"RVT {site.werkgebied or p.naam}"
        formed = site.start - dt.timedelta(days=rng.randint(30, 75))
        einde = site.stop - ONE_DAY if site.stop else None
        extra = round(profile.site_intake / 12)
        wanted = [
            *((org, rol, 0) for org, rol in CORE_POSITIONS),
            *((org, rol, rng.randint(0, 240)) for org, rol in SUPPORT_POSITIONS if rol not in profile.lacking),
            *((rng.choice(EXTRA_PROFESSIONAL_ORGS), "gezinsprofessional", rng.randint(0, 120)) for _ in range(extra)),
            *((*THEMA_POSITIONS[t], rng.randint(60, 360)) for t in profile.themes if t in THEMA_POSITIONS),
        ]
        year = 1
        while formed + dt.timedelta(days=365 * year) <= horizon:
            if rng.random() < 0.7:
                wanted.append((rng.choice(EXTRA_PROFESSIONAL_ORGS), "gezinsprofessional", 365 * year + rng.randint(0, 90)))
            year += 1
        for org, rol, delay in wanted:
            start = formed + dt.timedelta(days=delay + rng.randint(0, 30))
            if start <= horizon and (einde is None or start < einde):
                positions += position_chain(rng, team, org, rol, start, einde, horizon)
    return positions


def position_chain(rng: random.Random, team: str, org: str, rol: str, start: dt.date,
                   team_einde: dt.date | None, horizon: dt.date) -> list[Position]:
    """A position and its successors: people leave after one to four years, the vacancy is
    filled two weeks to three months later, until the team stops or the horizon."""
    chain = []
    while start <= horizon and (team_einde is None or start <= team_einde):
        einde = start + dt.timedelta(days=rng.randint(365, 1460))
        if team_einde is not None and einde >= team_einde:
            einde = team_einde
        chain.append(Position(team, org, rol, rng.choice(FTE_CHOICES[rol]), start, einde))
        if einde == team_einde:
            break
        start = einde + dt.timedelta(days=rng.randint(14, 90))
    return chain


def team_rows(profile: Profile, positions: list[Position], periode: str) -> list[dict]:
    """The positions held during the quarter, as known on its peildatum."""
    first, last = contract.periode_start(periode), contract.peildatum(periode)
    held = [x for x in positions if x.start <= last and x.einde >= first]
    held.sort(key=lambda x: (x.team, x.start, x.organisatie, x.rol))
    return [
        {"proeftuin": profile.proeftuin.code, "team": x.team, "organisatie": x.organisatie, "rol": x.rol,
         "fte": x.fte, "datum_start": x.start, "datum_einde": x.einde if x.einde <= last else None}
        for x in held
    ]


def theme_plan(profile: Profile, rng: random.Random) -> list[tuple[str, int, int]]:
    """(theme, first year lopend, last year lopend) for each of the proeftuin's themes."""
    first = profile.proeftuin.start_datum.year
    plan = []
    for theme in profile.themes:
        begin = first + rng.choice((0, 0, 1))
        plan.append((theme, begin, begin + rng.randint(1, 3)))
    return plan


def theme_rows(profile: Profile, plan: list[tuple[str, int, int]], jaar: int) -> list[dict]:
    def status(begin: int, done: int) -> str:
        return "gepland" if jaar < begin else "afgerond" if jaar > done else "lopend"

    return [{"proeftuin": profile.proeftuin.code, "thema": theme, "status": status(begin, done), "jaar": jaar}
            for theme, begin, done in plan]


# --- The delivery stream -------------------------------------------------------------------

def plan_deliveries(profiles: list[Profile], rng: random.Random, tot: str) -> list[Delivery]:
    """Every file received: normally 5-25 days after the quarter, a few 40-70 days late, two
    quarters without casussen, and two or three rejected casussen files corrected a week later.

    Anomalies fall only in quarters with a year of history behind them and before the latest
    quarter, so every proeftuin has cases to spoil and a current delivery.
    """
    schedule = {p.proeftuin.code: periods(contract.periode_of(p.proeftuin.start_datum), tot) for p in profiles}
    eligible = [(code, periode) for code, quarters in schedule.items() for periode in quarters[4:-1]]
    rejected_count = rng.choice((2, 3))
    picked = rng.sample(eligible, 2 + 4 + rejected_count)
    missing, late, rejected = set(picked[:2]), set(picked[2:6]), picked[6:]
    errors = {moment: ("datum", "instroomroute")[i % 2] for i, moment in enumerate(rejected)}
    deliveries = []
    for code, quarters in schedule.items():
        for periode in quarters:
            moment = (code, periode)
            delay = rng.randint(40, 70) if moment in late else rng.randint(5, 25)
            ontvangen = contract.peildatum(periode) + dt.timedelta(days=delay)
            if moment in errors:
                deliveries.append(Delivery(code, "casussen", periode, ontvangen, errors[moment]))
                deliveries.append(Delivery(code, "casussen", periode, ontvangen + dt.timedelta(days=7)))
            elif moment not in missing:
                deliveries.append(Delivery(code, "casussen", periode, ontvangen))
            deliveries.append(Delivery(code, "teamleden", periode, ontvangen))
            if periode.endswith("Q1") or periode == quarters[0]:
                deliveries.append(Delivery(code, "themas", periode, ontvangen))
    return deliveries


# --- Writing -------------------------------------------------------------------------------

def write_file(path: Path, layout: Layout, soort: str, columns: tuple[str, ...], rows: list[dict],
               created: dt.datetime) -> None:
    if layout.ext == "xlsx":
        write_xlsx(path, soort, columns, rows, created)
    else:
        write_csv(path, layout, columns, rows)


def write_csv(path: Path, layout: Layout, columns: tuple[str, ...], rows: list[dict]) -> None:
    text = csv_formatter(layout)
    with open(path, "w", encoding=layout.encoding, newline="") as f:
        writer = csv.writer(f, delimiter=layout.delimiter, lineterminator=layout.newline)
        writer.writerow(columns)
        writer.writerows([text(row[c]) for c in columns] for row in rows)


def csv_formatter(layout: Layout) -> Callable[[object], str]:
    """How the layout writes one value as text."""
    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return layout.ja if value else layout.nee
        if isinstance(value, dt.date):
            return value.strftime(layout.date_format)
        if isinstance(value, float):
            return f"{value:g}".replace(".", layout.decimal)
        return str(value)
    return text


def write_xlsx(path: Path, soort: str, columns: tuple[str, ...], rows: list[dict], created: dt.datetime) -> None:
    """An Excel workbook with real date and number cells, as XlsxWriter would write it, in a tenth
    of its CPU (dashboard/demo_xlsx.py). The zip entries carry a fixed date and the document the
    given creation time, so the bytes depend only on the content."""
    demo_xlsx.write_workbook(path, soort, columns, [[row[c] for c in columns] for row in rows], created,
                             (XLSX.ja, XLSX.nee))


def write_manifest(path: Path, entries: list[tuple[str, dt.date]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("bestandsnaam", "ontvangen"))
        writer.writerows((name, ontvangen.isoformat()) for name, ontvangen in entries)
