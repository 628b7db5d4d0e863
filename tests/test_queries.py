"""The indicator queries in queries/, on small real deliveries whose answers are worked out by hand.

Every expected number below is counted by hand from the fixture rows in this file (see the
comment next to it), never by running the code under test.

Fixture (one store, built once per module):

foodvalley (tranche 1, start 2021-10-01 -> quarters 2021-Q4, 2022-Q1, 2022-Q2)
    casussen 2022-Q2, first version        received 2022-07-05, replaced below
    casussen 2022-Q2, replacement (F1-F8)  received 2022-07-20  <- the current delivery
    casussen 2022-Q1                       received 2022-08-01, an older period: not current
    casussen 2022-Q2, third version        received 2022-08-15, rejected: changes nothing
    teamleden 2022-Q1 (old) and 2022-Q2 (current), themas 2022-Q2
zeeland (tranche 1, start 2021-10-01 -> quarters 2021-Q4, 2022-Q1)
    casussen 2022-Q1 (Z1)
flevoland (tranche 2, start 2022-11-01 -> quarters 2022-Q4, 2023-Q1)
    casussen 2023-Q1 (L1-L3), teamleden 2023-Q1

The cases of the current deliveries ('' = field left empty; leef = financien, wonen, zorg,
gezin, werk; min = aantal_minderjarigen; overdr = aantal_overdrachten):

id  aanmelding  start      afsluiting uitkomst     overdr vaste leef        verkl erv  uhp  netw inzage maatregel min
F1  2021-10-05  2021-10-20 2022-03-31 hersteld     0      ja    ja ja ja n n ja    nee  nee  ja   ja     geen      2
F2  2021-12-31  2022-01-10 -          -            1      nee   ja ja n n n  ''    ja   ja   ja   nee    ots       1
F3  2022-02-15  -          2022-05-20 deels        2      ja    ja ja ja ja ''  nee   ''   ''   ''   ''     vots      0
F4  2022-04-01  2022-04-01 -          -            ''     ja    '' x5       ja    nee  nee  nee  ''     geen      3
F5  2022-06-30  -          -          -            ''     ja    ja n ja ja ja  ''    ''   nee  ja   ja     geen      0
F6  2022-01-20  2022-02-01 2022-06-30 hersteld     ''     nee   n x5        ja    ja   nee  ''   ''     voogdij   1
F7  2021-11-10  2021-11-12 2021-12-15 niet         0      ja    '' x5       nee   nee  ''   nee  nee    geen      2
F8  2021-09-01  2021-09-10 -          -            ''     ja    '' x5       ''    ''   ''   ''   ''     geen      1
Z1  2022-03-15  -          -          -            ''     ja    '' x5       ''    ''   ''   ''   ''     geen      1
L1  2022-11-15  2022-11-20 2022-12-31 hersteld     0      ja    ja x5       ja    ja   nee  nee  ja     geen      1
L2  2023-01-05  2023-01-25 -          -            3      ja    n n n ja n  nee   ''   ja   ja   ja     ots       2
L3  2023-03-31  -          -          -            ''     nee   '' x5       ''    nee  ''   ''   nee    geen      0

Edge cases in there: F1 closed on the last day of 2022-Q1 and L1 on the last day of 2022-Q4;
F2 registered on the last day of 2021-Q4, F5 on the last day of 2022-Q2 (= peildatum) and L3 on
the last day of 2023-Q1; F8 registered before foodvalley's start quarter.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from pathlib import Path

import pytest

from dashboard import registry
from dashboard.figuredata import Filters, figure_data
from dashboard.ingest import ingest_files
from dashboard.store import Store

PROJECT = Path(__file__).resolve().parent.parent
QUERIES = PROJECT / "queries"
DOCS = PROJECT / "docs" / "indicatoren.md"

KPI_ORDER = [
    "vaste_professional", "zonder_overdracht", "brede_blik", "zonder_minderjarigen", "verklarende_analyse",
    "uithuisplaatsing", "ervaringsdeskundige", "maatregel", "netwerkdossier", "gezin_inzage",
    "veiligheid_hersteld",
]
KPI_TITELS = [
    "Vaste professional", "Zonder overdracht", "Hulp op 3+ leefgebieden", "Huishoudens zonder minderjarigen",
    "Verklarende analyse", "Uithuisplaatsing", "Ervaringsdeskundige betrokken", "Kinderbeschermingsmaatregel",
    "Netwerkdossier (lopend)", "Gezin heeft inzage (lopend)", "Veiligheid hersteld bij afsluiting",
]
HEADER_KEYS = ("id", "titel", "definitie", "eenheid", "teller", "noemer", "bron", "soort")

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


def casus(casus_id: str, proeftuin: str, aanmelding: str, *, start: str = "", afsluiting: str = "",
          uitkomst: str = "", overdrachten: str = "", vaste: str = "ja", leef: str = "", verklarende: str = "",
          ervaring: str = "", uhp: str = "", netwerk: str = "", inzage: str = "", maatregel: str = "geen",
          minderjarigen: int = 1, volwassenen: int = 1) -> dict:
    """One row as the export file holds it: text, '' for an empty field; leef e.g. 'ja ja nee nee nee'."""
    row = dict.fromkeys(CASUS_COLUMNS, "")
    row.update({
        "casus_id": casus_id, "proeftuin": proeftuin, "datum_aanmelding": aanmelding, "datum_start_hulp": start,
        "datum_afsluiting": afsluiting, "instroomroute": "veilig_thuis", "aantal_minderjarigen": str(minderjarigen),
        "aantal_volwassenen": str(volwassenen), "vaste_professional": vaste, "werkwijze": "duo",
        "aantal_overdrachten": overdrachten, "verklarende_analyse": verklarende, "ervaringsdeskundige": ervaring,
        "uithuisplaatsing": uhp, "netwerkdossier": netwerk, "gezin_inzage": inzage,
        "kinderbeschermingsmaatregel": maatregel, "uitkomst": uitkomst,
    })
    if leef:
        row.update(zip(LEEF, (v if v != "-" else "" for v in leef.split())))
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


FOODVALLEY = [
    casus("F1", "foodvalley", "2021-10-05", start="2021-10-20", afsluiting="2022-03-31",
          uitkomst="veiligheid_hersteld", overdrachten="0", vaste="ja", leef="ja ja ja nee nee", verklarende="ja",
          ervaring="nee", uhp="nee", netwerk="ja", inzage="ja", minderjarigen=2),
    casus("F2", "foodvalley", "2021-12-31", start="2022-01-10", overdrachten="1", vaste="nee",
          leef="ja ja nee nee nee", ervaring="ja", uhp="ja", netwerk="ja", inzage="nee", maatregel="ots"),
    casus("F3", "foodvalley", "2022-02-15", afsluiting="2022-05-20", uitkomst="deels_hersteld", overdrachten="2",
          leef="ja ja ja ja -", verklarende="nee", maatregel="vots", minderjarigen=0, volwassenen=2),
    casus("F4", "foodvalley", "2022-04-01", start="2022-04-01", verklarende="ja", ervaring="nee", uhp="nee",
          netwerk="nee", minderjarigen=3),
    casus("F5", "foodvalley", "2022-06-30", leef="ja nee ja ja ja", uhp="nee", netwerk="ja", inzage="ja",
          minderjarigen=0, volwassenen=1),
    casus("F6", "foodvalley", "2022-01-20", start="2022-02-01", afsluiting="2022-06-30",
          uitkomst="veiligheid_hersteld", vaste="nee", leef="nee nee nee nee nee", verklarende="ja",
          ervaring="ja", uhp="nee", maatregel="voogdij"),
    casus("F7", "foodvalley", "2021-11-10", start="2021-11-12", afsluiting="2021-12-15", uitkomst="niet_hersteld",
          overdrachten="0", verklarende="nee", ervaring="nee", netwerk="nee", inzage="nee", minderjarigen=2),
    casus("F8", "foodvalley", "2021-09-01", start="2021-09-10"),
]
ZEELAND = [casus("Z1", "zeeland", "2022-03-15")]
FLEVOLAND = [
    casus("L1", "flevoland", "2022-11-15", start="2022-11-20", afsluiting="2022-12-31",
          uitkomst="veiligheid_hersteld", overdrachten="0", leef="ja ja ja ja ja", verklarende="ja", ervaring="ja",
          uhp="nee", netwerk="nee", inzage="ja"),
    casus("L2", "flevoland", "2023-01-05", start="2023-01-25", overdrachten="3", leef="nee nee nee ja nee",
          verklarende="nee", uhp="ja", netwerk="ja", inzage="ja", maatregel="ots", minderjarigen=2),
    casus("L3", "flevoland", "2023-03-31", vaste="nee", ervaring="nee", inzage="nee", minderjarigen=0),
]
# Versions that must NOT count: if they did, the numbers below would all be different.
FOODVALLEY_V1 = [
    casus("F1", "foodvalley", "2021-10-05"),
    casus("X1", "foodvalley", "2022-05-01", maatregel="ots"),
]
FOODVALLEY_OLD_PERIOD = [casus("OUD1", "foodvalley", "2022-01-05"), casus("OUD2", "foodvalley", "2022-02-05")]
FOODVALLEY_REJECTED = [casus("X2", "foodvalley", "2022-07-15")]  # after the peildatum 2022-06-30: an error


def team(proeftuin, organisatie, rol, fte, start, einde=""):
    return {"proeftuin": proeftuin, "team": "RVT", "organisatie": organisatie, "rol": rol, "fte": fte,
            "datum_start": start, "datum_einde": einde}


def ingest(paths, store, ontvangen):
    result = ingest_files(paths, store, ontvangen=ontvangen)
    assert result.all_accepted, [(f.path.name, f.message, f.findings[:3]) for f in result.files]
    return result


@pytest.fixture(autouse=True)
def raw_numbers(monkeypatch):
    """These tests check the queries' true numbers; small-number protection is tested on its own."""
    monkeypatch.setenv("MONITOR_SMALL_CELL_THRESHOLD", "0")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("queries")
    s = Store(tmp / "store")
    ingest([
        write(tmp / "v1" / "foodvalley_casussen_2022-Q2.csv", CASUS_COLUMNS, FOODVALLEY_V1),
        write(tmp / "v1" / "zeeland_casussen_2022-Q1.csv", CASUS_COLUMNS, ZEELAND),
        write(tmp / "v1" / "flevoland_casussen_2023-Q1.csv", CASUS_COLUMNS, FLEVOLAND),
        write(tmp / "v1" / "foodvalley_teamleden_2022-Q1.csv", TEAM_COLUMNS, [
            team("foodvalley", "gemeente", "teamleider", "1", "2021-10-01"),
        ]),
        write(tmp / "v1" / "foodvalley_teamleden_2022-Q2.csv", TEAM_COLUMNS, [
            team("foodvalley", "raad_kinderbescherming", "gezinsprofessional", "0,8", "2021-10-01"),
            team("foodvalley", "veilig_thuis", "gezinsprofessional", "0,5", "2021-10-01", "2022-06-30"),
            team("foodvalley", "veilig_thuis", "gezinsprofessional", "0,4", "2022-01-01"),
            team("foodvalley", "veilig_thuis", "gezinsprofessional", "1", "2021-10-01", "2022-03-31"),
            team("foodvalley", "lokaal_team", "jurist", "0,2", "2022-02-01"),
        ]),
        write(tmp / "v1" / "flevoland_teamleden_2023-Q1.csv", TEAM_COLUMNS, [
            team("flevoland", "gecertificeerde_instelling", "gedragswetenschapper", "0,6", "2022-11-01"),
        ]),
        write(tmp / "v1" / "foodvalley_themas_2022-Q2.csv", THEMA_COLUMNS, [
            {"proeftuin": "foodvalley", "thema": "vaste_professional", "status": "lopend", "jaar": "2022"},
            {"proeftuin": "foodvalley", "thema": "ervaringsdeskundigheid", "status": "gepland", "jaar": "2022"},
        ]),
    ], s, dt.date(2022, 7, 5))
    # The replacement of foodvalley 2022-Q2, received later: replaces the first version.
    ingest([write(tmp / "v2" / "foodvalley_casussen_2022-Q2.csv", CASUS_COLUMNS, FOODVALLEY)], s, dt.date(2022, 7, 20))
    # An older period received last: the latest period stays current.
    ingest([write(tmp / "v3" / "foodvalley_casussen_2022-Q1.csv", CASUS_COLUMNS, FOODVALLEY_OLD_PERIOD)],
           s, dt.date(2022, 8, 1))
    # A rejected third version of 2022-Q2: logged, but the replacement stays current.
    rejected = ingest_files([write(tmp / "v4" / "foodvalley_casussen_2022-Q2.csv", CASUS_COLUMNS,
                                   FOODVALLEY_REJECTED)], s, ontvangen=dt.date(2022, 8, 15))
    assert [f.status for f in rejected.files] == ["afgewezen"]
    return s.root


