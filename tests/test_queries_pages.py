"""The queries behind the pages Tranches, Proeftuin, Teams, Thema's, Tijdlijn, IV-strategie and
Aanleveringen, on small real deliveries whose answers are worked out by hand.

Every expected number below is counted by hand from the fixture rows in this file or from
data/reference/*.csv (see the comment next to it), never by running the code under test.

Fixture (one store, built once per module; levering_id = order of receipt):

 id  ontvangen   file                                  status
  1  2022-01-10  zeeland_casussen_2021-Q4              afgewezen (a case registered after the peildatum)
  2  2022-05-01  zeeland_casussen_2022-Q1 (Z1)         geaccepteerd, 31 days after 2022-03-31: late
  3  2022-07-30  zeeland_casussen_2022-Q2 (Z1 Z2)      geaccepteerd, 30 days after 2022-06-30: on time; current
  4  2022-10-10  foodvalley_teamleden_2022-Q3 (old)    geaccepteerd, replaced as current by id 7
  5  2022-10-10  foodvalley_themas_2022-Q2 (old)       geaccepteerd, replaced as current by id 8
  6  2022-10-20  foodvalley_casussen_2022-Q3 (F1-F6)   geaccepteerd, 20 days: on time
  7  2023-01-10  foodvalley_teamleden_2022-Q4          geaccepteerd; current
  8  2023-01-10  foodvalley_themas_2022-Q4             geaccepteerd; current
  9  2023-01-15  foodvalley_casussen_2022-Q4           afgewezen (first version)
 10  2023-02-10  foodvalley_casussen_2022-Q4 (F1-F7)   geaccepteerd, 41 days after 2022-12-31: late; current
 11  2023-07-10  flevoland_casussen_2023-Q2 (L1 L2)    geaccepteerd, 10 days: on time
 12  2023-07-20  flevoland_casussen_2023-Q2 (L1-L3)    geaccepteerd, replaces id 11 (still one period)
 13  2023-10-05  flevoland_casussen_2023-Q3 (L1-L3)    geaccepteerd, 5 days; current
 14  2023-10-05  flevoland_teamleden_2023-Q3           geaccepteerd; current
 15  2023-10-05  flevoland_themas_2023-Q3              geaccepteerd; current
 16  2023-10-06  export.csv                            afgewezen: name without proeftuin/periode

Quarters of the current casussen deliveries (view proeftuin_kwartalen, maand_sinds_start):
  foodvalley (start 2021-10-01): 2021-Q4 2, 2022-Q1 5, 2022-Q2 8, 2022-Q3 11, 2022-Q4 14
  zeeland    (start 2021-10-01): 2021-Q4 2, 2022-Q1 5, 2022-Q2 8
  flevoland  (start 2022-11-01): 2022-Q4 1, 2023-Q1 4, 2023-Q2 7, 2023-Q3 10

Cases of the current deliveries ('' = empty; netw = netwerkdossier, inz = gezin_inzage,
wg = werkgebied, ovd = aantal_overdrachten, leef = financien wonen zorg gezin werk, vp = veiligheidsplan):

id  aanmelding  afsluiting  netw inz  wg   ovd leef            vp
F1  2021-09-15  2022-02-10  ja   nee  Ede  0   ja ja ja nee nee ''   (registered before the start quarter)
F2  2021-11-01  -           ja   ja   Ede  ''  nee '' '' '' ''  ''
F3  2021-12-31  2021-12-31  nee  ''   ''   1   ''              ''   (closed on the day it came in)
F4  2022-03-01  2022-09-30  ''   ja   ''   2   ''              ''   (closed on the last day of 2022-Q3)
F5  2022-05-15  -           nee  nee  ''   ''  ''              ja
F6  2022-08-01  -           ja   ''   ''   ''  ''              ''
F7  2022-12-31  -           ''   ''   ''   ''  ''              ''   (registered on the peildatum)
Z1  2022-02-01  -           ja   ja
Z2  2022-04-10  2022-06-01  nee  ''
L1  2022-11-20  2023-02-15  nee  nee
L2  2023-01-10  -           ja   ''
L3  2023-05-05  -           ''   nee
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard import registry
from dashboard.figuredata import Filters, figure_data
from dashboard.ingest import ingest_files
from dashboard.store import Store

PROJECT = Path(__file__).resolve().parent.parent
QUERIES = PROJECT / "queries"
REFERENCE = PROJECT / "data" / "reference"
D = dt.date

NEW_IDS = {
    "cumulatief-naar-leeftijd", "tranche-op-gelijke-leeftijd", "kpi-per-proeftuin-tranche", "werkgebieden",
    "proeftuin-profiel", "team-omvang-per-kwartaal", "leidraad-check", "thema-matrix",
    "themas-aantal-proeftuinen", "tijdlijn", "leveringen-status", "eerste-keer-geaccepteerd",
    "volledigheid-velden", "netwerkdossier-per-kwartaal", "netwerkdossier-per-tranche", "leveringslog",
}

# --- writing deliveries ---------------------------------------------------------------------

CASUS_COLUMNS = [
    "casus_id", "proeftuin", "werkgebied", "datum_aanmelding", "datum_start_hulp", "datum_afsluiting",
    "instroomroute", "aantal_minderjarigen", "aantal_volwassenen", "vaste_professional", "werkwijze",
    "aantal_overdrachten", "leefgebied_financien", "leefgebied_wonen", "leefgebied_zorg", "leefgebied_gezin",
    "leefgebied_werk", "verklarende_analyse", "veiligheidsplan", "volwassenen_ggz", "ervaringsdeskundige",
    "complexe_scheiding", "tijdelijk_huisverbod", "uithuisplaatsing", "jeugdreclassering", "netwerkdossier",
    "gezin_inzage", "kinderbeschermingsmaatregel", "uitkomst",
]
TEAM_COLUMNS = ["proeftuin", "team", "organisatie", "rol", "fte", "datum_start", "datum_einde"]
THEMA_COLUMNS = ["proeftuin", "thema", "status", "jaar"]
LEEF = ["leefgebied_financien", "leefgebied_wonen", "leefgebied_zorg", "leefgebied_gezin", "leefgebied_werk"]


def casus(casus_id: str, proeftuin: str, aanmelding: str, afsluiting: str = "", *, leef: str = "", **fields) -> dict:
    """One row as the export file holds it: text, '' for an empty field; leef e.g. 'ja ja - - nee'."""
    row = dict.fromkeys(CASUS_COLUMNS, "")
    row.update({
        "casus_id": casus_id, "proeftuin": proeftuin, "datum_aanmelding": aanmelding, "datum_afsluiting": afsluiting,
        "uitkomst": "veiligheid_hersteld" if afsluiting else "", "instroomroute": "veilig_thuis",
        "aantal_minderjarigen": "1", "aantal_volwassenen": "1", "vaste_professional": "ja", "werkwijze": "duo",
        "kinderbeschermingsmaatregel": "geen",
    })
    if leef:
        row.update(zip(LEEF, (v if v != "-" else "" for v in leef.split())))
    row.update(fields)
    return row


def write(path: Path, columns: list[str], rows: list[dict]) -> Path:
    """A ';'-separated UTF-8 CSV as a Dutch Excel writes it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([r.get(c, "") for c in columns])
    return path


