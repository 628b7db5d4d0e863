"""The indicator registry: one SQL file per figure or KPI in ``queries/``, discovered at start.

A file starts with ``-- key: value`` header lines (id, titel, definitie, eenheid, and optionally
teller, noemer, bron, soort, and the small-number rules aantallen, verhoudingen, groepen: see
dashboard/protection.py). Parameters are bound by name (``$tranche``, ``$proeftuinen``,
``$van``, ``$tot``); each query gets exactly the parameters it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from . import config
from .errors import RegistryError
from .protection import Rules

QUERIES_DIR = config.PROJECT_DIR / "queries"
REQUIRED_KEYS = ("id", "titel", "definitie", "eenheid")
PARAMETERS = ("tranche", "proeftuinen", "van", "tot")
_HEADER_RE = re.compile(r"^--\s*([a-z_]+)\s*:\s*(.*?)\s*$")
_PARAM_RE = re.compile(r"\$([a-z_]+)\b")


@dataclass(frozen=True)
class Indicator:
    id: str
    titel: str
    definitie: str
    eenheid: str
    teller: str
    noemer: str
    bron: str
    soort: str  # figuur | kpi | tabel
    sql: str
    path: Path
    parameters: tuple[str, ...]
    protection: Rules


def parse_file(path: Path) -> Indicator:
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        m = _HEADER_RE.match(line)
        if not m:
            if line.strip() and not line.startswith("--"):
                break
            continue
        key, value = m.groups()
        header[key] = (header[key] + " " + value) if key in header else value
    missing = [k for k in REQUIRED_KEYS if not header.get(k)]
    if missing:
        raise RegistryError(f"{path.name}: kop mist {', '.join(missing)}")
    if header["id"] != path.stem:
        raise RegistryError(f"{path.name}: id '{header['id']}' moet gelijk zijn aan de bestandsnaam")
    params = tuple(dict.fromkeys(_PARAM_RE.findall(text)))
    unknown = [p for p in params if p not in PARAMETERS]
    if unknown:
        raise RegistryError(f"{path.name}: onbekende parameters {', '.join(unknown)}")
    return Indicator(
        id=header["id"], titel=header["titel"], definitie=header["definitie"], eenheid=header["eenheid"],
        teller=header.get("teller", ""), noemer=header.get("noemer", ""), bron=header.get("bron", ""),
        soort=header.get("soort", "figuur"), sql=text, path=path, parameters=params,
        protection=Rules.from_header(header),
    )


@cache
def load_registry(directory: Path = QUERIES_DIR) -> dict[str, Indicator]:
    """All indicators by id, in file-name order."""
    return {ind.id: ind for ind in (parse_file(p) for p in sorted(Path(directory).glob("*.sql")))}


def get(indicator_id: str) -> Indicator:
    try:
        return load_registry()[indicator_id]
    except KeyError:
        raise RegistryError(f"onbekende figuur '{indicator_id}'") from None


def run(con: duckdb.DuckDBPyConnection, indicator: Indicator, values: dict) -> pd.DataFrame:
    """Execute the indicator's query with its parameters bound; never formatted into the SQL."""
    params = {name: values.get(name) for name in indicator.parameters}
    if "proeftuinen" in params:
        params["proeftuinen"] = list(params["proeftuinen"] or [])
    cur = con.cursor()
    try:
        return cur.execute(indicator.sql, params).df()
    finally:
        cur.close()