def rows(store, figure_id, **filters) -> list[tuple]:
    df = figure_data(figure_id, Filters(**filters), data_dir=store).df
    return [tuple(None if isinstance(v, float) and math.isnan(v) else v for v in r)
            for r in df.itertuples(index=False, name=None)]


def columns(store, figure_id) -> list[str]:
    return list(figure_data(figure_id, Filters(), data_dir=store).df.columns)


# --- instroom, lopend, uitstroom -------------------------------------------------------------

def test_instroom_per_kwartaal(store):
    assert columns(store, "instroom-per-kwartaal") == ["proeftuin", "kwartaal", "aangemeld"]
    assert rows(store, "instroom-per-kwartaal") == [
        ("flevoland", "2022-Q4", 1),   # L1 (11-15)
        ("flevoland", "2023-Q1", 2),   # L2 (01-05), L3 (03-31, the quarter's last day)
        ("foodvalley", "2021-Q4", 3),  # F1 (10-05), F7 (11-10), F2 (12-31, last day); F8 (09-01) is before the start quarter
        ("foodvalley", "2022-Q1", 2),  # F6 (01-20), F3 (02-15); not OUD1/OUD2 of the older delivery
        ("foodvalley", "2022-Q2", 2),  # F4 (04-01), F5 (06-30); not X1 of the replaced first version
        ("zeeland", "2021-Q4", 0),     # zeeland's start quarter, nobody registered: a zero row
        ("zeeland", "2022-Q1", 1),     # Z1 (03-15)
    ]


