"""The one path all figure data takes: registry query -> result -> figure, card or CSV.

Pages, the download buttons and the ``export`` CLI all call :func:`figure_data`, so whatever is
added here later (small-number protection, role checks) applies to every output at once.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from . import contract, protection, reference, registry
from .errors import FilterError, NoData
from .security import Viewer, check_delivery_access, current_viewer, data_scope
from .store import Reader, Store, StoreDamaged


@dataclass(frozen=True)
class Filters:
    tranche: int | None = None
    proeftuinen: tuple[str, ...] = ()
    van: str | None = None  # '2023-Q1'
    tot: str | None = None

    def checked(self) -> Filters:
        """The same filters, validated against the known codes (raises FilterError)."""
        if isinstance(self.tranche, bool) or self.tranche not in (None, 1, 2):
            raise FilterError(f"tranche '{self.tranche}' bestaat niet; kies 1 of 2")
        if not isinstance(self.proeftuinen, (tuple, list, set, frozenset)) or not all(
                isinstance(p, str) for p in self.proeftuinen) or not all(
                isinstance(q, str) for q in (self.van, self.tot) if q is not None):
            raise FilterError("een filterwaarde heeft niet de vorm van een code")
        unknown = [p for p in self.proeftuinen if p not in reference.proeftuin_codes()]
        if unknown:
            raise FilterError(f"onbekende proeftuin '{unknown[0]}'")
        for q in (self.van, self.tot):
            if q is not None:
                try:
                    contract.parse_periode(q)
                except ValueError as e:
                    raise FilterError(str(e)) from None
        if self.van and self.tot and contract.periode_start(self.van) > contract.periode_start(self.tot):
            raise FilterError(f"de periode 'van' ({self.van}) ligt na 'tot' ({self.tot})")
        return Filters(self.tranche, tuple(sorted(set(self.proeftuinen))), self.van and self.van.upper(),
                       self.tot and self.tot.upper())

    def parameters(self) -> dict:
        return {
            "tranche": self.tranche,
            "proeftuinen": list(self.proeftuinen),
            "van": contract.periode_start(self.van) if self.van else None,
            "tot": contract.peildatum(self.tot) if self.tot else None,
        }

    def slug(self) -> str:
        """A short file-name part: 'alle', 'tranche-1', 'flevoland+utrecht_2023-Q1-2024-Q4'."""
        parts = []
        if self.tranche:
            parts.append(f"tranche-{self.tranche}")
        if self.proeftuinen:
            parts.append("+".join(self.proeftuinen))
        if self.van or self.tot:
            parts.append(f"{self.van or 'begin'}-{self.tot or 'eind'}")
        return "_".join(parts) or "alle"


@dataclass
class FigureData:
    indicator: registry.Indicator
    filters: Filters
    df: pd.DataFrame
    threshold: int = 0  # the small-number threshold applied; 0 = none
    protected: bool = False  # whether any cell was hidden

    @property
    def note(self) -> str:
        """The one line that says protection is applied (empty when it is off)."""
        return protection.note(self.threshold, bool(self.indicator.protection.rounded)) if self.threshold else ""


@dataclass
class SnapshotInfo:
    peildatum: dt.date | None
    laatste_ontvangst: dt.date | None
    demo: bool
    kwartalen: list[str] = field(default_factory=list)


_readers: dict[Path, Reader] = {}


def reader(data_dir: Path | str | None = None) -> Reader:
    """The process's reader of the store in `data_dir` (dashboard/warm.py steers what it serves)."""
    store = Store(data_dir)
    key = store.root.resolve()
    if key not in _readers:
        _readers[key] = Reader(store)
    return _readers[key]


STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")


def pin_snapshot_per_request(server, data_dir: Path | str) -> None:
    """Every figure of one HTTP response comes from one snapshot: the one in force when the
    request began (Reader.pin), released when it ends. Without it, an ingest publishing while a
    page is drawn mixes old and new numbers on one page (seen under load: a key-figure basis of
    4.530 next to an intake of 4.517). Runs before any other request hook, Dash's own included
    (its first-request set-up draws the shell, with data)."""
    from flask import request

    from .security import HEALTH_PATH, STORE_DAMAGED, error_response

    store_reader = reader(data_dir)

    def pin():
        if request.path.startswith(STATIC_PREFIXES):
            return None
        try:
            store_reader.pin()
        except StoreDamaged:
            # Fail closed: nothing of a damaged store is shown; /healthz says what is wrong.
            if request.path != HEALTH_PATH:
                return error_response(503, message=STORE_DAMAGED)
        return None

    def unpin(_error=None):
        store_reader.unpin()

    server.before_request_funcs.setdefault(None, []).insert(0, pin)
    server.teardown_request(unpin)


