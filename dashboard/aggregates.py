"""The aggregate tables of a snapshot: what the figure queries read instead of the case rows.

Each name is a view of dashboard/schema.sql (where its definition and its grain are explained).
A published snapshot never changes, so the snapshot build stores each view as a table of the
same name, once; a figure query then costs the same at ten thousand cases as at ten million
(docs/benchmarks.md). The next snapshot starts again from the views of schema.sql.
"""

from __future__ import annotations

import duckdb

# In dependency order: each reads only casussen_actueel, proeftuin_kwartalen and kpi_per_casus.
AGGREGATES = ("kwartaal_tellingen", "kpi_tellingen", "volledigheid_tellingen", "doorlooptijd_verdeling")


def build(con: duckdb.DuckDBPyConnection) -> None:
    """Store every aggregate view as a table of the same name, in the snapshot being built."""
    for view in AGGREGATES:
        con.execute(f"CREATE TABLE {view}__tabel AS SELECT * FROM {view}")
        con.execute(f"DROP VIEW {view}")
        con.execute(f"ALTER TABLE {view}__tabel RENAME TO {view}")