def test_instroom_filters(store):
    # tranche 2: flevoland only
    assert rows(store, "instroom-per-kwartaal", tranche=2) == [("flevoland", "2022-Q4", 1), ("flevoland", "2023-Q1", 2)]
    # a subset of proeftuinen
    assert rows(store, "instroom-per-kwartaal", proeftuinen=("zeeland",)) == [
        ("zeeland", "2021-Q4", 0), ("zeeland", "2022-Q1", 1)]
    # van/tot restrict the quarters shown: 2022-Q1 up to and including 2022-Q4
    assert rows(store, "instroom-per-kwartaal", van="2022-Q1", tot="2022-Q4") == [
        ("flevoland", "2022-Q4", 1),   # 2023-Q1 ends after tot
        ("foodvalley", "2022-Q1", 2),  # 2021-Q4 starts before van
        ("foodvalley", "2022-Q2", 2),
        ("zeeland", "2022-Q1", 1),
    ]
    # tranche and proeftuinen together: foodvalley is tranche 1, so nothing for tranche 2
    assert rows(store, "instroom-per-kwartaal", tranche=2, proeftuinen=("foodvalley",)) == []


def test_lopend_per_kwartaal(store):
    assert columns(store, "lopend-per-kwartaal") == ["proeftuin", "kwartaal", "lopend"]
    assert rows(store, "lopend-per-kwartaal") == [
        ("flevoland", "2022-Q4", 0),   # L1 registered but closed on 12-31, the quarter's last day
        ("flevoland", "2023-Q1", 2),   # L2, L3 (registered on 03-31 itself counts)
        ("foodvalley", "2021-Q4", 3),  # F1, F2 (registered 12-31), F8 (registered before the start); F7 closed 12-15
        ("foodvalley", "2022-Q1", 4),  # F2, F3, F6, F8; F1 closed on 03-31 itself, F7 closed earlier
        ("foodvalley", "2022-Q2", 4),  # F2, F4, F5 (registered 06-30), F8; F3, F6 (06-30), F1, F7 closed
        ("zeeland", "2021-Q4", 0),
        ("zeeland", "2022-Q1", 1),     # Z1
    ]
    assert rows(store, "lopend-per-kwartaal", proeftuinen=("foodvalley",), tot="2022-Q1") == [
        ("foodvalley", "2021-Q4", 3), ("foodvalley", "2022-Q1", 4)]