def team(proeftuin, organisatie, rol, fte, start, einde=""):
    return {"proeftuin": proeftuin, "team": "RVT", "organisatie": organisatie, "rol": rol, "fte": fte,
            "datum_start": start, "datum_einde": einde}


def thema(proeftuin, code, status, jaar):
    return {"proeftuin": proeftuin, "thema": code, "status": status, "jaar": str(jaar)}


F = {
    "F1": casus("F1", "foodvalley", "2021-09-15", "2022-02-10", netwerkdossier="ja", gezin_inzage="nee",
                werkgebied="Ede", aantal_overdrachten="0", leef="ja ja ja nee nee"),
    "F2": casus("F2", "foodvalley", "2021-11-01", netwerkdossier="ja", gezin_inzage="ja", werkgebied="Ede",
                leef="nee - - - -"),
    "F3": casus("F3", "foodvalley", "2021-12-31", "2021-12-31", netwerkdossier="nee", aantal_overdrachten="1"),
    "F4": casus("F4", "foodvalley", "2022-03-01", "2022-09-30", gezin_inzage="ja", aantal_overdrachten="2"),
    "F5": casus("F5", "foodvalley", "2022-05-15", netwerkdossier="nee", gezin_inzage="nee", veiligheidsplan="ja"),
    "F6": casus("F6", "foodvalley", "2022-08-01", netwerkdossier="ja"),
    "F7": casus("F7", "foodvalley", "2022-12-31"),
}
Z = {
    "Z1": casus("Z1", "zeeland", "2022-02-01", netwerkdossier="ja", gezin_inzage="ja"),
    "Z2": casus("Z2", "zeeland", "2022-04-10", "2022-06-01", netwerkdossier="nee"),
}
L = {
    "L1": casus("L1", "flevoland", "2022-11-20", "2023-02-15", netwerkdossier="nee", gezin_inzage="nee"),
    "L2": casus("L2", "flevoland", "2023-01-10", netwerkdossier="ja"),
    "L3": casus("L3", "flevoland", "2023-05-05", gezin_inzage="nee"),
}


def ingest(paths, store, ontvangen, accepted=True):
    result = ingest_files(paths, store, ontvangen=ontvangen)
    if accepted:
        assert result.all_accepted, [(f.path.name, f.message, f.findings[:3]) for f in result.files]
    else:
        assert [f.status for f in result.files] == ["afgewezen"] * len(paths)
    return result


@pytest.fixture(autouse=True)
def raw_numbers(monkeypatch):
    """These tests check the queries' true numbers; one test below switches protection on."""
    monkeypatch.setenv("MONITOR_SMALL_CELL_THRESHOLD", "0")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("pages")
    s = Store(tmp / "store")

    def f(folder, name, columns, rows):
        return write(tmp / folder / name, columns, rows)

    # 1: rejected, Z0 registered after the peildatum 2021-12-31
    ingest([f("a", "zeeland_casussen_2021-Q4.csv", CASUS_COLUMNS, [casus("Z0", "zeeland", "2022-01-05")])],
           s, D(2022, 1, 10), accepted=False)
    ingest([f("b", "zeeland_casussen_2022-Q1.csv", CASUS_COLUMNS, [Z["Z1"]])], s, D(2022, 5, 1))            # 2
    ingest([f("c", "zeeland_casussen_2022-Q2.csv", CASUS_COLUMNS, [Z["Z1"], Z["Z2"]])], s, D(2022, 7, 30))  # 3
    ingest([  # 4, 5: older periods, replaced as current by 7 and 8
        f("d", "foodvalley_teamleden_2022-Q3.csv", TEAM_COLUMNS, [team("foodvalley", "gemeente", "teamleider", "1",
                                                                       "2021-10-01")]),
        f("d", "foodvalley_themas_2022-Q2.csv", THEMA_COLUMNS, [thema("foodvalley", "klantroute", "lopend", 2022)]),
    ], s, D(2022, 10, 10))
    ingest([f("e", "foodvalley_casussen_2022-Q3.csv", CASUS_COLUMNS,                                          # 6
              [F[k] for k in ("F1", "F2", "F3", "F4", "F5", "F6")])], s, D(2022, 10, 20))
    ingest([
        f("f", "foodvalley_teamleden_2022-Q4.csv", TEAM_COLUMNS, [                                            # 7
            team("foodvalley", "raad_kinderbescherming", "gezinsprofessional", "0,8", "2021-10-01"),   # T1
            team("foodvalley", "veilig_thuis", "gezinsprofessional", "0,5", "2022-01-01", "2022-06-30"),  # T2
            team("foodvalley", "gecertificeerde_instelling", "jurist", "0,2", "2022-04-01"),           # T3
            team("foodvalley", "overig", "ervaringsdeskundige", "0,1", "2022-12-31"),                  # T4
            team("foodvalley", "veilig_thuis", "vertrouwensarts", "0,3", "2022-02-01", "2022-12-30"),  # T5
            team("foodvalley", "raad_kinderbescherming", "jurist", "0,4", "2022-07-01"),               # T6
        ]),
        f("f", "foodvalley_themas_2022-Q4.csv", THEMA_COLUMNS, [                                              # 8
            thema("foodvalley", "vaste_professional", "lopend", 2021),
            thema("foodvalley", "vaste_professional", "afgerond", 2022),
            thema("foodvalley", "ervaringsdeskundigheid", "gepland", 2022),
            thema("foodvalley", "netwerkdossier", "lopend", 2022),
            thema("foodvalley", "verklarende_analyse", "gepland", 2022),
            thema("foodvalley", "verklarende_analyse", "lopend", 2022),
        ]),
    ], s, D(2023, 1, 10))
    # 9: rejected first version of foodvalley 2022-Q4 (a case registered after the peildatum)
    ingest([f("g", "foodvalley_casussen_2022-Q4.csv", CASUS_COLUMNS, [casus("F9", "foodvalley", "2023-01-05")])],
           s, D(2023, 1, 15), accepted=False)
    ingest([f("h", "foodvalley_casussen_2022-Q4.csv", CASUS_COLUMNS, list(F.values()))], s, D(2023, 2, 10))  # 10
    ingest([f("i", "flevoland_casussen_2023-Q2.csv", CASUS_COLUMNS, [L["L1"], L["L2"]])], s, D(2023, 7, 10))  # 11
    ingest([f("j", "flevoland_casussen_2023-Q2.csv", CASUS_COLUMNS, list(L.values()))], s, D(2023, 7, 20))   # 12
    ingest([
        f("k", "flevoland_casussen_2023-Q3.csv", CASUS_COLUMNS, list(L.values())),                            # 13
        f("k", "flevoland_teamleden_2023-Q3.csv", TEAM_COLUMNS, [                                             # 14
            team("flevoland", "veilig_thuis", "gezinsprofessional", "1", "2023-02-01"),                # V1
            team("flevoland", "gecertificeerde_instelling", "gedragswetenschapper", "0,6", "2022-11-01"),  # V2
        ]),
        f("k", "flevoland_themas_2023-Q3.csv", THEMA_COLUMNS, [                                               # 15
            thema("flevoland", "verklarende_analyse", "lopend", 2023),
            thema("flevoland", "netwerkdossier", "gepland", 2023),
        ]),
    ], s, D(2023, 10, 5))
    ingest([f("l", "export.csv", CASUS_COLUMNS, [L["L1"]])], s, D(2023, 10, 6), accepted=False)              # 16
    return s.root