def connection(data_dir=None):
    return _connection_and_snapshot(data_dir)[0]


class Loan:
    """A helper thread's way to read the snapshot of the thread it works for (ui.parallel): inside
    `with loan.reading():` the helper reads that snapshot through a cursor of that thread's
    connection, closed at the end; `close()` closes a loan no helper took."""

    def __init__(self, store_reader: Reader, cursor, snap: Path):
        self._reader, self._cursor, self._snap = store_reader, cursor, snap

    def reading(self):
        return self._reader.borrowing(self._cursor, self._snap)

    def close(self) -> None:
        self._cursor.close()


def loans(count: int, data_dir=None) -> list[Loan] | None:
    """`count` loans of this thread's snapshot (made here: a connection makes its cursors on its
    own thread), or None when this thread reads no snapshot."""
    store_reader = reader(data_dir)
    con, snap = store_reader.connection(), store_reader.snapshot()
    if con is None or snap is None:
        return None
    return [Loan(store_reader, con.cursor(), snap) for _ in range(count)]


def threshold_for(always_protect: bool = False) -> int:
    """The configured threshold; presentation mode and the stuurgroep role never go without."""
    configured = protection.configured_threshold()
    if always_protect and configured <= 0:
        return protection.DEFAULT_THRESHOLD
    return configured


def figure_data(figure_id: str, filters: Filters = Filters(), data_dir=None,
                always_protect: bool = False, viewer: Viewer | None = None) -> FigureData:
    """The rows behind one figure under the given filters: exactly what its download gives.

    Small numbers are protected here, once, for every figure, card, table and download. So is
    what the viewer's role may see (dashboard.security.data_scope; raises security.Forbidden);
    `viewer` defaults to the logged-in viewer of the request in progress.
    """
    indicator = registry.get(figure_id)
    scope = data_scope(viewer or current_viewer(), indicator, filters.checked())
    checked = scope.filters
    threshold = threshold_for(always_protect or scope.always_protect) if indicator.protection.active else 0
    con, snapshot = _connection_and_snapshot(data_dir)
    df, hidden = _protected(con, snapshot, indicator, checked, threshold)
    df = scope.rows(df)
    return FigureData(indicator=indicator, filters=checked, df=df, threshold=threshold, protected=hidden)


# --- protection across figures and filter settings, with a cache per snapshot ----------------