def test_uitstroom_per_kwartaal(store):
    assert columns(store, "uitstroom-per-kwartaal") == ["proeftuin", "kwartaal", "afgesloten"]
    assert rows(store, "uitstroom-per-kwartaal") == [
        ("flevoland", "2022-Q4", 1),   # L1 closed 12-31
        ("flevoland", "2023-Q1", 0),
        ("foodvalley", "2021-Q4", 1),  # F7 (12-15)
        ("foodvalley", "2022-Q1", 1),  # F1 (03-31, the last day)
        ("foodvalley", "2022-Q2", 2),  # F3 (05-20), F6 (06-30)
        ("zeeland", "2021-Q4", 0),
        ("zeeland", "2022-Q1", 0),
    ]
    assert rows(store, "uitstroom-per-kwartaal", tranche=2, van="2023-Q1") == [("flevoland", "2023-Q1", 0)]


def test_instroom_per_tranche(store):
    assert columns(store, "instroom-per-tranche") == ["tranche", "kwartaal", "aangemeld"]
    assert rows(store, "instroom-per-tranche") == [
        (1, "2021-Q4", 3),  # foodvalley 3 + zeeland 0
        (1, "2022-Q1", 3),  # foodvalley 2 + zeeland 1
        (1, "2022-Q2", 2),  # foodvalley 2 (zeeland's delivery ends at 2022-Q1)
        (2, "2022-Q4", 1),  # flevoland
        (2, "2023-Q1", 2),
    ]
    assert rows(store, "instroom-per-tranche", tranche=1, proeftuinen=("zeeland",)) == [
        (1, "2021-Q4", 0), (1, "2022-Q1", 1)]
    assert rows(store, "instroom-per-tranche", van="2022-Q2", tot="2022-Q4") == [(1, "2022-Q2", 2), (2, "2022-Q4", 1)]


# --- KPIs ------------------------------------------------------------------------------------