def plain(v):
    """A cell as a plain Python value: None for every kind of empty, date for a DATE column."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalar
        return v.item()
    return v


def rows(store, figure_id, **filters) -> list[tuple]:
    df = figure_data(figure_id, Filters(**filters), data_dir=store).df
    return [tuple(plain(v) for v in r) for r in df.itertuples(index=False, name=None)]


def columns(store, figure_id) -> list[str]:
    return list(figure_data(figure_id, Filters(), data_dir=store).df.columns)


# --- Tranches ---------------------------------------------------------------------------------

def test_cumulatief_naar_leeftijd(store):
    assert columns(store, "cumulatief-naar-leeftijd") == [
        "proeftuin", "tranche", "maand_sinds_start", "kwartaal", "cumulatief_aangemeld", "lopend"]
    assert rows(store, "cumulatief-naar-leeftijd") == [
        # flevoland starts 2022-11-01: month 0 = November, 2022-Q4 ends in month 1
        ("flevoland", 2, 1, "2022-Q4", 1, 1),    # L1
        ("flevoland", 2, 4, "2023-Q1", 2, 1),    # L1 L2; L1 closed 02-15
        ("flevoland", 2, 7, "2023-Q2", 3, 2),    # + L3 (05-05)
        ("flevoland", 2, 10, "2023-Q3", 3, 2),   # L2 L3
        # foodvalley starts 2021-10-01: month 0 = October, 2021-Q4 ends in month 2
        ("foodvalley", 1, 2, "2021-Q4", 3, 2),   # F1 (before the start) F2 F3; F3 closed on 12-31 itself
        ("foodvalley", 1, 5, "2022-Q1", 4, 2),   # + F4; running F2 F4 (F1 closed 02-10)
        ("foodvalley", 1, 8, "2022-Q2", 5, 3),   # + F5; running F2 F4 F5
        ("foodvalley", 1, 11, "2022-Q3", 6, 3),  # + F6; running F2 F5 F6 (F4 closed on 09-30 itself)
        ("foodvalley", 1, 14, "2022-Q4", 7, 4),  # + F7 (registered 12-31); running F2 F5 F6 F7
        ("zeeland", 1, 2, "2021-Q4", 0, 0),
        ("zeeland", 1, 5, "2022-Q1", 1, 1),      # Z1
        ("zeeland", 1, 8, "2022-Q2", 2, 1),      # Z1 Z2; Z2 closed 06-01
    ]
    # The period filter limits the quarters shown, not what counts cumulatively.
    assert rows(store, "cumulatief-naar-leeftijd", tranche=1, van="2022-Q2", tot="2022-Q3") == [
        ("foodvalley", 1, 8, "2022-Q2", 5, 3), ("foodvalley", 1, 11, "2022-Q3", 6, 3),
        ("zeeland", 1, 8, "2022-Q2", 2, 1)]


def test_tranche_op_gelijke_leeftijd(store):
    assert columns(store, "tranche-op-gelijke-leeftijd") == [
        "tranche", "leeftijd_maanden", "proeftuinen", "cumulatief_aangemeld", "lopend",
        "gemiddeld_aangemeld", "gemiddeld_lopend"]
    assert rows(store, "tranche-op-gelijke-leeftijd") == [
        # age 6: foodvalley (reaches month 14) at month 5 = 2022-Q1: 4 and 2;
        #        zeeland (reaches month 8) at month 5 = 2022-Q1: 1 and 1. Sum 5, 3; mean 2.5, 1.5
        (1, 6, 2, 5, 3, 2.5, 1.5),
        # age 12: only foodvalley (zeeland's data end at month 8), month 11 = 2022-Q3: 6 and 3
        (1, 12, 1, 6, 3, 6.0, 3.0),
        # no row for 18 and 24: nobody reached them
        # age 6: flevoland (reaches month 10) at month 4 = 2023-Q1: 2 and 1
        (2, 6, 1, 2, 1, 2.0, 1.0),
    ]
    assert rows(store, "tranche-op-gelijke-leeftijd", proeftuinen=("zeeland",)) == [(1, 6, 1, 1, 1, 1.0, 1.0)]
    # No selected proeftuin with a casussen delivery: no rows.
    assert rows(store, "tranche-op-gelijke-leeftijd", proeftuinen=("friesland",)) == []


def test_kpi_per_proeftuin_tranche_equals_kpi_per_proeftuin(store):
    assert columns(store, "kpi-per-proeftuin-tranche") == [
        "tranche", "proeftuin", "kpi", "titel", "teller", "noemer", "waarde"]
    got = rows(store, "kpi-per-proeftuin-tranche")
    # Tranche 1 first (foodvalley, zeeland), then tranche 2 (flevoland); eleven kpis each.
    assert [(t, p) for t, p, *_ in got[::11]] == [(1, "foodvalley"), (1, "zeeland"), (2, "flevoland")]
    tranche = {"foodvalley": 1, "zeeland": 1, "flevoland": 2}
    plain = rows(store, "kpi-per-proeftuin")
    assert sorted((p, k, t, n, w) for _, p, k, _, t, n, w in got) == sorted(plain)
    assert all(t == tranche[p] for t, p, *_ in got)
    nd = [r for r in got if r[1] == "foodvalley" and r[2] == "netwerkdossier"]
    # running at the peildatum: F2 ja, F5 nee, F6 ja, F7 empty -> 2 of 3
    assert nd == [(1, "foodvalley", "netwerkdossier", "Netwerkdossier (lopend)", 2, 3, 66.7)]
    assert [r[1] for r in rows(store, "kpi-per-proeftuin-tranche", tranche=2)][::11] == ["flevoland"]


def test_kpi_list_identical_in_the_tranche_query():
    lists = []
    for name in ("kpi-per-proeftuin.sql", "kpi-per-proeftuin-tranche.sql"):
        sql = (QUERIES / name).read_text(encoding="utf-8")
        m = re.search(r"kpis\(nr, kpi, titel\) AS \((.*?)\n\)", sql, re.S)
        assert m, name
        lists.append(m.group(1))
    assert lists[0] == lists[1]


# --- Proeftuin --------------------------------------------------------------------------------

def test_werkgebieden(store):
    assert columns(store, "werkgebieden") == [
        "proeftuin", "werkgebied", "start_datum", "start_precisie", "stop_datum", "stop_precisie", "toelichting"]
    got = rows(store, "werkgebieden")
    assert len(got) == 19  # the data rows of data/reference/werkgebieden.csv
    zeeland = [r[:6] for r in got if r[0] == "zeeland"]
    assert zeeland == [  # a stop and a restart: two rows
        ("zeeland", "Zeeland (eerste team)", D(2022, 4, 1), "maand", D(2022, 10, 1), "maand"),
        ("zeeland", "Hulst", D(2023, 3, 1), "maand", None, None),
    ]
    amsterdam = [r[:4] for r in got if r[0] == "amsterdam-amstelland"]
    assert amsterdam == [  # unknown starts first (alphabetically), then by date
        ("amsterdam-amstelland", "Amsterdam-Noord", None, None),
        ("amsterdam-amstelland", "Uithoorn", None, None),
        ("amsterdam-amstelland", "Amsterdam Nieuw-West", D(2024, 4, 1), "dag"),
    ]
    assert [r[1] for r in rows(store, "werkgebieden", proeftuinen=("flevoland",))] == ["Dronten", "Almere"]
    # tranche 2: flevoland 2, friesland 1, gelderland-zuid 2, hart-van-brabant 2, zaanstreek-waterland 1
    assert len(rows(store, "werkgebieden", tranche=2)) == 8


def test_proeftuin_profiel(store):
    assert columns(store, "proeftuin-profiel") == [
        "proeftuin", "naam", "titel", "tranche", "start_datum", "start_precisie", "start_toelichting"]
    got = rows(store, "proeftuin-profiel")
    assert [r[0] for r in got] == sorted(r[0] for r in got) and len(got) == 11
    flevoland = next(r for r in got if r[0] == "flevoland")
    assert flevoland[:6] == ("flevoland", "Flevoland", "Nu beter beschermen, leren voor later", 2, D(2022, 11, 1), "dag")
    assert next(r for r in got if r[0] == "west-brabant-west")[2] is None  # no motto in the factsheet
    assert [r[0] for r in rows(store, "proeftuin-profiel", tranche=2)] == [
        "flevoland", "friesland", "gelderland-zuid", "hart-van-brabant", "zaanstreek-waterland"]


# --- Teams ------------------------------------------------------------------------------------

def test_team_omvang_per_kwartaal(store):
    assert columns(store, "team-omvang-per-kwartaal") == ["proeftuin", "kwartaal", "posities", "fte"]
    assert rows(store, "team-omvang-per-kwartaal") == [
        # flevoland: the 2023-Q3 teamleden delivery; quarters 2022-Q4 (start) .. 2023-Q3 (its peildatum)
        ("flevoland", "2022-Q4", 1, 0.6),   # V2 (from 2022-11-01)
        ("flevoland", "2023-Q1", 2, 1.6),   # + V1 (from 2023-02-01)
        ("flevoland", "2023-Q2", 2, 1.6),
        ("flevoland", "2023-Q3", 2, 1.6),
        # foodvalley: the 2022-Q4 delivery; the teamleider of the older 2022-Q3 delivery never counts
        ("foodvalley", "2021-Q4", 1, 0.8),  # T1
        ("foodvalley", "2022-Q1", 3, 1.6),  # T1 0.8 + T2 0.5 + T5 0.3
        ("foodvalley", "2022-Q2", 4, 1.8),  # + T3 0.2; T2 ends on 06-30 itself: still counts
        ("foodvalley", "2022-Q3", 4, 1.7),  # T1 0.8, T3 0.2, T5 0.3, T6 0.4; T2 gone
        ("foodvalley", "2022-Q4", 4, 1.5),  # T1 0.8, T3 0.2, T4 0.1 (starts 12-31), T6 0.4; T5 ended 12-30
        # zeeland: no teamleden delivery, no rows
    ]
    assert rows(store, "team-omvang-per-kwartaal", proeftuinen=("foodvalley",), van="2022-Q2", tot="2022-Q3") == [
        ("foodvalley", "2022-Q2", 4, 1.8), ("foodvalley", "2022-Q3", 4, 1.7)]
    assert rows(store, "team-omvang-per-kwartaal", proeftuinen=("zeeland",)) == []


EISEN = ["rvdk", "vt", "gi", "jurist", "gedragswetenschapper", "vertrouwensarts", "ervaringsdeskundige"]


def test_leidraad_check(store):
    assert columns(store, "leidraad-check") == [
        "proeftuin", "eis", "label", "verplicht", "aanwezig", "posities", "peildatum"]
    got = {(r[0], r[1]): r for r in rows(store, "leidraad-check")}
    assert len(got) == 11 * 7  # every proeftuin x every requirement
    order = [r[1] for r in rows(store, "leidraad-check", proeftuinen=("foodvalley",))]
    assert order == EISEN  # the order of data/reference/rvt_eisen.csv
    # foodvalley on 2022-12-31: T1 (RvdK), T3 (GI, jurist), T4 (ervaringsdeskundige), T6 (RvdK, jurist)
    # active; T2 (VT) ended 06-30, T5 (VT vertrouwensarts) ended 12-30.
    assert [(got["foodvalley", e][4], got["foodvalley", e][5]) for e in EISEN] == [
        (True, 2), (False, 0), (True, 1), (True, 2), (False, 0), (False, 0), (True, 1)]
    assert got["foodvalley", "rvdk"][6] == D(2022, 12, 31)
    # flevoland on 2023-09-30: V1 (VT), V2 (GI, gedragswetenschapper)
    assert [(got["flevoland", e][4], got["flevoland", e][5]) for e in EISEN] == [
        (False, 0), (True, 1), (True, 1), (False, 0), (True, 1), (False, 0), (False, 0)]
    # zeeland has no teamleden delivery: nothing present, no peildatum
    assert [got["zeeland", e][4:] for e in EISEN] == [(False, 0, None)] * 7
    assert got["zeeland", "vertrouwensarts"][2:4] == ("Vertrouwensarts", "waar_mogelijk")
    assert got["zeeland", "rvdk"][3] == "ja"
    assert {r[0] for r in rows(store, "leidraad-check", tranche=2)} == {
        "flevoland", "friesland", "gelderland-zuid", "hart-van-brabant", "zaanstreek-waterland"}


# --- Thema's ----------------------------------------------------------------------------------

def reference_rows(name):
    with open(REFERENCE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_thema_matrix(store):
    assert columns(store, "thema-matrix") == ["proeftuin", "thema", "label", "soort", "status", "jaar", "toegewezen"]
    themas = reference_rows("themas.csv")
    got = rows(store, "thema-matrix")
    assert len(got) == 11 * len(themas)
    by = {(r[0], r[1]): r for r in got}
    # the order of data/reference/themas.csv within each proeftuin
    assert [r[1] for r in got if r[0] == "zeeland"] == [t["code"] for t in themas]
    # foodvalley 2022-Q4: vaste_professional lopend 2021, afgerond 2022 -> the latest year
    assert by["foodvalley", "vaste_professional"] == (
        "foodvalley", "vaste_professional", "Vast contactpersoon / duo voor kind en gezin", "specifiek",
        "afgerond", 2022, True)
    assert by["foodvalley", "ervaringsdeskundigheid"][4:] == ("gepland", 2022, True)
    assert by["foodvalley", "netwerkdossier"][4:] == ("lopend", 2022, False)  # reported, not assigned
    # two statuses in the same latest year: the furthest (lopend before gepland)
    assert by["foodvalley", "verklarende_analyse"][4:] == ("lopend", 2022, False)
    # klantroute was only in the older 2022-Q2 delivery: not reported now
    assert by["foodvalley", "klantroute"][4:] == (None, None, False)
    assert by["foodvalley", "doelgroep_0_100"][4:] == (None, None, True)  # assigned, not reported
    assert by["flevoland", "verklarende_analyse"][4:] == ("lopend", 2023, True)
    assert by["flevoland", "netwerkdossier"][4:] == ("gepland", 2023, False)
    # zeeland: no themas delivery; assigned per thema_toewijzing.csv
    zeeland = [r for r in got if r[0] == "zeeland"]
    assert all(r[4] is None and r[5] is None for r in zeeland)
    assert {r[1] for r in zeeland if r[6]} == {
        "klantroute", "competenties_professional", "implementatie", "bestuurlijk_draagvlak", "onderzoeksformat"}
    assert by["zeeland", "lokale_infrastructuur"][2:4] == (
        "Versterken lokale infrastructuur, voorkomen kindermishandeling en huiselijk geweld, versterken sociale basis",
        "algemeen")
    assert {r[0] for r in rows(store, "thema-matrix", tranche=1, proeftuinen=("zeeland", "flevoland"))} == {"zeeland"}


def test_themas_aantal_proeftuinen(store):
    assert columns(store, "themas-aantal-proeftuinen") == [
        "thema", "label", "soort", "proeftuinen_lopend", "proeftuinen_gepland", "proeftuinen_afgerond",
        "proeftuinen_totaal", "proeftuinen_toegewezen"]
    got = rows(store, "themas-aantal-proeftuinen")
    assert [r[0] for r in got] == [t["code"] for t in reference_rows("themas.csv")]
    by = {r[0]: r[3:] for r in got}
    # (lopend, gepland, afgerond, totaal, toegewezen); toegewezen counted in thema_toewijzing.csv
    assert by["vaste_professional"] == (0, 0, 1, 1, 2)      # foodvalley afgerond; assigned foodvalley, utrecht
    assert by["ervaringsdeskundigheid"] == (0, 1, 0, 1, 2)  # foodvalley gepland; assigned foodvalley, utrecht
    assert by["netwerkdossier"] == (1, 1, 0, 2, 2)          # foodvalley lopend, flevoland gepland; amsterdam, hvb
    assert by["verklarende_analyse"] == (2, 0, 0, 2, 4)     # foodvalley, flevoland; gz, flevoland, hvb, zw
    assert by["klantroute"] == (0, 0, 0, 0, 1)              # only in an old delivery; assigned zeeland
    by2 = {r[0]: r[3:] for r in rows(store, "themas-aantal-proeftuinen", tranche=2)}
    assert by2["vaste_professional"] == (0, 0, 0, 0, 0)
    assert by2["netwerkdossier"] == (0, 1, 0, 1, 1)         # flevoland gepland; assigned hart-van-brabant
    assert by2["verklarende_analyse"] == (1, 0, 0, 1, 4)


# --- Tijdlijn ---------------------------------------------------------------------------------

def test_tijdlijn(store):
    assert columns(store, "tijdlijn") == [
        "proeftuin", "naam", "tranche", "onderdeel", "start_datum", "start_precisie", "stop_datum",
        "stop_precisie", "soort", "toelichting"]
    got = rows(store, "tijdlijn")
    assert len(got) == 11 + 19  # one row per proeftuin and one per werkgebied period
    assert [r[:9] for r in got if r[0] == "zeeland"] == [
        ("zeeland", "Zeeland", 1, "Zeeland", D(2021, 10, 1), "kwartaal", None, None, "proeftuin"),
        ("zeeland", "Zeeland", 1, "Zeeland (eerste team)", D(2022, 4, 1), "maand", D(2022, 10, 1), "maand",
         "werkgebied"),
        ("zeeland", "Zeeland", 1, "Hulst", D(2023, 3, 1), "maand", None, None, "werkgebied"),
    ]
    assert [r[:9] for r in rows(store, "tijdlijn", proeftuinen=("friesland",))] == [
        ("friesland", "Friesland", 2, "Friesland", D(2023, 1, 10), "dag", None, None, "proeftuin"),
        ("friesland", "Friesland", 2, "Heerenveen", D(2023, 1, 10), "dag", None, None, "werkgebied"),
    ]
    assert {r[2] for r in rows(store, "tijdlijn", tranche=2)} == {2}


# --- IV-strategie -----------------------------------------------------------------------------

def test_leveringen_status(store):
    assert columns(store, "leveringen-status") == [
        "proeftuin", "kwartaal", "status", "ontvangen", "dagen_na_kwartaal", "afgewezen", "uiterlijk"]
    # Latest casussen period in the log: flevoland 2023-Q3, so every proeftuin runs to 2023-Q3.
    with_due = rows(store, "leveringen-status", proeftuinen=("flevoland", "foodvalley", "zeeland"))
    # The due date: the quarter's last day + 30 days (31-03 + 30 = 30-04; 30-06 + 30 = 30-07).
    assert [r[6] for r in with_due if r[0] == "zeeland"][1:3] == [D(2022, 4, 30), D(2022, 7, 30)]
    got = [r[:6] for r in with_due]
    assert got == [
        ("flevoland", "2022-Q4", "ontbreekt", None, None, 0),
        ("flevoland", "2023-Q1", "ontbreekt", None, None, 0),
        ("flevoland", "2023-Q2", "op_tijd", D(2023, 7, 10), 10, 0),  # first accepted (id 11), not the replacement
        ("flevoland", "2023-Q3", "op_tijd", D(2023, 10, 5), 5, 0),
        ("foodvalley", "2021-Q4", "ontbreekt", None, None, 0),
        ("foodvalley", "2022-Q1", "ontbreekt", None, None, 0),
        ("foodvalley", "2022-Q2", "ontbreekt", None, None, 0),
        ("foodvalley", "2022-Q3", "op_tijd", D(2022, 10, 20), 20, 0),
        ("foodvalley", "2022-Q4", "te_laat", D(2023, 2, 10), 41, 1),  # 31 (Jan) + 10; rejected one on 01-15
        ("foodvalley", "2023-Q1", "ontbreekt", None, None, 0),
        ("foodvalley", "2023-Q2", "ontbreekt", None, None, 0),
        ("foodvalley", "2023-Q3", "ontbreekt", None, None, 0),
        ("zeeland", "2021-Q4", "afgewezen", None, None, 1),           # only a rejected delivery
        ("zeeland", "2022-Q1", "te_laat", D(2022, 5, 1), 31, 0),      # 30 (April) + 1: one day too late
        ("zeeland", "2022-Q2", "op_tijd", D(2022, 7, 30), 30, 0),     # exactly 30 days: on time
        ("zeeland", "2022-Q3", "ontbreekt", None, None, 0),
        ("zeeland", "2022-Q4", "ontbreekt", None, None, 0),
        ("zeeland", "2023-Q1", "ontbreekt", None, None, 0),
        ("zeeland", "2023-Q2", "ontbreekt", None, None, 0),
        ("zeeland", "2023-Q3", "ontbreekt", None, None, 0),
    ]
    # A proeftuin without any delivery still gets its quarters: friesland starts 2023-01-10 -> 2023-Q1.
    assert [r[:6] for r in rows(store, "leveringen-status", proeftuinen=("friesland",))] == [
        ("friesland", f"2023-Q{q}", "ontbreekt", None, None, 0) for q in (1, 2, 3)]
    # tranche 2: flevoland 4, gelderland-zuid 4, hart-van-brabant 4, zaanstreek-waterland 4, friesland 3
    assert len(rows(store, "leveringen-status", tranche=2)) == 19
    assert [r[:6] for r in rows(store, "leveringen-status", proeftuinen=("zeeland",), van="2022-Q1",
                                tot="2022-Q2")] == got[13:15]


def test_eerste_keer_geaccepteerd(store):
    assert columns(store, "eerste-keer-geaccepteerd") == ["proeftuin", "leveringen", "eerste_keer_goed", "waarde"]
    got = {r[0]: r[1:] for r in rows(store, "eerste-keer-geaccepteerd")}
    assert len(got) == 11
    # flevoland: casussen 2023-Q2 (one key for ids 11 and 12), casussen 2023-Q3, teamleden, themas: all first time
    assert got["flevoland"] == (4, 4, 100.0)
    # foodvalley: teamleden 2022-Q3, themas 2022-Q2, casussen 2022-Q3, teamleden 2022-Q4, themas 2022-Q4 first
    # time; casussen 2022-Q4 first rejected (id 9): 5 of 6 = 83.33
    assert got["foodvalley"] == (6, 5, 83.3)
    # zeeland: casussen 2021-Q4 rejected only; 2022-Q1 and 2022-Q2 first time: 2 of 3 = 66.67
    assert got["zeeland"] == (3, 2, 66.7)
    assert got["friesland"] == (0, 0, None)  # nothing received: empty, not 0 %
    # Period on the peildatum: 2022-Q4 only -> foodvalley teamleden, themas (ok), casussen (rejected first)
    q4 = {r[0]: r[1:] for r in rows(store, "eerste-keer-geaccepteerd", van="2022-Q4", tot="2022-Q4", tranche=1)}
    assert q4["foodvalley"] == (3, 2, 66.7)
    assert q4["zeeland"] == (0, 0, None)
    assert "flevoland" not in q4


def test_volledigheid_velden(store):
    assert columns(store, "volledigheid-velden") == ["proeftuin", "veld", "gevuld", "totaal", "waarde"]
    got = rows(store, "volledigheid-velden")
    assert len(got) == 3 * 17  # flevoland, foodvalley, zeeland x 17 optional fields
    foodvalley = [r[1:] for r in got if r[0] == "foodvalley"]  # 7 cases F1-F7
    assert foodvalley == [
        ("werkgebied", 2, 7, 28.6),            # F1 F2 (28.57)
        ("aantal_overdrachten", 3, 7, 42.9),   # F1 F3 F4 (42.86)
        ("leefgebied_financien", 2, 7, 28.6),  # F1 F2
        ("leefgebied_wonen", 1, 7, 14.3),      # F1 (14.29)
        ("leefgebied_zorg", 1, 7, 14.3),
        ("leefgebied_gezin", 1, 7, 14.3),
        ("leefgebied_werk", 1, 7, 14.3),
        ("verklarende_analyse", 0, 7, 0.0),
        ("veiligheidsplan", 1, 7, 14.3),       # F5
        ("volwassenen_ggz", 0, 7, 0.0),
        ("ervaringsdeskundige", 0, 7, 0.0),
        ("complexe_scheiding", 0, 7, 0.0),
        ("tijdelijk_huisverbod", 0, 7, 0.0),
        ("uithuisplaatsing", 0, 7, 0.0),
        ("jeugdreclassering", 0, 7, 0.0),
        ("netwerkdossier", 5, 7, 71.4),        # F1 F2 F3 F5 F6 (71.43)
        ("gezin_inzage", 4, 7, 57.1),          # F1 F2 F4 F5 (57.14)
    ]
    # Registered from 2022-Q3 on: foodvalley F6, F7; zeeland none (noemer 0: empty); flevoland L1 L2 L3
    later = {(r[0], r[1]): r[2:] for r in rows(store, "volledigheid-velden", van="2022-Q3")}
    assert later["foodvalley", "netwerkdossier"] == (1, 2, 50.0)  # F6
    assert later["zeeland", "netwerkdossier"] == (0, 0, None)
    assert later["flevoland", "gezin_inzage"] == (2, 3, 66.7)     # L1 L3
    assert later["flevoland", "netwerkdossier"] == (2, 3, 66.7)   # L1 L2


def test_netwerkdossier_per_kwartaal(store):
    assert columns(store, "netwerkdossier-per-kwartaal") == [
        "proeftuin", "tranche", "kwartaal", "lopend_met_netwerkdossier", "lopend_netwerkdossier",
        "lopend_met_gezin_inzage", "lopend_gezin_inzage", "pct_netwerkdossier", "pct_gezin_inzage"]
    assert rows(store, "netwerkdossier-per-kwartaal") == [
        ("flevoland", 2, "2022-Q4", 1, 0, 1, 0, 0.0, 0.0),        # L1 nee/nee
        ("flevoland", 2, "2023-Q1", 1, 1, 0, 0, 100.0, None),     # L2 ja/''; L1 closed 02-15
        ("flevoland", 2, "2023-Q2", 1, 1, 1, 0, 100.0, 0.0),      # L2 ja/'', L3 ''/nee
        ("flevoland", 2, "2023-Q3", 1, 1, 1, 0, 100.0, 0.0),
        ("foodvalley", 1, "2021-Q4", 2, 2, 2, 1, 100.0, 50.0),    # F1 ja/nee, F2 ja/ja; F3 closed 12-31
        ("foodvalley", 1, "2022-Q1", 1, 1, 2, 2, 100.0, 100.0),   # F2 ja/ja, F4 ''/ja
        ("foodvalley", 1, "2022-Q2", 2, 1, 3, 2, 50.0, 66.7),     # F2 ja/ja, F4 ''/ja, F5 nee/nee
        ("foodvalley", 1, "2022-Q3", 3, 2, 2, 1, 66.7, 50.0),     # F2 ja/ja, F5 nee/nee, F6 ja/''
        ("foodvalley", 1, "2022-Q4", 3, 2, 2, 1, 66.7, 50.0),     # + F7 ''/''
        ("zeeland", 1, "2021-Q4", 0, 0, 0, 0, None, None),        # nobody running: empty, not 0 %
        ("zeeland", 1, "2022-Q1", 1, 1, 1, 1, 100.0, 100.0),      # Z1 ja/ja
        ("zeeland", 1, "2022-Q2", 1, 1, 1, 1, 100.0, 100.0),      # Z1; Z2 closed 06-01
    ]
    assert rows(store, "netwerkdossier-per-kwartaal", tranche=2, van="2023-Q2") == [
        ("flevoland", 2, "2023-Q2", 1, 1, 1, 0, 100.0, 0.0), ("flevoland", 2, "2023-Q3", 1, 1, 1, 0, 100.0, 0.0)]


def test_netwerkdossier_last_quarter_is_the_kpi(store):
    """At the peildatum 'running' is 'not closed', so the last quarter equals the KPI rows."""
    kpi = {(r[0], r[1]): r[2:] for r in rows(store, "kpi-per-proeftuin")}
    per_q = rows(store, "netwerkdossier-per-kwartaal")
    for proeftuin in ("flevoland", "foodvalley", "zeeland"):
        last = [r for r in per_q if r[0] == proeftuin][-1]
        assert kpi[proeftuin, "netwerkdossier"] == (last[4], last[3], last[7])
        assert kpi[proeftuin, "gezin_inzage"] == (last[6], last[5], last[8])


def test_netwerkdossier_per_tranche(store):
    assert columns(store, "netwerkdossier-per-tranche") == [
        "tranche", "kwartaal", "proeftuinen", "lopend_met_netwerkdossier", "lopend_netwerkdossier",
        "lopend_met_gezin_inzage", "lopend_gezin_inzage", "pct_netwerkdossier", "pct_gezin_inzage"]
    assert rows(store, "netwerkdossier-per-tranche") == [
        (1, "2021-Q4", 2, 2, 2, 2, 1, 100.0, 50.0),    # foodvalley 2 2 2 1 + zeeland 0 0 0 0
        (1, "2022-Q1", 2, 2, 2, 3, 3, 100.0, 100.0),   # foodvalley 1 1 2 2 + zeeland 1 1 1 1
        (1, "2022-Q2", 2, 3, 2, 4, 3, 66.7, 75.0),     # foodvalley 2 1 3 2 + zeeland 1 1 1 1
        (1, "2022-Q3", 1, 3, 2, 2, 1, 66.7, 50.0),     # foodvalley only (zeeland's data end at 2022-Q2)
        (1, "2022-Q4", 1, 3, 2, 2, 1, 66.7, 50.0),
        (2, "2022-Q4", 1, 1, 0, 1, 0, 0.0, 0.0),       # flevoland
        (2, "2023-Q1", 1, 1, 1, 0, 0, 100.0, None),
        (2, "2023-Q2", 1, 1, 1, 1, 0, 100.0, 0.0),
        (2, "2023-Q3", 1, 1, 1, 1, 0, 100.0, 0.0),
    ]
    assert rows(store, "netwerkdossier-per-tranche", proeftuinen=("zeeland",), tot="2022-Q1") == [
        (1, "2021-Q4", 1, 0, 0, 0, 0, None, None), (1, "2022-Q1", 1, 1, 1, 1, 1, 100.0, 100.0)]


def test_small_numbers_protected(store, monkeypatch):
    """With the default threshold 5 the header lines hide every small count here.

    netwerkdossier-per-kwartaal, group tranche+kwartaal (1, 2021-Q4): foodvalley 2 2 2 1 are small and
    hidden; zeeland's zeros are then the only other cells of the group, so complementary suppression
    hides them too (a zero only when nothing else can be); no percentage on a hidden count.
    """
    monkeypatch.setenv("MONITOR_SMALL_CELL_THRESHOLD", "5")
    got = rows(store, "netwerkdossier-per-kwartaal", proeftuinen=("foodvalley", "zeeland"))
    assert got[0] == ("foodvalley", 1, "2021-Q4", "<5", "<5", "<5", "<5", None, None)
    assert got[5] == ("zeeland", 1, "2021-Q4", "<5", "<5", "<5", "<5", None, None)
    # tranche sums 2 2 2 1: small; proeftuinen (2) is not a count of cases
    tranche = rows(store, "netwerkdossier-per-tranche", tranche=1)
    assert tranche[0] == (1, "2021-Q4", 2, "<5", "<5", "<5", "<5", None, None)
    # volledigheid werkgebied: foodvalley 2 of 7 (2 small); flevoland 0 of 3 and zeeland 0 of 2: totals
    # small, and their gevuld hidden because the complement (3, 2) is small. Group veld+tranche (1):
    # zeeland's total is hidden alone, so foodvalley's total 7 is hidden as its complement.
    vol = rows(store, "volledigheid-velden", proeftuinen=("foodvalley",))
    assert vol[0] == ("foodvalley", "werkgebied", "<5", "<5", None)
    # cumulatief-naar-leeftijd: foodvalley 2022-Q4 7 cumulative (not small; a running count, so
    # shown rounded to fives: 5), 4 running (small)
    cum = rows(store, "cumulatief-naar-leeftijd", proeftuinen=("foodvalley",), van="2022-Q4")
    assert cum == [("foodvalley", 1, 14, "2022-Q4", 5, "<5")]
    # at 12 months: 6 registered -> 5, the average from the rounded sum 5 / 1 = 5.0; 3 running
    # (small): hidden, and the average resting on it with it
    assert rows(store, "tranche-op-gelijke-leeftijd", tranche=1)[1] == (1, 12, 1, 5, "<5", 5.0, None)


def test_percentages_round_half_away_from_zero_exactly(tmp_path):
    """2000 running cases: 7 netwerkdossier ja -> 0.35 % -> 0.4; 23 inzage ja -> 1.15 % -> 1.2.

    The same 7 and 23 give the completeness of werkgebied and veiligheidsplan. ROUND on a DOUBLE
    would give 0.3 and 1.1.
    """
    cases = [casus(f"U{i:04d}", "utrecht", "2022-01-10", netwerkdossier="ja" if i < 7 else "nee",
                   gezin_inzage="ja" if i < 23 else "nee", werkgebied="Utrecht" if i < 7 else "",
                   veiligheidsplan="ja" if i < 23 else "") for i in range(2000)]
    s = Store(tmp_path / "store")
    ingest([write(tmp_path / "utrecht_casussen_2022-Q1.csv", CASUS_COLUMNS, cases)], s, D(2022, 4, 5))
    last = rows(s.root, "netwerkdossier-per-kwartaal")[-1]  # 2022-Q1
    assert last == ("utrecht", 1, "2022-Q1", 2000, 7, 2000, 23, 0.4, 1.2)
    vol = {r[1]: r[2:] for r in rows(s.root, "volledigheid-velden")}
    assert vol["werkgebied"] == (7, 2000, 0.4)
    assert vol["veiligheidsplan"] == (23, 2000, 1.2)
    assert vol["netwerkdossier"] == (2000, 2000, 100.0)
    assert rows(s.root, "tranche-op-gelijke-leeftijd") == []  # utrecht's data end at month 5: no age reached


# --- Aanleveringen ----------------------------------------------------------------------------

def test_leveringslog(store):
    assert columns(store, "leveringslog") == [
        "levering_id", "proeftuin", "soort", "periode", "bestandsnaam", "ontvangen", "verwerkt_op", "rijen",
        "status", "aantal_fouten", "aantal_waarschuwingen", "in_gebruik"]
    got = rows(store, "leveringslog")
    assert [r[0] for r in got] == list(range(16, 0, -1))  # newest first
    # 16: a file name without proeftuin or period: in the log without proeftuin
    assert got[0][1:6] == (None, None, None, "export.csv", D(2023, 10, 6))
    assert (got[0][8], got[0][11]) == ("afgewezen", False)
    assert got[0][9] >= 1
    zeeland = [(r[0], r[3], r[7], r[8], r[11]) for r in rows(store, "leveringslog", proeftuinen=("zeeland",))]
    assert zeeland == [
        (3, "2022-Q2", 2, "geaccepteerd", True),
        (2, "2022-Q1", 1, "geaccepteerd", True),   # in force for its own period, though not the current one
        (1, "2021-Q4", 1, "afgewezen", False),
    ]
    flevoland_q2 = [(r[0], r[11]) for r in rows(store, "leveringslog", proeftuinen=("flevoland",), van="2023-Q2",
                                                  tot="2023-Q2")]
    assert flevoland_q2 == [(12, True), (11, False)]  # the replacement is in force
    # a tranche filter drops the delivery without proeftuin
    assert [r[0] for r in rows(store, "leveringslog", tranche=1)] == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]


# --- registry ---------------------------------------------------------------------------------

def test_new_queries_are_registered_with_full_headers():
    loaded = registry.load_registry()
    assert NEW_IDS <= set(loaded)
    for figure_id in NEW_IDS:
        ind = loaded[figure_id]
        assert {"tranche", "proeftuinen"} <= set(ind.parameters), figure_id
        assert ind.teller and ind.noemer and ind.bron and ind.soort in ("figuur", "kpi", "tabel"), figure_id
    # case counts carry protection lines; reference, team, theme and delivery data do not
    protected = {i for i in NEW_IDS if loaded[i].protection.active}
    assert protected == {"cumulatief-naar-leeftijd", "tranche-op-gelijke-leeftijd", "kpi-per-proeftuin-tranche",
                         "volledigheid-velden", "netwerkdossier-per-kwartaal", "netwerkdossier-per-tranche"}
