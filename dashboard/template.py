"""The export format as files for the regions, generated from dashboard.contract.

``template_xlsx``: an Excel template to fill in (one sheet with the columns in order, a comment
per header with its rule, data validation, dates as dates; a sheet "Toelichting"). ``table_schema``:
the same format as a Frictionless Table Schema (JSON) for the regions' own tools. Both read the
columns, codes and ranges that validation enforces, so neither can drift from it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from . import contract
from .contract import Column

FORMATS = ("xlsx", "tableschema")
# Data validation reaches every row Excel has; empty cells stay empty, so nothing is read from them.
LAST_ROW = 1_048_575
CODES_SHEET = "Codes"
EXPLANATION_SHEET = "Toelichting"
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "docs" / "tableschema"
TABLE_SCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
EXCEL_MESSAGE_MAX = 255  # Excel refuses longer input and error messages

_TITLE_MAX = 32


def template_name(soort: str, fmt: str = "xlsx") -> str:
    """The file name offered for a template: 'sjabloon_casussen_v1.xlsx' or 'casussen.json'."""
    return f"{soort}.json" if fmt == "tableschema" else f"sjabloon_{soort}_v{contract.FORMAT_VERSION}.xlsx"


def _short(text: str, limit: int = EXCEL_MESSAGE_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _validation(col: Column, code_range: str | None, cell: str) -> dict | None:
    """Excel's data validation for one column, or None where Excel has none to offer."""
    rule = contract.rule_text(col, list_codes=False)
    base = {"input_title": _short(col.name, _TITLE_MAX), "input_message": _short(rule),
            "error_title": "Ongeldige waarde", "error_message": _short(f"{col.name}: {rule}"), "error_type": "stop"}
    if col.kind == "code" and code_range:
        return {**base, "validate": "list", "source": code_range}
    if col.kind == "janee":
        return {**base, "validate": "list", "source": list(contract.JA_NEE)}
    if col.kind == "int" and col.min is not None:
        return {**base, "validate": "integer", "criteria": "between", "minimum": int(col.min), "maximum": int(col.max)}
    if col.kind == "decimal" and col.min is not None:
        # The contract's decimal minimum is excluded (fte > 0), which 'between' cannot say.
        return {**base, "validate": "custom",
                "value": f"=AND(ISNUMBER({cell}),{cell}>{col.min},{cell}<={col.max})"}
    if col.kind == "date":
        earliest = col.min_date or contract.EARLIEST_DATE
        return {**base, "validate": "date", "criteria": ">=", "value": dt.datetime.combine(earliest, dt.time())}
    if col.kind == "text" and col.max_length:
        return {**base, "validate": "length", "criteria": "between", "minimum": 1, "maximum": col.max_length}
    return None