# (teller, noemer, waarde) per kpi in KPI_ORDER, all counted from the table in the module docstring.
FOODVALLEY_KPI = [
    (6, 8, 75.0),   # vaste: ja F1 F3 F4 F5 F7 F8; nee F2 F6
    (2, 3, 66.7),   # zonder_overdracht: closed F1 F3 F6 F7; F6 overdrachten empty; 0 for F1 F7 (66.67)
    (2, 4, 50.0),   # brede_blik: all five filled F1(3 ja) F2(2) F5(4) F6(0); F3 has one empty
    (2, 8, 25.0),   # zonder_minderjarigen: F3 F5
    (3, 5, 60.0),   # verklarende: filled F1 ja, F3 nee, F4 ja, F6 ja, F7 nee
    (1, 5, 20.0),   # uithuisplaatsing: filled F1 nee, F2 ja, F4 nee, F5 nee, F6 nee
    (2, 5, 40.0),   # ervaringsdeskundige: filled F1 nee, F2 ja, F4 nee, F6 ja, F7 nee
    (3, 8, 37.5),   # maatregel: F2 ots, F3 vots, F6 voogdij
    (2, 3, 66.7),   # netwerkdossier: running F2 ja, F4 nee, F5 ja; F8 empty
    (1, 2, 50.0),   # gezin_inzage: running F2 nee, F5 ja; F4 F8 empty
    (2, 4, 50.0),   # veiligheid_hersteld: closed F1 F3 F6 F7; hersteld F1 F6
]
FLEVOLAND_KPI = [
    (2, 3, 66.7),   # vaste: L1 L2 ja, L3 nee (66.67)
    (1, 1, 100.0),  # zonder_overdracht: closed L1 with 0
    (1, 2, 50.0),   # brede_blik: filled L1 (5 ja), L2 (1 ja)
    (1, 3, 33.3),   # zonder_minderjarigen: L3
    (1, 2, 50.0),   # verklarende: L1 ja, L2 nee
    (1, 2, 50.0),   # uithuisplaatsing: L1 nee, L2 ja
    (1, 2, 50.0),   # ervaringsdeskundige: L1 ja, L3 nee
    (1, 3, 33.3),   # maatregel: L2 ots
    (1, 1, 100.0),  # netwerkdossier: running L2 ja, L3 empty (L1 closed, not counted)
    (1, 2, 50.0),   # gezin_inzage: running L2 ja, L3 nee (L1 closed, not counted)
    (1, 1, 100.0),  # veiligheid_hersteld: closed L1 hersteld
]
ZEELAND_KPI = [
    (1, 1, 100.0),  # vaste: Z1 ja
    (0, 0, None),   # no closed cases: noemer 0, waarde empty
    (0, 0, None),   # no leefgebieden filled
    (0, 1, 0.0),    # Z1 has a minor
    (0, 0, None),
    (0, 0, None),
    (0, 0, None),
    (0, 1, 0.0),    # maatregel geen
    (0, 0, None),   # Z1 running, netwerkdossier empty
    (0, 0, None),
    (0, 0, None),
]


def per_proeftuin(proeftuin, values):
    return [(proeftuin, kpi, t, n, w) for kpi, (t, n, w) in zip(KPI_ORDER, values)]


def test_kpi_per_proeftuin(store):
    assert columns(store, "kpi-per-proeftuin") == ["proeftuin", "kpi", "teller", "noemer", "waarde"]
    assert rows(store, "kpi-per-proeftuin") == (
        per_proeftuin("flevoland", FLEVOLAND_KPI) + per_proeftuin("foodvalley", FOODVALLEY_KPI)
        + per_proeftuin("zeeland", ZEELAND_KPI))


def test_kpi_per_proeftuin_filters(store):
    assert rows(store, "kpi-per-proeftuin", tranche=2) == per_proeftuin("flevoland", FLEVOLAND_KPI)
    assert rows(store, "kpi-per-proeftuin", proeftuinen=("zeeland", "flevoland")) == (
        per_proeftuin("flevoland", FLEVOLAND_KPI) + per_proeftuin("zeeland", ZEELAND_KPI))
    # Registered 2022-01-01 .. 2022-06-30: foodvalley F3 F4 F5 F6, zeeland Z1, no flevoland case;
    # flevoland keeps its 11 rows with noemer 0.
    assert rows(store, "kpi-per-proeftuin", van="2022-Q1", tot="2022-Q2") == (
        per_proeftuin("flevoland", [(0, 0, None)] * 11)
        + per_proeftuin("foodvalley", [
            (3, 4, 75.0),   # vaste: F3 F4 F5 ja, F6 nee
            (0, 1, 0.0),    # zonder_overdracht: closed F3 (2 overdrachten), F6 (empty)
            (1, 2, 50.0),   # brede_blik: filled F5 (4 ja), F6 (0 ja)
            (2, 4, 50.0),   # zonder_minderjarigen: F3 F5
            (2, 3, 66.7),   # verklarende: F3 nee, F4 ja, F6 ja; F5 empty
            (0, 3, 0.0),    # uithuisplaatsing: F4 F5 F6 nee; F3 empty
            (1, 2, 50.0),   # ervaringsdeskundige: F4 nee, F6 ja
            (2, 4, 50.0),   # maatregel: F3 vots, F6 voogdij
            (1, 2, 50.0),   # netwerkdossier: running F4 nee, F5 ja
            (1, 1, 100.0),  # gezin_inzage: running F5 ja; F4 empty
            (1, 2, 50.0),   # veiligheid_hersteld: closed F3 deels, F6 hersteld
        ])
        + per_proeftuin("zeeland", ZEELAND_KPI))  # Z1 (2022-03-15) is inside the period
    # Only 'van': foodvalley cases registered from 2022-04-01: F4, F5
    got = rows(store, "kpi-per-proeftuin", proeftuinen=("foodvalley",), van="2022-Q2")
    assert got[0] == ("foodvalley", "vaste_professional", 2, 2, 100.0)
    assert got[3] == ("foodvalley", "zonder_minderjarigen", 1, 2, 50.0)  # F5


