"""Small-number protection (statistical disclosure control) of figure data.

Each query says in its header which columns are counts of cases (``aantallen``), which values
rest on a base count (``verhoudingen``: ``waarde:teller/noemer`` or ``mediaan:/aantal``) and
which groups of rows add up to a total that is shown elsewhere (``groepen``: ``tranche+kwartaal;
proeftuin``). From that:

1. primary suppression: a count of cases below the threshold, other than 0, becomes ``<5``;
2. a value on a base below the threshold, or whose teller is hidden, is removed; a teller is
   hidden too when its complement (noemer - teller) is a small non-zero number;
3. complementary suppression: in a group with exactly one hidden cell of a count column, the
   next smallest non-zero cell is hidden as well, repeated until no group has a single hidden
   cell. Those cells are marked ``<5`` too (the note says so), as the issue asks one marker;
4. rounding (``afronden``): running and cumulative counts (stocks) and counts added up over a
   chosen period are shown rounded to a multiple of the threshold (``7 -> 5``, ``8 -> 10``), as
   CBS does. Two of them (two quarters, two periods, lopend against cumulatief) differ by the
   flows in between, which are small cells themselves; rounded, the difference gives nothing
   exact back. Counts per quarter (instroom, uitstroom) stay exact, with steps 1 to 3.

Two rules live in dashboard.figuredata because they need other queries: an aggregate over a
hand-picked selection of proeftuinen shows a cell only where every selected proeftuin's own
cell is shown (``delen``), and figures whose rows are quarters (``periode: rijen``) are
protected over all quarters before the period is selected, so that two periods never hide
different cells of the same quarter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import reference, settings

DEFAULT_THRESHOLD = int(settings.BY_NAME["MONITOR_SMALL_CELL_THRESHOLD"].default)
NOTE = ("Kleine aantallen (1 t/m {m}) en de cellen waaruit ze terug te rekenen zijn, zijn afgeschermd als <{t}; "
        "{afgerond}percentages en medianen op minder dan {t} casussen zijn weggelaten.")
ROUNDED_NOTE = "lopende en opgetelde aantallen zijn afgerond op {t}; "


def configured_threshold() -> int:
    """MONITOR_SMALL_CELL_THRESHOLD (default 5; 0 switches protection off; raises SettingError)."""
    return settings.value("MONITOR_SMALL_CELL_THRESHOLD")


@dataclass(frozen=True)
class Rules:
    counts: tuple[str, ...] = ()
    ratios: tuple[tuple[str, str, str], ...] = ()  # (value column, teller column or '', base column)
    groups: tuple[tuple[str, ...], ...] = ()
    rounded: tuple[str, ...] = ()  # 'afronden': counts shown rounded to a multiple of the threshold
    # 'gemiddelden: g=som/aantal': averages recomputed from the shown (rounded) sum, so that the
    # average does not give the exact sum back: ((g, som, aantal), ...)
    averages: tuple[tuple[str, str, str], ...] = ()
    parts: str = ""  # 'delen': the per-proeftuin figure this aggregate adds up
    period_rows: bool = False  # 'periode: rijen': the period only selects rows (quarters)

    @classmethod
    def from_header(cls, header: dict[str, str]) -> Rules:
        def listed(key: str) -> list[str]:
            return [c.strip() for c in header.get(key, "").split(",") if c.strip()]

        def fractions(key: str, sep: str) -> list[tuple[str, str, str]]:
            """'v<sep>a/b, ...' as [(v, a, b), ...]."""
            out = []
            for item in listed(key):
                value, _, fraction = item.partition(sep)
                top, _, bottom = fraction.partition("/")
                out.append((value.strip(), top.strip(), bottom.strip()))
            return out

        counts = tuple(listed("aantallen"))
        groups = tuple(tuple(c.strip() for c in g.split("+") if c.strip())
                       for g in header.get("groepen", "").split(";") if g.strip())
        rounded = tuple(listed("afronden"))
        if any(c not in counts for c in rounded):
            raise ValueError("afronden: alleen kolommen die ook onder aantallen staan")
        periode = header.get("periode", "").strip()
        if periode not in ("", "rijen"):
            raise ValueError(f"periode '{periode}': alleen 'rijen' is bekend")
        averages = fractions("gemiddelden", "=")
        if any(not (value and total in rounded and n) for value, total, n in averages):
            raise ValueError("gemiddelden: schrijf g=som/aantal met som onder afronden")
        return cls(counts, tuple(fractions("verhoudingen", ":")), groups, rounded, tuple(averages),
                   header.get("delen", "").strip(), periode == "rijen")

    @property
    def active(self) -> bool:
        return bool(self.counts or self.ratios)

    @property
    def exact_counts(self) -> tuple[str, ...]:
        return tuple(c for c in self.counts if c not in self.rounded)


def marker(threshold: int) -> str:
    return f"<{threshold}"


def note(threshold: int, rounded: bool = False) -> str:
    afgerond = ROUNDED_NOTE.format(t=threshold) if rounded else ""
    return NOTE.format(m=threshold - 1, t=threshold, afgerond=afgerond)


def protect(df: pd.DataFrame, rules: Rules, threshold: int,
            pre_hidden: pd.DataFrame | None = None) -> tuple[pd.DataFrame, bool]:
    """The protected copy of ``df`` and whether any cell was hidden.

    ``pre_hidden``: cells (same index and columns as ``df``) to hide whatever their value, for
    rules decided elsewhere (dashboard.figuredata: aggregates over a selection).

    The hidden cells are kept as one numpy mask per column: a page protects a dozen small tables
    on a cold view, and pandas' per-operation overhead made that a fifth of the page's time.
    """
    if threshold <= 0 or not rules.active or df.empty:
        return df, False
    out = df.copy()
    hidden = {c: np.zeros(len(out), dtype=bool) for c in out.columns}
    numbers: dict[str, np.ndarray] = {}

    def number(col: str) -> np.ndarray:
        # float, so that a missing count compares as False instead of pd.NA
        if col not in numbers:
            numbers[col] = pd.to_numeric(out[col], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        return numbers[col]

    for col in rules.counts:
        v = number(col)
        hidden[col] |= (v > 0) & (v < threshold)
    for value, teller, base in rules.ratios:
        if teller:
            complement = number(base) - number(teller)
            hidden[teller] |= (complement > 0) & (complement < threshold)
    if pre_hidden is not None:
        pre = pre_hidden.reindex(index=out.index, columns=out.columns, fill_value=False).astype(bool)
        for col in out.columns:
            hidden[col] |= pre[col].to_numpy(dtype=bool)
    _complementary(out, hidden, rules, threshold)
    for value, teller, base in rules.ratios:
        drop = (number(base) < threshold) | hidden[base]
        if teller:
            drop |= hidden[teller]
        hidden[value] |= drop

    applied = any(mask.any() for mask in hidden.values())
    for col in rules.rounded:  # hidden cells are overwritten with the marker below
        if pd.api.types.is_integer_dtype(out[col]) and not out[col].isna().any():
            out[col] = (out[col] + threshold // 2) // threshold * threshold
            continue
        shown = ~hidden[col] & out[col].notna().to_numpy(dtype=bool)
        if shown.any():
            cells = out[col].to_numpy(dtype=object, copy=True)
            cells[shown] = [round_to(int(v), threshold) for v in cells[shown]]
            out[col] = pd.Series(cells, index=out.index, dtype=object)
    for value, total, n in rules.averages:
        out[value] = [average(t, k) if not h else None
                      for t, k, h in zip(out[total], out[n], hidden[total] | hidden[value])]
    ratio_columns = {v for v, _, _ in rules.ratios}
    for col in out.columns:
        if not hidden[col].any():
            continue
        cells = out[col].to_numpy(dtype=object, copy=True)
        cells[hidden[col]] = None if col in ratio_columns else marker(threshold)
        out[col] = pd.Series(cells, index=out.index, dtype=object)  # not inferred: pandas would make '<5's a str column
    return out, applied


def _group_keys(df: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series | None:
    parts = []
    for c in columns:
        if c in df.columns:
            parts.append(df[c].astype(str).tolist())
        elif c == "tranche" and "proeftuin" in df.columns:
            tranche = {p.code: str(p.tranche) for p in reference.proeftuinen()}
            parts.append([tranche.get(v, "") for v in df["proeftuin"].tolist()])
        else:
            return None
    return pd.Series(_joined(parts), index=df.index)


def _joined(parts: list[list]) -> list[str | None]:
    """Row keys: the parts joined by a unit separator, None where a part is missing. In Python:
    pandas' string additions were most of the protection of a small table."""
    return ["\x1f".join(key) if all(isinstance(v, str) for v in key) else None for key in zip(*parts)]