def _write_template(workbook: xlsxwriter.Workbook, soort: str) -> None:
    columns = contract.COLUMNS[soort]
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date = workbook.add_format({"num_format": "dd-mm-yyyy"})
    text = workbook.add_format({"num_format": "@"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    bold = workbook.add_format({"bold": True})

    # The sheet to fill in comes first: validation reads the first sheet of an XLSX.
    sheet = workbook.add_worksheet(soort)
    explanation = workbook.add_worksheet(EXPLANATION_SHEET)
    codes = workbook.add_worksheet(CODES_SHEET)
    code_ranges: dict[str, str] = {}
    code_col = 0
    for col in columns:
        values = contract.allowed_codes(col)
        if col.kind != "code" or not values:
            continue
        codes.write_string(0, code_col, col.name, bold)
        for i, value in enumerate(values, start=1):
            codes.write_string(i, code_col, value)
        letter = xl_col_to_name(code_col)
        code_ranges[col.name] = f"='{CODES_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
        code_col += 1
    codes.hide()

    for j, col in enumerate(columns):
        sheet.write_string(0, j, col.name, header)
        sheet.write_comment(0, j, f"{col.name}: {contract.rule_text(col)}", {"x_scale": 3, "y_scale": 2.5})
        width = max(14, len(col.name) + 2)
        sheet.set_column(j, j, width, date if col.kind == "date" else text if col.kind in ("text", "code", "janee")
                         else None)
        rule = _validation(col, code_ranges.get(col.name), f"{xl_col_to_name(j)}2")
        if rule is not None:
            sheet.data_validation(1, j, LAST_ROW, j, rule)
    sheet.freeze_panes(1, 0)

    explanation.set_column(0, 0, 28)
    explanation.set_column(1, 1, 30)
    explanation.set_column(2, 2, 12)
    explanation.set_column(3, 4, 60, wrap)
    explanation.write_string(0, 0, f"Exportformaat v{contract.FORMAT_VERSION}: {soort}", bold)
    explanation.write_string(
        1, 0, "Vul het eerste blad in, één rij per regel, en sla het bestand op als "
              f"<proeftuin>_{soort}_<jjjj>-Q<k>.xlsx (bijvoorbeeld flevoland_{soort}_2026-Q3.xlsx).")
    for j, title in enumerate(("kolom", "type", "verplicht", "regel", "toegestane codes")):
        explanation.write_string(3, j, title, header)
    for i, col in enumerate(columns, start=4):
        explanation.write_string(i, 0, col.name)
        explanation.write_string(i, 1, contract.KIND_LABELS[col.kind])
        explanation.write_string(i, 2, "ja" if col.required else "nee")
        explanation.write_string(i, 3, contract.rule_text(col, list_codes=False))
        allowed = contract.allowed_codes(col) or (contract.JA_NEE if col.kind == "janee" else ())
        explanation.write_string(i, 4, ", ".join(allowed))


def template_xlsx(soort: str) -> bytes:
    """The Excel template of one soort, as the bytes of an .xlsx file."""
    if soort not in contract.SOORTEN:
        raise ValueError(f"onbekende soort '{soort}'; bekend zijn: {', '.join(contract.SOORTEN)}")
    buf = io.BytesIO()
    workbook = xlsxwriter.Workbook(buf, {"in_memory": True})
    # A fixed creation date: the same format gives the same file.
    workbook.set_properties({"title": f"Sjabloon {soort} (exportformaat v{contract.FORMAT_VERSION})",
                             "created": dt.datetime(2021, 1, 1)})
    _write_template(workbook, soort)
    workbook.close()
    return buf.getvalue()


def _with_cases(values: tuple[str, ...]) -> list[str]:
    """Every spelling validation accepts: it compares lower-cased, a schema compares exactly."""
    out: list[str] = []
    for v in values:
        for form in (v, v.capitalize(), v.upper()):
            if form not in out:
                out.append(form)
    return out


def _field(col: Column, soort: str) -> dict:
    field = {"name": col.name, "type": "string", "description": contract.rule_text(col)}
    constraints: dict = {"required": True} if col.required else {}
    if col.kind == "code":
        constraints["enum"] = list(contract.allowed_codes(col))
    elif col.kind == "text" and col.max_length:
        constraints["maxLength"] = col.max_length
    elif col.kind == "date":
        field.update(type="date", format="default")
        if col.min_date:
            constraints["minimum"] = col.min_date.isoformat()
    elif col.kind == "int":
        field["type"] = "integer"
        if col.min is not None:
            constraints.update(minimum=int(col.min), maximum=int(col.max))
    elif col.kind == "decimal":
        field["type"] = "number"
        if col.min is not None:
            constraints.update(exclusiveMinimum=col.min, maximum=col.max)
    elif col.kind == "janee":
        field.update(type="boolean", trueValues=_with_cases(contract.JA), falseValues=_with_cases(contract.NEE))
    if col.name == "casus_id" and soort == "casussen":
        constraints["unique"] = True
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(soort: str) -> dict:
    """The format of one soort as a Frictionless Table Schema."""
    if soort not in contract.SOORTEN:
        raise ValueError(f"onbekende soort '{soort}'; bekend zijn: {', '.join(contract.SOORTEN)}")
    schema = {
        # Version 2 of the specification: it has exclusiveMinimum (fte > 0).
        "$schema": TABLE_SCHEMA_PROFILE,
        "title": f"Proeftuinmonitor exportformaat v{contract.FORMAT_VERSION}: {soort}",
        "description": ("Gegenereerd uit dashboard/contract.py. Codes en datums (jjjj-mm-dd) staan hier in "
                        "hun strengste vorm; de Proeftuinmonitor accepteert ook de varianten uit "
                        "docs/export-format.md (bijvoorbeeld dd-mm-jjjj en een decimale komma)."),
        "fields": [_field(c, soort) for c in contract.COLUMNS[soort]],
        # As the monitor reads a file: columns in any order, unknown ones ignored, optional ones may be left out.
        "fieldsMatch": "partial",
        "missingValues": [""],
    }
    if soort == "casussen":
        schema["primaryKey"] = ["casus_id"]
    return schema


def table_schema_json(soort: str) -> str:
    """The Table Schema as the text written to docs/tableschema/<soort>.json."""
    return json.dumps(table_schema(soort), ensure_ascii=False, indent=2) + "\n"


def template_bytes(soort: str, fmt: str = "xlsx") -> bytes:
    """The template (xlsx) or the Table Schema (tableschema) of one soort, as file bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"onbekend formaat '{fmt}'; kies xlsx of tableschema")
    return template_xlsx(soort) if fmt == "xlsx" else table_schema_json(soort).encode("utf-8")