def programma(values):
    return [(kpi, titel, t, n, w) for kpi, titel, (t, n, w) in zip(KPI_ORDER, KPI_TITELS, values)]


def test_kpi_programma(store):
    assert columns(store, "kpi-programma") == ["kpi", "titel", "teller", "noemer", "waarde"]
    # Sums of the three tables above (flevoland + foodvalley + zeeland), waarde recomputed.
    assert rows(store, "kpi-programma") == programma([
        (9, 12, 75.0),  # 2+6+1 / 3+8+1
        (3, 4, 75.0),   # 1+2 / 1+3
        (3, 6, 50.0),   # 1+2 / 2+4
        (3, 12, 25.0),  # 1+2+0 / 3+8+1
        (4, 7, 57.1),   # 1+3 / 2+5 = 57.14
        (2, 7, 28.6),   # 1+1 / 2+5 = 28.57
        (3, 7, 42.9),   # 1+2 / 2+5 = 42.86
        (4, 12, 33.3),  # 1+3+0 / 3+8+1
        (3, 4, 75.0),   # 1+2 / 1+3
        (2, 4, 50.0),   # 1+1 / 2+2
        (3, 5, 60.0),   # 1+2 / 1+4
    ])
    # Tranche 1: foodvalley + zeeland
    assert rows(store, "kpi-programma", tranche=1) == programma([
        (7, 9, 77.8),   # 6+1 / 8+1 = 77.78
        (2, 3, 66.7),
        (2, 4, 50.0),
        (2, 9, 22.2),   # 2+0 / 8+1 = 22.22
        (3, 5, 60.0),
        (1, 5, 20.0),
        (2, 5, 40.0),
        (3, 9, 33.3),   # 3+0 / 8+1
        (2, 3, 66.7),
        (1, 2, 50.0),
        (2, 4, 50.0),
    ])
    assert rows(store, "kpi-programma", proeftuinen=("flevoland",)) == programma(FLEVOLAND_KPI)
    # No selected proeftuin has a casussen delivery: no rows (the page shows 'Geen gegevens').
    assert rows(store, "kpi-programma", proeftuinen=("friesland",)) == []


def test_kpi_lists_identical_in_both_queries():
    """The kpi VALUES list is written out in both KPI queries; it must be the same text."""
    lists = []
    for name in ("kpi-per-proeftuin.sql", "kpi-programma.sql"):
        sql = (QUERIES / name).read_text(encoding="utf-8")
        m = re.search(r"kpis\(nr, kpi, titel\) AS \((.*?)\n\)", sql, re.S)
        assert m, name
        lists.append(m.group(1))
    assert lists[0] == lists[1]
    values = re.findall(r"\((\d+), '([a-z_]+)', '([^']+)'\)", lists[0])
    assert [(int(n), k, t) for n, k, t in values] == [(i + 1, k, t) for i, (k, t) in enumerate(zip(KPI_ORDER, KPI_TITELS))]


def test_kpi_rounding_is_half_away_from_zero_exactly(tmp_path):
    """2000 cases: 7 without minors -> 0.35 % -> 0.4; 23 with a measure -> 1.15 % -> 1.2.

    ROUND on a DOUBLE would give 0.3 and 1.1 (0.35 and 1.15 are just below in binary).
    """
    cases = [casus(f"U{i:04d}", "utrecht", "2022-01-10", minderjarigen=0 if i < 7 else 1,
                   maatregel="ots" if i < 23 else "geen") for i in range(2000)]
    ingest([write(tmp_path / "utrecht_casussen_2022-Q1.csv", CASUS_COLUMNS, cases)], Store(tmp_path / "store"),
           dt.date(2022, 4, 5))
    got = {r[1]: r[2:] for r in rows(tmp_path / "store", "kpi-per-proeftuin")}
    assert got["zonder_minderjarigen"] == (7, 2000, 0.4)
    assert got["maatregel"] == (23, 2000, 1.2)
    assert got["vaste_professional"] == (2000, 2000, 100.0)