_CACHE_SIZE = 1024
_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every cached figure (benchmarks and tests; a new snapshot never needs it)."""
    with _cache_lock:
        _cache.clear()


def cached_figures() -> list[tuple[str, Filters]]:
    """(figure id, filters) of every cached figure, oldest first (benchmarks)."""
    with _cache_lock:
        return [(k[1], k[2]) for k in _cache if len(k) == 4]


def _connection_and_snapshot(data_dir):
    store_reader = reader(data_dir)
    con = store_reader.connection()
    if con is None:
        raise NoData("er zijn nog geen gegevens ingelezen")
    snap = store_reader.snapshot()
    try:  # the path, and its identity on disk: a store rebuilt in the same place is not confused
        st = snap.stat()
        return con, (str(snap), st.st_ino, st.st_mtime_ns)
    except (AttributeError, OSError):
        return con, (str(snap), None, None)


def _protected(con, snapshot, indicator: registry.Indicator, f: Filters, threshold: int) -> tuple[pd.DataFrame, bool]:
    """The protected rows of `indicator` under checked filters `f`, cached per snapshot file.

    A snapshot file never changes (a new one gets a new name), so its path keys the cache; the
    frames are copied out so that callers cannot change what is cached.
    """
    df, hidden = _cached((snapshot, indicator.id, f, threshold),
                         lambda: _compute(con, snapshot, indicator, f, threshold))
    return df.copy(), hidden


def _cached(key, compute):
    """The cached value for `key`, computed (outside the lock) and kept when missing."""
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = compute()
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def _normalised_selection(f: Filters) -> Filters:
    """A selection of every proeftuin, or of exactly one whole tranche, is no hand-picked set."""
    if not f.proeftuinen:
        return f
    chosen = set(f.proeftuinen)
    if chosen == set(reference.proeftuin_codes()) and f.tranche is None:
        return replace(f, proeftuinen=())
    for t in (1, 2):
        if chosen == {p.code for p in reference.proeftuinen() if p.tranche == t} and f.tranche in (None, t):
            return replace(f, tranche=t, proeftuinen=())
    return f


def _in_period(kwartalen: pd.Series, f: Filters) -> pd.Series:
    van = contract.periode_start(f.van) if f.van else None
    tot = contract.peildatum(f.tot) if f.tot else None

    def inside(q) -> bool:
        return (van is None or contract.periode_start(str(q)) >= van) and (tot is None or contract.peildatum(str(q)) <= tot)
    return kwartalen.map(inside).astype(bool)


def _compute(con, snapshot, indicator: registry.Indicator, f: Filters, threshold: int) -> tuple[pd.DataFrame, bool]:
    rules = indicator.protection
    if not threshold:
        return registry.run(con, indicator, f.parameters()), False
    normal = _normalised_selection(f)
    if normal != f:
        return _protected(con, snapshot, indicator, normal, threshold)
    # Rows of quarters are protected over every quarter, then the period is selected: two
    # periods must not hide different cells of the same quarter.
    period_after = rules.period_rows and bool(f.van or f.tot)
    # Complementary suppression must see every proeftuin and tranche of a group, not only the
    # selected ones: otherwise a hidden cell could be computed from a total and another view, and
    # two filter settings could hide different cells of the same table.
    narrowed = rules.groups and (f.proeftuinen or f.tranche)
    columns = _columns(con, indicator) if narrowed else ()
    select_after = bool(f.proeftuinen) and "proeftuin" in columns
    tranche_after = bool(f.tranche) and ("tranche" in columns or "proeftuin" in columns)
    if not (period_after or select_after or tranche_after):
        return _protect_run(con, snapshot, indicator, f, threshold)
    # The whole table, protected and cached once, then narrowed: any period, tranche or
    # selection of it costs a row filter.
    whole = replace(f, van=None if period_after else f.van, tot=None if period_after else f.tot,
                    proeftuinen=() if select_after else f.proeftuinen,
                    tranche=None if tranche_after else f.tranche)
    df, hidden = _protected(con, snapshot, indicator, whole, threshold)
    if select_after:
        df = df[df["proeftuin"].isin(f.proeftuinen)]
    if tranche_after:
        if "tranche" in df.columns:
            df = df[df["tranche"] == f.tranche]
        else:
            df = df[df["proeftuin"].map({p.code: p.tranche for p in reference.proeftuinen()}) == f.tranche]
    if period_after and "kwartaal" in df.columns:
        df = df[_in_period(df["kwartaal"], f)]
    return df.reset_index(drop=True), hidden


_query_columns: dict[tuple[str, str], tuple[str, ...]] = {}


def _columns(con, indicator: registry.Indicator) -> tuple[str, ...]:
    """The figure's columns: a property of its SQL, not of the data, so learnt once per process
    from the query asked for no rows (planning only). Running the whole table to learn them cost
    a query and its protection on every narrowed view with a period."""
    key = (indicator.id, indicator.sql)
    if key not in _query_columns:
        params: dict = {name: None for name in indicator.parameters}
        if "proeftuinen" in params:
            params["proeftuinen"] = []
        cur = con.cursor()
        try:  # the newlines: the query may end in a comment or a semicolon
            cur.execute(f"SELECT * FROM (\n{indicator.sql.strip().rstrip(';')}\n) LIMIT 0", params)
            _query_columns[key] = tuple(d[0] for d in cur.description)
        finally:
            cur.close()
    return _query_columns[key]


def _protect_run(con, snapshot, indicator, f: Filters, threshold: int) -> tuple[pd.DataFrame, bool]:
    """Run the query with exactly `f` and protect the result (an aggregate over a hand-picked
    selection of proeftuinen with the rule of _members_hidden)."""
    rules = indicator.protection
    raw = registry.run(con, indicator, f.parameters())
    pre_hidden = None
    if f.proeftuinen and "proeftuin" not in raw.columns and rules.exact_counts and not raw.empty:
        pre_hidden = _members_hidden(con, snapshot, indicator, f, raw, threshold)
    df, hidden = protection.protect(raw, rules, threshold, pre_hidden=pre_hidden)
    return df.reset_index(drop=True), hidden


def _members_hidden(con, snapshot, indicator, f: Filters, raw: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Cells of an aggregate over a hand-picked selection that must be hidden: where a selected
    proeftuin's own cell is hidden, the aggregate would give it back by subtraction (the same
    aggregate without it, or the proeftuin's other cells and a total). So a cell is shown only
    where it is the sum of cells that are shown anyway.

    The proeftuinen's own cells come from the per-proeftuin figure this one adds up (header
    'delen'), protected as shown; without one, from this query run for each proeftuin alone,
    protected as a table of proeftuinen with the programme and tranche totals.
    """
    rules = indicator.protection
    value_columns = set(rules.counts) | {v for v, _, _ in rules.ratios}
    if rules.parts:
        parts, _ = _protected(con, snapshot, registry.get(rules.parts), replace(f, proeftuinen=()), threshold)
    else:
        runs = []
        for code in reference.proeftuin_codes():
            one = registry.run(con, indicator, replace(f, proeftuinen=(code,)).parameters())
            runs.append(one.assign(proeftuin=code))
        stack = pd.concat(runs, ignore_index=True)
        dims = tuple(c for c in raw.columns if c not in value_columns and c not in ("tranche", "proeftuinen"))
        parts, _ = protection.protect(stack, protection.Rules(rules.counts, rules.ratios, (dims, dims + ("tranche",))),
                                      threshold)
    parts = parts[parts["proeftuin"].isin(f.proeftuinen)]
    if "tranche" in raw.columns and "tranche" not in parts.columns:
        tranche = {p.code: p.tranche for p in reference.proeftuinen()}
        parts = parts.assign(tranche=parts["proeftuin"].map(tranche))
    keys = [c for c in raw.columns if c not in value_columns and c in parts.columns and c != "proeftuinen"]
    mark = protection.marker(threshold)
    mask = pd.DataFrame(False, index=raw.index, columns=raw.columns)
    for col in rules.exact_counts:  # a rounded count gives nothing exact back by subtraction
        if col not in parts.columns:
            mask[col] = True  # nothing to check it against: hide rather than guess
            continue
        flagged = parts.assign(_h=parts[col].astype(object) == mark).groupby(keys)["_h"].any()
        flagged = flagged[flagged]
        if flagged.empty:
            continue
        hit = raw[keys].apply(tuple, axis=1) if len(keys) > 1 else raw[keys[0]]
        wanted = set(flagged.index)
        mask[col] = hit.map(lambda k: k in wanted).astype(bool)
    return mask