def round_to(value: int, base: int) -> int:
    """To the nearest multiple of `base`, a half up: 7 -> 5, 8 -> 10, 12 -> 10, 13 -> 15 (base 5)."""
    return (value + base // 2) // base * base if base > 1 else value


def average(total: Any, n: Any) -> float | None:
    """total / n to one decimal, a half away from zero (exact, in integers), None without a number."""
    try:
        total, n = int(total), int(n)
    except (TypeError, ValueError):
        return None
    if n <= 0:
        return None
    tenths = (20 * abs(total) + n) // (2 * n)
    return (tenths if total >= 0 else -tenths) / 10


def _identity(df: pd.DataFrame, rules: Rules) -> pd.Series:
    """A sortable name for each row from its non-value columns, in column-name order."""
    values = set(rules.counts) | {v for v, _, _ in rules.ratios}
    columns = sorted(c for c in df.columns if c not in values)
    if not columns:
        return pd.Series(df.index.astype(str), index=df.index)
    return pd.Series(_joined([df[c].astype(str).tolist() for c in columns]), index=df.index)


def _complementary(df: pd.DataFrame, hidden: dict[str, np.ndarray], rules: Rules, threshold: int) -> bool:
    """Hide the next smallest cell wherever a group has exactly one hidden cell; whether any was.

    Column by column (a column's hidden cells do not depend on another's), in numpy: groups
    partition the rows, so hiding a cell only changes its own group's count. `hidden`: a mask
    per column, changed in place.
    """
    counts = [c for c in rules.counts if hidden[c].any()]
    if not counts:
        return False
    groups = []
    for group in rules.groups:
        keys = _group_keys(df, group)
        if keys is None:
            continue
        codes, uniques = pd.factorize(keys)
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
        groups.append((codes, [order[bounds[i]:bounds[i + 1]] for i in range(len(uniques))]))
    if not groups:
        return False
    # Ties go to the same cell whatever the row order: two figures with the same cells (in
    # another order) must hide the same ones.
    rank = _identity(df, rules).to_numpy().argsort(kind="stable").argsort(kind="stable")
    any_change = False
    for col in counts:
        h = hidden[col]
        values = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype="float64")
        changed = True
        while changed:
            changed = False
            for codes, members in groups:
                per_group = np.bincount(codes, weights=h, minlength=len(members))
                for gid in np.flatnonzero(per_group == 1):
                    idx = members[gid]
                    open_idx = idx[~h[idx]]
                    open_values = values[open_idx]
                    # Prefer a non-zero cell; a zero is hidden only when nothing else can be.
                    positive = open_values > 0
                    candidates = open_idx[positive] if positive.any() else open_idx[~np.isnan(open_values)]
                    if not len(candidates):
                        continue
                    smallest = candidates[values[candidates] == values[candidates].min()]
                    h[smallest[np.argmin(rank[smallest])]] = True
                    changed = any_change = True
    return any_change
