"""Reference data compiled from the programme's factsheet (data/reference/*.csv)."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"

# file name -> snapshot table name
REFERENCE_TABLES = {
    "proeftuinen.csv": "ref_proeftuinen",
    "werkgebieden.csv": "ref_werkgebieden",
    "themas.csv": "ref_themas",
    "thema_toewijzing.csv": "ref_thema_toewijzing",
    "leefgebieden.csv": "ref_leefgebieden",
    "rvt_eisen.csv": "ref_rvt_eisen",
}


@dataclass(frozen=True)
class Proeftuin:
    code: str
    naam: str
    titel: str
    tranche: int
    start_datum: dt.date
    start_precisie: str
    start_toelichting: str


def read_rows(name: str) -> list[dict[str, str]]:
    """The rows of one reference CSV as dicts of strings."""
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@cache
def proeftuinen() -> tuple[Proeftuin, ...]:
    """The 11 proeftuinen, in the order of the reference file (tranche 1 first)."""
    return tuple(
        Proeftuin(
            code=r["code"],
            naam=r["naam"],
            titel=r["titel"],
            tranche=int(r["tranche"]),
            start_datum=dt.date.fromisoformat(r["start_datum"]),
            start_precisie=r["start_precisie"],
            start_toelichting=r["start_toelichting"],
        )
        for r in read_rows("proeftuinen.csv")
    )


@cache
def proeftuin_codes() -> frozenset[str]:
    return frozenset(p.code for p in proeftuinen())


@cache
def thema_codes() -> frozenset[str]:
    return frozenset(r["code"] for r in read_rows("themas.csv"))
