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
   cell. Those cells are marked ``<5`` too (the note says so), as the issue asks one marker.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from . import reference

DEFAULT_THRESHOLD = 5
NOTE = ("Kleine aantallen (1 t/m {m}) en de cellen waaruit ze terug te rekenen zijn, zijn afgeschermd als <{t}; "
        "percentages en medianen op minder dan {t} casussen zijn weggelaten.")


def configured_threshold() -> int:
    """MONITOR_SMALL_CELL_THRESHOLD (default 5; 0 switches protection off)."""
    value = os.environ.get("MONITOR_SMALL_CELL_THRESHOLD", "").strip()
    if not value:
        return DEFAULT_THRESHOLD
    try:
        n = int(value)
    except ValueError:
        raise ValueError(f"MONITOR_SMALL_CELL_THRESHOLD '{value}' is geen geheel getal") from None
    if n < 0:
        raise ValueError("MONITOR_SMALL_CELL_THRESHOLD mag niet negatief zijn")
    return n


@dataclass(frozen=True)
class Rules:
    counts: tuple[str, ...] = ()
    ratios: tuple[tuple[str, str, str], ...] = ()  # (value column, teller column or '', base column)
    groups: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def from_header(cls, header: dict[str, str]) -> Rules:
        counts = tuple(c.strip() for c in header.get("aantallen", "").split(",") if c.strip())
        ratios = []
        for item in header.get("verhoudingen", "").split(","):
            if not item.strip():
                continue
            value, _, fraction = item.partition(":")
            teller, _, base = fraction.partition("/")
            ratios.append((value.strip(), teller.strip(), base.strip()))
        groups = tuple(tuple(c.strip() for c in g.split("+") if c.strip())
                       for g in header.get("groepen", "").split(";") if g.strip())
        return cls(counts, tuple(ratios), groups)

    @property
    def active(self) -> bool:
        return bool(self.counts or self.ratios)


def marker(threshold: int) -> str:
    return f"<{threshold}"


def note(threshold: int) -> str:
    return NOTE.format(m=threshold - 1, t=threshold)


def protect(df: pd.DataFrame, rules: Rules, threshold: int) -> tuple[pd.DataFrame, bool]:
    """The protected copy of ``df`` and whether any cell was hidden."""
    if threshold <= 0 or not rules.active or df.empty:
        return df, False
    out = df.copy()
    hidden = pd.DataFrame(False, index=out.index, columns=out.columns)

    def number(col: str) -> pd.Series:
        # float, so that a missing count compares as False instead of pd.NA
        return pd.to_numeric(out[col], errors="coerce").astype("float64")

    for col in rules.counts:
        v = number(col)
        hidden[col] |= (v > 0) & (v < threshold)
    for value, teller, base in rules.ratios:
        if teller:
            complement = number(base) - number(teller)
            hidden[teller] |= (complement > 0) & (complement < threshold)
    _complementary(out, hidden, rules, threshold)
    for value, teller, base in rules.ratios:
        drop = (number(base) < threshold) | hidden[base]
        if teller:
            drop |= hidden[teller]
        hidden[value] |= drop.fillna(False)

    applied = bool(hidden.to_numpy().any())
    ratio_columns = {v for v, _, _ in rules.ratios}
    for col in out.columns:
        if not hidden[col].any():
            continue
        out[col] = out[col].astype(object)
        if col in ratio_columns:
            out.loc[hidden[col], col] = None
        else:
            out.loc[hidden[col], col] = marker(threshold)
    return out, applied


def _group_keys(df: pd.DataFrame, columns: tuple[str, ...]) -> pd.Series | None:
    parts = []
    for c in columns:
        if c in df.columns:
            parts.append(df[c].astype(str))
        elif c == "tranche" and "proeftuin" in df.columns:
            tranche = {p.code: str(p.tranche) for p in reference.proeftuinen()}
            parts.append(df["proeftuin"].map(tranche).fillna(""))
        else:
            return None
    key = parts[0]
    for p in parts[1:]:
        key = key + "\x1f" + p
    return key


def _complementary(df: pd.DataFrame, hidden: pd.DataFrame, rules: Rules, threshold: int) -> None:
    """Hide the next smallest cell wherever a group has exactly one hidden cell."""
    changed = True
    while changed:
        changed = False
        for group in rules.groups:
            keys = _group_keys(df, group)
            if keys is None:
                continue
            for col in rules.counts:
                values = pd.to_numeric(df[col], errors="coerce")
                # Groups partition the rows, so a group's count of hidden cells only changes by
                # its own step below: look only at groups that have exactly one (speed).
                single = hidden[col].groupby(keys).sum()
                single = set(single.index[single == 1])
                for key, idx in keys.groupby(keys).groups.items():
                    if key not in single:
                        continue
                    h = hidden.loc[idx, col]
                    if h.sum() != 1:
                        continue
                    open_cells = values.loc[idx][~h]
                    # Prefer a non-zero cell; a zero is hidden only when nothing else can be.
                    candidates = open_cells[open_cells > 0] if (open_cells > 0).any() else open_cells.dropna()
                    if candidates.empty:
                        continue
                    hidden.loc[candidates.idxmin(), col] = True
                    changed = True
