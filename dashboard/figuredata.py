"""The one path all figure data takes: registry query -> result -> figure, card or CSV.

Pages, the download buttons and the ``export`` CLI all call :func:`figure_data`, so whatever is
added here later (small-number protection, role checks) applies to every output at once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import contract, protection, reference, registry
from .security import Viewer, check_delivery_access, current_viewer, data_scope
from .store import Reader, Store


class FilterError(ValueError):
    """A filter value that is not a known code; the message is Dutch."""


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
        return protection.note(self.threshold) if self.threshold else ""


@dataclass
class SnapshotInfo:
    peildatum: dt.date | None
    laatste_ontvangst: dt.date | None
    demo: bool
    kwartalen: list[str] = field(default_factory=list)


_readers: dict[Path, Reader] = {}


def _reader(data_dir: Path | str | None) -> Reader:
    store = Store(data_dir)
    key = store.root.resolve()
    if key not in _readers:
        _readers[key] = Reader(store)
    return _readers[key]


class NoData(Exception):
    """The store has no snapshot yet."""


def connection(data_dir=None):
    con = _reader(data_dir).connection()
    if con is None:
        raise NoData("er zijn nog geen gegevens ingelezen")
    return con


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
    params = checked.parameters()
    threshold = threshold_for(always_protect or scope.always_protect) if indicator.protection.active else 0
    # Complementary suppression must see every proeftuin of a group, not only the selected
    # ones: otherwise a hidden cell could be computed from a total and another view.
    select_after = bool(threshold and indicator.protection.groups and checked.proeftuinen)
    con = connection(data_dir)
    raw = registry.run(con, indicator, {**params, "proeftuinen": []} if select_after else params)
    if select_after and "proeftuin" not in raw.columns:
        # An aggregate over the selected proeftuinen cannot be narrowed afterwards.
        select_after = False
        raw = registry.run(con, indicator, params)
    df, hidden = protection.protect(raw, indicator.protection, threshold)
    if select_after:
        df = df[df["proeftuin"].isin(checked.proeftuinen)].reset_index(drop=True)
    df = scope.rows(df)
    return FigureData(indicator=indicator, filters=checked, df=df, threshold=threshold, protected=hidden)


def snapshot_info(data_dir=None) -> SnapshotInfo:
    """Peildatum of the data, the latest delivery date, whether demo data is loaded, the quarters."""
    con = connection(data_dir).cursor()
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
    none: security.Forbidden). The bytes are the stored rapporten/<levering_id>.csv, unchanged;
    the name is 'foutrapport_<levering_id>_<name of the delivered file>.csv'.
    """
    if isinstance(levering_id, bool):
        return None
    try:
        levering_id = int(levering_id)
    except (TypeError, ValueError):
        return None
    log = figure_data("leveringslog", data_dir=data_dir).df
    rows = log[log["levering_id"] == levering_id].to_dict("records")
    if not rows:
        return None
    proeftuin = rows[0]["proeftuin"]
    check_delivery_access(proeftuin if isinstance(proeftuin, str) else None)
    path = Store(data_dir).reports_dir / f"{levering_id}.csv"
    if not path.is_file():
        return None
    stem = Path(str(rows[0]["bestandsnaam"] or "")).stem
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "levering"
    return f"foutrapport_{levering_id}_{safe}.csv", path.read_bytes()
