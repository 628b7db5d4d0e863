"""Writing real export files for tests, in the variants the export format allows."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter


def casus(**overrides) -> dict:
    """A valid casussen row for flevoland in 2024-Q2; override any field."""
    row = {
        "casus_id": "FL-0001",
        "proeftuin": "flevoland",
        "werkgebied": "Dronten",
        "datum_aanmelding": dt.date(2024, 4, 2),
        "datum_start_hulp": dt.date(2024, 4, 10),
        "datum_afsluiting": None,
        "instroomroute": "veilig_thuis",
        "aantal_minderjarigen": 2,
        "aantal_volwassenen": 1,
        "vaste_professional": True,
        "werkwijze": "duo",
        "aantal_overdrachten": 0,
        "leefgebied_financien": True,
        "leefgebied_wonen": False,
        "leefgebied_zorg": True,
        "leefgebied_gezin": True,
        "leefgebied_werk": None,
        "verklarende_analyse": True,
        "netwerkdossier": False,
        "kinderbeschermingsmaatregel": "geen",
        "uitkomst": None,
    }
    row.update(overrides)
    return row


def teamlid(**overrides) -> dict:
    row = {"proeftuin": "flevoland", "team": "RVT Dronten", "organisatie": "veilig_thuis",
           "rol": "gezinsprofessional", "fte": 0.8, "datum_start": dt.date(2023, 1, 1), "datum_einde": None}
    row.update(overrides)
    return row


def thema(**overrides) -> dict:
    row = {"proeftuin": "flevoland", "thema": "verklarende_analyse", "status": "lopend", "jaar": 2024}
    row.update(overrides)
    return row


def _text(value, style: str) -> str:
    """How a Dutch Excel ('nl'), a Windows export ('win') or a system ('iso') writes a value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return {"nl": "ja" if value else "nee", "win": "J" if value else "N", "iso": "true" if value else "false"}[style]
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y") if style in ("nl", "win") else value.isoformat()
    if isinstance(value, float):
        return str(value).replace(".", ",") if style in ("nl", "win") else str(value)
    return str(value)


def write_csv(path: Path, rows: list[dict], *, style: str = "nl", columns: list[str] | None = None,
              raw: list[list[str]] | None = None) -> Path:
    """style nl: UTF-8 BOM, ';', dd-mm-jjjj, decimal comma, CRLF; win: Windows-1252, ';';
    iso: UTF-8 without BOM, ',', ISO dates, true/false."""
    columns = columns or list(rows[0].keys())
    delim = "," if style == "iso" else ";"
    encoding = {"nl": "utf-8-sig", "win": "cp1252", "iso": "utf-8"}[style]
    with open(path, "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=delim, lineterminator="\r\n" if style != "iso" else "\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([_text(r.get(c), style) for c in columns])
        for extra in raw or []:
            w.writerow(extra)
    return path


def write_xlsx(path: Path, rows: list[dict], *, columns: list[str] | None = None) -> Path:
    """Excel with real date cells and numbers, ja/nee as text."""
    columns = columns or list(rows[0].keys())
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Blad1")
    date_fmt = wb.add_format({"num_format": "dd-mm-yyyy"})
    for j, c in enumerate(columns):
        ws.write_string(0, j, c)
    for i, r in enumerate(rows, start=1):
        for j, c in enumerate(columns):
            v = r.get(c)
            if v is None:
                continue
            if isinstance(v, bool):
                ws.write_string(i, j, "ja" if v else "nee")
            elif isinstance(v, dt.date):
                ws.write_datetime(i, j, dt.datetime.combine(v, dt.time()), date_fmt)
            elif isinstance(v, (int, float)):
                ws.write_number(i, j, v)
            else:
                ws.write_string(i, j, v)
    wb.close()
    return path


def write_parquet(path: Path, rows: list[dict], *, columns: list[str] | None = None) -> Path:
    """Parquet with native types: DATE, BOOLEAN, INT64, DOUBLE, STRING."""
    columns = columns or list(rows[0].keys())
    pq.write_table(pa.table({c: [r.get(c) for r in rows] for c in columns}), path)
    return path


def write_big_csv(path: Path, n_rows: int, proeftuin: str = "utrecht", peildatum: str = "2026-09-30") -> Path:
    """A valid Dutch Excel CSV of n_rows cases, written by DuckDB (fast enough for millions)."""
    import duckdb

    con = duckdb.connect()
    con.execute(
        f"""
        COPY (
          SELECT 'C-' || lpad(CAST(i AS VARCHAR), 8, '0') AS casus_id,
                 '{proeftuin}' AS proeftuin,
                 CASE WHEN i % 3 = 0 THEN 'Noord' ELSE '' END AS werkgebied,
                 strftime(DATE '2021-01-01' + CAST(i % 2000 AS INTEGER), '%d-%m-%Y') AS datum_aanmelding,
                 CASE WHEN i % 5 = 0 THEN '' ELSE strftime(DATE '2021-01-01' + CAST(i % 2000 + 7 AS INTEGER), '%d-%m-%Y') END
                     AS datum_start_hulp,
                 CASE WHEN i % 2 = 0 THEN strftime(DATE '2021-01-01' + CAST(i % 2000 + 30 AS INTEGER), '%d-%m-%Y') ELSE '' END
                     AS datum_afsluiting,
                 ['veilig_thuis','lokaal_team','politie','overig'][1 + i % 4] AS instroomroute,
                 CAST(i % 5 AS VARCHAR) AS aantal_minderjarigen,
                 CAST(1 + i % 3 AS VARCHAR) AS aantal_volwassenen,
                 CASE WHEN i % 7 = 0 THEN 'nee' ELSE 'ja' END AS vaste_professional,
                 ['duo','rvt','lokaal_team'][1 + i % 3] AS werkwijze,
                 CAST(i % 3 AS VARCHAR) AS aantal_overdrachten,
                 CASE WHEN i % 2 = 0 THEN 'ja' ELSE 'nee' END AS leefgebied_financien,
                 CASE WHEN i % 3 = 0 THEN 'ja' ELSE 'nee' END AS leefgebied_wonen,
                 'ja' AS leefgebied_zorg, 'nee' AS leefgebied_gezin, '' AS leefgebied_werk,
                 CASE WHEN i % 4 = 0 THEN 'ja' ELSE 'nee' END AS verklarende_analyse,
                 CASE WHEN i % 6 = 0 THEN 'j' ELSE 'n' END AS netwerkdossier,
                 ['geen','geen','geen','ots'][1 + i % 4] AS kinderbeschermingsmaatregel,
                 CASE WHEN i % 2 = 0 THEN 'veiligheid_hersteld' ELSE '' END AS uitkomst
          FROM range(?) t(i)
        ) TO '{path}' (HEADER, DELIMITER ';')
        """,
        [n_rows],
    )
    con.close()
    assert peildatum >= "2026-08-31"  # the latest date written is 2021-01-01 + 2029 days
    return path
