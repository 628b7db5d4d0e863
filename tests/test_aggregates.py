"""The aggregate tables of a snapshot (dashboard/aggregates.py): stored as tables, holding the
hand-counted numbers, and the only thing the figure queries read of the cases."""

from __future__ import annotations

import datetime as dt
import re

import duckdb

from dashboard.aggregates import AGGREGATES
from dashboard.store import Store
from tests.test_queries import CASUS_COLUMNS, QUERIES, casus, ingest, write


def test_no_figure_query_reads_the_case_rows():
    """Page speed must not depend on the number of cases: a query over casussen, casussen_actueel
    or kpi_per_casus would scan them on every cold view (docs/benchmarks.md)."""
    for path in sorted(QUERIES.glob("*.sql")):
        sql = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        sql = re.sub(r"'[^']*'", "''", sql)  # soort = 'casussen' names a kind of delivery, not the table
        assert not re.search(r"\b(casussen|casussen_actueel|kpi_per_casus)\b", sql), path.name


def test_the_aggregates_are_tables_with_the_hand_counted_numbers(tmp_path):
    # zeeland starts 2021-10-01: quarters 2021-Q4 and 2022-Q1 (the delivery's peildatum 2022-03-31).
    store = Store(tmp_path / "store")
    ingest([write(tmp_path / "zeeland_casussen_2022-Q1.csv", CASUS_COLUMNS, [
        casus("Z1", "zeeland", "2022-03-15", netwerk="ja"),
        casus("Z2", "zeeland", "2021-11-01", start="2021-11-04", afsluiting="2022-01-10",
              uitkomst="veiligheid_hersteld", overdrachten="0", netwerk="nee"),
    ])], store, dt.date(2022, 4, 5))
    con = duckdb.connect(str(store.current_snapshot()), read_only=True)
    try:
        kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall())
        assert {kinds[name] for name in AGGREGATES} == {"BASE TABLE"}
        assert con.execute(
            """SELECT kwartaal, aangemeld, afgesloten, cumulatief_aangemeld, lopend,
                      lopend_met_netwerkdossier, lopend_netwerkdossier
               FROM kwartaal_tellingen ORDER BY kwartaal""").fetchall() == [
            ("2021-Q4", 1, 0, 1, 1, 1, 0),  # Z2 registered and running (netwerkdossier nee)
            ("2022-Q1", 1, 1, 2, 1, 1, 1),  # Z1 registered (ja), Z2 closed 01-10: only Z1 runs
        ]
        assert con.execute(
            """SELECT aanmelding_kwartaal, teller, noemer FROM kpi_tellingen
               WHERE kpi = 'zonder_overdracht' ORDER BY aanmelding_kwartaal""").fetchall() == [
            (dt.date(2021, 10, 1), 1, 1),  # Z2 closed with 0 hand-overs
            (dt.date(2022, 1, 1), 0, 0),   # Z1 still running: in neither
        ]
        assert con.execute(
            "SELECT maat, dagen, aantal FROM doorlooptijd_verdeling ORDER BY maat, dagen").fetchall() == [
            ("afgesloten", 70, 1),  # 2021-11-01 to 2022-01-10: 30 (November) + 31 (December) + 9
            ("tot_start", 3, 1),    # 2021-11-01 to 2021-11-04
        ]
        assert con.execute(
            """SELECT aanmelding_kwartaal, gevuld, totaal FROM volledigheid_tellingen
               WHERE veld = 'aantal_overdrachten' ORDER BY aanmelding_kwartaal""").fetchall() == [
            (dt.date(2021, 10, 1), 1, 1),  # Z2 has 0 filled in
            (dt.date(2022, 1, 1), 0, 1),   # Z1 left it empty
        ]
    finally:
        con.close()