# --- doorlooptijd, team, themas, leveringen ---------------------------------------------------

def test_doorlooptijd_per_proeftuin(store):
    assert columns(store, "doorlooptijd-per-proeftuin") == [
        "proeftuin", "mediaan_dagen_tot_start", "aantal_gestart", "mediaan_duur_afgesloten", "aantal_afgesloten"]
    assert rows(store, "doorlooptijd-per-proeftuin") == [
        # start: L1 5 days (11-15 -> 11-20), L2 20 days (01-05 -> 01-25): median (5 + 20) / 2 = 12.5
        # closed: L1 11-15 -> 12-31 = 15 + 31 = 46 days
        ("flevoland", 12.5, 2, 46.0, 1),
        # start: F1 15, F2 10 (12-31 -> 01-10), F4 0 (same day), F6 12, F7 2, F8 9
        #   sorted 0 2 9 10 12 15: median (9 + 10) / 2 = 9.5
        # closed: F1 10-05 -> 03-31 = 26+30+31+31+28+31 = 177, F3 02-15 -> 05-20 = 13+31+30+20 = 94,
        #   F6 01-20 -> 06-30 = 11+28+31+30+31+30 = 161, F7 11-10 -> 12-15 = 20+15 = 35
        #   sorted 35 94 161 177: median (94 + 161) / 2 = 127.5
        ("foodvalley", 9.5, 6, 127.5, 4),
        ("zeeland", None, 0, None, 0),  # Z1 neither started nor closed
    ]
    # Registered in 2022-Q1..Q2: foodvalley F3 (no start), F4 (0), F5 (no start), F6 (12) -> start
    # median 6.0 of 2; closed F3 94, F6 161 -> 127.5 of 2; zeeland Z1; flevoland none.
    assert rows(store, "doorlooptijd-per-proeftuin", van="2022-Q1", tot="2022-Q2") == [
        ("flevoland", None, 0, None, 0),
        ("foodvalley", 6.0, 2, 127.5, 2),
        ("zeeland", None, 0, None, 0),
    ]
    assert rows(store, "doorlooptijd-per-proeftuin", tranche=2) == [("flevoland", 12.5, 2, 46.0, 1)]


def test_team_fte(store):
    assert columns(store, "team-fte") == ["proeftuin", "organisatie", "rol", "fte", "posities"]
    assert rows(store, "team-fte") == [
        ("flevoland", "gecertificeerde_instelling", "gedragswetenschapper", 0.6, 1),
        # foodvalley: the 2022-Q2 delivery (peildatum 2022-06-30); the teamleider of 2022-Q1 is gone
        ("foodvalley", "lokaal_team", "jurist", 0.2, 1),
        ("foodvalley", "raad_kinderbescherming", "gezinsprofessional", 0.8, 1),
        # 0.5 (ends on the peildatum itself: still active) + 0.4; the 1.0 that ended 2022-03-31 is not
        ("foodvalley", "veilig_thuis", "gezinsprofessional", 0.9, 2),
    ]
    assert rows(store, "team-fte", tranche=2) == [
        ("flevoland", "gecertificeerde_instelling", "gedragswetenschapper", 0.6, 1)]
    assert rows(store, "team-fte", proeftuinen=("zeeland",)) == []


def test_themas_per_proeftuin(store):
    assert columns(store, "themas-per-proeftuin") == ["proeftuin", "thema", "label", "soort", "status", "jaar"]
    # labels and soort as in data/reference/themas.csv
    assert rows(store, "themas-per-proeftuin") == [
        ("foodvalley", "ervaringsdeskundigheid", "Structurele inzet van ervaringsdeskundigheid", "specifiek",
         "gepland", 2022),
        ("foodvalley", "vaste_professional", "Vast contactpersoon / duo voor kind en gezin", "specifiek",
         "lopend", 2022),
    ]
    assert rows(store, "themas-per-proeftuin", tranche=2) == []


def test_leveringen_per_kwartaal(store):
    assert columns(store, "leveringen-per-kwartaal") == [
        "proeftuin", "kwartaal", "soort", "ontvangen", "geaccepteerd", "afgewezen"]
    assert rows(store, "leveringen-per-kwartaal") == [
        ("flevoland", "2023-Q1", "casussen", 1, 1, 0),
        ("flevoland", "2023-Q1", "teamleden", 1, 1, 0),
        ("foodvalley", "2022-Q1", "casussen", 1, 1, 0),   # the older period received last
        ("foodvalley", "2022-Q1", "teamleden", 1, 1, 0),
        ("foodvalley", "2022-Q2", "casussen", 3, 2, 1),   # first version, replacement, rejected third
        ("foodvalley", "2022-Q2", "teamleden", 1, 1, 0),
        ("foodvalley", "2022-Q2", "themas", 1, 1, 0),
        ("zeeland", "2022-Q1", "casussen", 1, 1, 0),
    ]
    assert rows(store, "leveringen-per-kwartaal", tranche=1, van="2022-Q2", tot="2022-Q2") == [
        ("foodvalley", "2022-Q2", "casussen", 3, 2, 1),
        ("foodvalley", "2022-Q2", "teamleden", 1, 1, 0),
        ("foodvalley", "2022-Q2", "themas", 1, 1, 0),
    ]