def snapshot_info(data_dir=None) -> SnapshotInfo:
    """Peildatum of the data, the latest delivery date, whether demo data is loaded, the quarters
    (cached per snapshot, like the figure data)."""
    con, snapshot = _connection_and_snapshot(data_dir)
    info = _cached((snapshot, "snapshot_info"), lambda: _snapshot_info(con))
    return replace(info, kwartalen=list(info.kwartalen))


def _snapshot_info(con) -> SnapshotInfo:
    con = con.cursor()
    try:
        peil, laatste, demo = con.execute(
            """SELECT (SELECT max(peildatum) FROM actuele_leveringen WHERE soort = 'casussen'),
                      (SELECT max(ontvangen) FROM leveringen),
                      coalesce((SELECT bool_or(l.demo) FROM actuele_leveringen a
                                JOIN leveringen l USING (levering_id) WHERE a.soort = 'casussen'), false)"""
        ).fetchall()[0]
        kwartalen = [r[0] for r in con.execute(
            "SELECT DISTINCT kwartaal FROM proeftuin_kwartalen ORDER BY kwartaal").fetchall()]
    finally:
        con.close()
    return SnapshotInfo(peildatum=peil, laatste_ontvangst=laatste, demo=bool(demo), kwartalen=kwartalen)


def error_report(levering_id: int, data_dir=None) -> tuple[str, bytes] | None:
    """The error report of one delivery as (file name, bytes), or None when there is none to give.

    Scoped exactly like the delivery log: the delivery must be among the rows figure_data gives
    this viewer for 'leveringslog' (a proeftuin sees its own deliveries only, the steering group
    none: security.Forbidden), and it must have errors or warnings. The bytes are the report kept
    in the snapshot with that log line (table foutrapporten), unchanged; the name is
    'foutrapport_<levering_id>_<name of the delivered file>.csv'.
    """
    if isinstance(levering_id, bool):
        return None
    try:
        levering_id = int(levering_id)
    except (TypeError, ValueError):
        return None
    log = figure_data("leveringslog", data_dir=data_dir).df
    rows = log[log["levering_id"] == levering_id].to_dict("records")
    if not rows or not (rows[0]["aantal_fouten"] or rows[0]["aantal_waarschuwingen"]):
        return None
    proeftuin = rows[0]["proeftuin"]
    check_delivery_access(proeftuin if isinstance(proeftuin, str) else None)
    cur = connection(data_dir).cursor()
    try:
        found = cur.execute("SELECT rapport FROM foutrapporten WHERE levering_id = ?", [levering_id]).fetchall()
    finally:
        cur.close()
    if not found:
        return None
    stem = Path(str(rows[0]["bestandsnaam"] or "")).stem
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "levering"
    return f"foutrapport_{levering_id}_{safe}.csv", bytes(found[0][0])
