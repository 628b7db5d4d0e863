"""Checks on the reference data in data/reference/, compiled by hand from the factsheet."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"

COLUMNS = {
    "proeftuinen.csv": ["code", "naam", "titel", "tranche", "start_datum", "start_precisie", "start_toelichting"],
    "werkgebieden.csv": [
        "proeftuin", "werkgebied", "start_datum", "start_precisie", "stop_datum", "stop_precisie", "toelichting",
    ],
    "themas.csv": ["code", "label", "soort"],
    "thema_toewijzing.csv": ["proeftuin", "thema", "bron"],
    "leefgebieden.csv": ["code", "label"],
    "rvt_eisen.csv": ["code", "label", "organisatie", "rol", "toelichting", "verplicht"],
}

TRANCHE_1 = {"amsterdam-amstelland", "foodvalley", "rotterdam-rijnmond", "utrecht", "zeeland", "west-brabant-west"}
TRANCHE_2 = {"gelderland-zuid", "flevoland", "hart-van-brabant", "zaanstreek-waterland", "friesland"}

PRECISIONS = {"dag", "maand", "kwartaal", "jaar"}
ORGANISATIES = {
    "raad_kinderbescherming", "veilig_thuis", "gecertificeerde_instelling", "lokaal_team", "vrouwenopvang", "ggz",
    "verslavingszorg", "jeugdreclassering", "jeugdhulp", "gemeente", "politie", "overig",
}
ROLLEN = {
    "gezinsprofessional", "gedragswetenschapper", "jurist", "vertrouwensarts", "spv", "ervaringsdeskundige",
    "teamleider", "overig",
}

# People named in the factsheet (project leaders and the Leidraad's contacts), collected by hand.
# None of them may appear in the reference data. Single name parts are checked as whole words too,
# except "Al" (also a word prefix) and "Gooi" (a typo in the factsheet, and also a region).
PERSON_NAMES = [
    "Madelon van Vliet", "Michiel Grünwald", "Marieke Kleinjan", "Mariska van der Steege", "Janneke van Eijk",
    "Adri van Montfoort", "Quirien van der Zijden", "Ingrid van Gool", "Ingrid van Gooi", "Channa Al",
    "Astrid Vreugdenhil", "Madieke Wiegersma", "Nadieh Pennings", "Marco de Bont", "Marieke Wijdeven",
    "Kitty van Julsingha", "Inge Zouteriks",
]
NAME_PARTS = sorted(
    {part for name in PERSON_NAMES for part in name.split() if len(part) > 3 and part not in {"van", "der", "Gooi"}}
    | {"Grunwald", "Inge", "Adri", "Bont"}
)


def rows(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def header(name: str) -> list[str]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def check_date(value: str, precision: str) -> dt.date | None:
    """Parse an ISO date with its precision; both empty means unknown."""
    if value == "" and precision == "":
        return None
    assert precision in PRECISIONS, (value, precision)
    d = dt.date.fromisoformat(value)
    if precision in {"maand", "kwartaal", "jaar"}:
        assert d.day == 1, (value, precision)
    if precision == "kwartaal":
        assert d.month in {1, 4, 7, 10}, (value, precision)
    if precision == "jaar":
        assert d.month == 1, (value, precision)
    return d


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_columns(name):
    assert header(name) == COLUMNS[name]
    for r in rows(name):
        assert None not in r and all(v is not None for v in r.values()), (name, r)


def test_proeftuinen_codes_and_tranches():
    ps = rows("proeftuinen.csv")
    assert len(ps) == 11
    assert {p["code"] for p in ps if p["tranche"] == "1"} == TRANCHE_1
    assert {p["code"] for p in ps if p["tranche"] == "2"} == TRANCHE_2
    assert all(p["naam"] and p["start_toelichting"] for p in ps)


def test_proeftuin_start_dates():
    starts = {p["code"]: (check_date(p["start_datum"], p["start_precisie"]), p["start_precisie"])
              for p in rows("proeftuinen.csv")}
    assert all(d is not None for d, _ in starts.values())
    for code in TRANCHE_1:
        assert starts[code] == (dt.date(2021, 10, 1), "kwartaal")
    assert starts["flevoland"] == (dt.date(2022, 11, 1), "dag")
    assert starts["friesland"] == (dt.date(2023, 1, 10), "dag")
    for code in TRANCHE_2:
        assert dt.date(2022, 10, 1) <= starts[code][0] <= dt.date(2023, 1, 31)


def test_werkgebieden_dates_and_references():
    codes = {p["code"] for p in rows("proeftuinen.csv")}
    seen = set()
    for w in rows("werkgebieden.csv"):
        assert w["proeftuin"] in codes
        assert w["werkgebied"] and w["toelichting"]
        start = check_date(w["start_datum"], w["start_precisie"])
        stop = check_date(w["stop_datum"], w["stop_precisie"])
        if start and stop:
            assert start <= stop
        seen.add(w["proeftuin"])
    assert seen == codes, "every proeftuin has at least one werkgebied"


def werkgebied(proeftuin: str, naam: str) -> dict[str, str]:
    matches = [w for w in rows("werkgebieden.csv") if w["proeftuin"] == proeftuin and w["werkgebied"] == naam]
    assert len(matches) == 1, (proeftuin, naam)
    return matches[0]


def test_zeeland_stopped_and_restarted():
    zeeland = [w for w in rows("werkgebieden.csv") if w["proeftuin"] == "zeeland"]
    stopped = [w for w in zeeland if w["stop_datum"]]
    assert stopped
    stop = max(dt.date.fromisoformat(w["stop_datum"]) for w in stopped)
    restarts = [w for w in zeeland if not w["stop_datum"] and w["start_datum"]
                and dt.date.fromisoformat(w["start_datum"]) > stop]
    assert restarts
    assert werkgebied("zeeland", "Hulst") in restarts


def test_known_site_starts():
    assert werkgebied("flevoland", "Dronten")["start_datum"] == "2022-11-01"
    assert werkgebied("flevoland", "Dronten")["start_precisie"] == "dag"
    assert werkgebied("friesland", "Heerenveen")["start_datum"] == "2023-01-10"
    assert werkgebied("friesland", "Heerenveen")["start_precisie"] == "dag"
    assert werkgebied("amsterdam-amstelland", "Amsterdam Nieuw-West")["start_datum"] == "2024-04-01"


def test_themas():
    ts = rows("themas.csv")
    codes = [t["code"] for t in ts]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", c) for c in codes)
    assert all(t["label"] and t["soort"] in {"algemeen", "specifiek"} for t in ts)
    assert sum(t["soort"] == "algemeen" for t in ts) == 6


def test_thema_toewijzing_references():
    proeftuinen = {p["code"] for p in rows("proeftuinen.csv")}
    themas = {t["code"] for t in rows("themas.csv")}
    ts = rows("thema_toewijzing.csv")
    keys = [(t["proeftuin"], t["thema"], t["bron"]) for t in ts]
    assert len(keys) == len(set(keys))
    for t in ts:
        assert t["proeftuin"] in proeftuinen
        assert t["thema"] in themas
        assert t["bron"] in {"specifieke opdracht", "themamatrix 2023"}
    with_opdracht = {t["proeftuin"] for t in ts if t["bron"] == "specifieke opdracht"}
    assert with_opdracht == proeftuinen


def test_leefgebieden():
    assert [r["code"] for r in rows("leefgebieden.csv")] == ["financien", "wonen", "zorg", "gezin", "werk"]


def test_rvt_eisen():
    eisen = {r["code"]: r for r in rows("rvt_eisen.csv")}
    assert set(eisen) == {"rvdk", "vt", "gi", "jurist", "gedragswetenschapper", "vertrouwensarts",
                          "ervaringsdeskundige"}
    for r in eisen.values():
        assert r["organisatie"] or r["rol"]
        assert r["organisatie"] in ORGANISATIES | {""}
        assert r["rol"] in ROLLEN | {""}
        assert r["verplicht"] in {"ja", "waar_mogelijk"}
    assert eisen["rvdk"]["organisatie"] == "raad_kinderbescherming"
    assert eisen["vt"]["organisatie"] == "veilig_thuis"
    assert eisen["gi"]["organisatie"] == "gecertificeerde_instelling"
    assert eisen["vertrouwensarts"]["verplicht"] == "waar_mogelijk"
    assert eisen["ervaringsdeskundige"]["rol"] == "ervaringsdeskundige"


def test_no_personal_data():
    files = sorted(p for p in REFERENCE_DIR.rglob("*") if p.is_file())
    assert files
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, NAME_PARTS)) + r")\b", re.IGNORECASE)
    phone = re.compile(r"\b0\d[- ]{0,2}\d{6,8}\b")
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "@" not in text, path
        assert "mailto" not in text.lower(), path
        assert not phone.search(text), path
        for name in PERSON_NAMES:
            assert name.lower() not in text.lower(), (path, name)
        found = pattern.search(text)
        assert not found, (path, found and found.group(0))