def test_leveringen_excludes_removed(tmp_path):
    s = Store(tmp_path / "store")
    ingest([write(tmp_path / "zeeland_casussen_2022-Q1.csv", CASUS_COLUMNS, ZEELAND),
            write(tmp_path / "zeeland_casussen_2021-Q4.csv", CASUS_COLUMNS, [casus("Z0", "zeeland", "2021-11-01")])],
           s, dt.date(2022, 4, 5))
    # Mark the 2021-Q4 delivery as removed, as a purge would (through the store's own snapshot path).
    with s.lock(), s.new_snapshot() as builder:
        con = getattr(builder, "con", builder)
        con.execute("UPDATE leveringen SET status = 'verwijderd' WHERE periode = '2021-Q4'")
    assert rows(s.root, "leveringen-per-kwartaal") == [("zeeland", "2022-Q1", "casussen", 1, 1, 0)]


# --- the registry, the headers and the documentation -------------------------------------------

EXPECTED_IDS = {
    "instroom-per-kwartaal", "lopend-per-kwartaal", "uitstroom-per-kwartaal", "instroom-per-tranche",
    "kpi-per-proeftuin", "kpi-programma", "doorlooptijd-per-proeftuin", "team-fte", "themas-per-proeftuin",
    "leveringen-per-kwartaal",
}


def header(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^--\s*([a-z_]+)\s*:\s*(.*?)\s*$", line)
        if m:
            out.setdefault(m.group(1), m.group(2))
    return out


def test_registry_loads_every_query_file():
    files = sorted(QUERIES.glob("*.sql"))
    loaded = registry.load_registry()
    assert set(loaded) == {p.stem for p in files}
    assert EXPECTED_IDS <= set(loaded)
    for path in files:
        ind = registry.parse_file(path)
        h = header(path)
        assert set(HEADER_KEYS) <= set(h) <= set(HEADER_KEYS) | {
            "aantallen", "verhoudingen", "groepen", "afronden", "gemiddelden", "periode", "delen"}, \
            f"{path.name}: header keys {sorted(h)}"
        assert all(h[k] for k in HEADER_KEYS), path.name
        assert ind.soort in ("figuur", "kpi", "tabel"), path.name
        assert re.search(r"\bORDER BY\b", ind.sql), f"{path.name} has no ORDER BY"
        assert {"tranche", "proeftuinen"} <= set(ind.parameters), path.name


def test_every_query_is_documented():
    doc = DOCS.read_text(encoding="utf-8")
    for path in sorted(QUERIES.glob("*.sql")):
        h = header(path)
        assert f"## `{h['id']}`" in doc, f"{h['id']} has no section in docs/indicatoren.md"
        section = doc.split(f"## `{h['id']}`", 1)[1].split("\n## ", 1)[0]
        assert h["titel"] in section, f"{h['id']}: titel differs from the SQL header"
        assert f"**Eenheid:** {h['eenheid']}" in section, f"{h['id']}: eenheid differs from the SQL header"
        for kpi in (KPI_ORDER if h["id"].startswith("kpi-") else []):
            assert f"`{kpi}`" in section, f"{h['id']}: kpi {kpi} not documented"


@pytest.mark.parametrize("cases", [[], [casus("E1", "friesland", "2023-02-01")]], ids=["zonder-casussen", "een-casus"])
def test_every_query_runs_on_a_nearly_empty_snapshot(tmp_path, cases):
    """One accepted delivery: every query runs, with default filters and with every filter set."""
    s = Store(tmp_path / "store")
    ingest([write(tmp_path / "friesland_casussen_2023-Q1.csv", CASUS_COLUMNS, cases)], s, dt.date(2023, 4, 5))
    all_filters = Filters(tranche=2, proeftuinen=("friesland",), van="2023-Q1", tot="2023-Q1")
    for figure_id in sorted(registry.load_registry()):
        df = figure_data(figure_id, Filters(), data_dir=s.root).df
        figure_data(figure_id, all_filters, data_dir=s.root)
        figure_data(figure_id, Filters(tranche=1), data_dir=s.root)
        if figure_id == "instroom-per-kwartaal":
            # friesland starts 2023-01-10 -> 2023-Q1; delivery 2023-Q1: one quarter
            assert df.values.tolist() == [["friesland", "2023-Q1", len(cases)]]
        if figure_id == "kpi-per-proeftuin":
            assert len(df) == 11
