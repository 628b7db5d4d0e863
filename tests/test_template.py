"""The Excel template and the Table Schema, generated from the contract: filled in they pass the
real validation; the committed schema files are what the code generates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from dashboard import cli, contract, template
from dashboard.ingest import check_file

ROOT = Path(__file__).resolve().parent.parent

# What a region types in, per soort: two rows of valid values, written into the template's cells.
VALID = {
    "casussen": [
        {"casus_id": "FL-1", "proeftuin": "flevoland", "werkgebied": "Almere", "datum_aanmelding": dt.datetime(2024, 4, 2),
         "datum_start_hulp": dt.datetime(2024, 4, 9), "instroomroute": "veilig_thuis", "aantal_minderjarigen": 2,
         "aantal_volwassenen": 1, "vaste_professional": "ja", "werkwijze": "duo", "aantal_overdrachten": 0,
         "leefgebied_wonen": "nee", "kinderbeschermingsmaatregel": "geen"},
        {"casus_id": "FL-2", "proeftuin": "flevoland", "datum_aanmelding": dt.datetime(2024, 5, 20),
         "datum_afsluiting": dt.datetime(2024, 6, 28), "instroomroute": "politie", "aantal_minderjarigen": 0,
         "aantal_volwassenen": 2, "vaste_professional": "nee", "werkwijze": "rvt",
         "kinderbeschermingsmaatregel": "ots", "uitkomst": "deels_hersteld"},
    ],
    "teamleden": [
        {"proeftuin": "flevoland", "team": "RVT", "organisatie": "veilig_thuis", "rol": "jurist", "fte": 0.8,
         "datum_start": dt.datetime(2023, 1, 1)},
        {"proeftuin": "flevoland", "team": "RVT", "organisatie": "ggz", "rol": "spv", "fte": 1,
         "datum_start": dt.datetime(2023, 3, 1), "datum_einde": dt.datetime(2024, 2, 1)},
    ],
    "themas": [
        {"proeftuin": "flevoland", "thema": "netwerkdossier", "status": "lopend", "jaar": 2024},
        {"proeftuin": "flevoland", "thema": "vaste_professional", "status": "gepland", "jaar": 2025},
    ],
}


def _fill(soort: str, rows: list[dict], target: Path) -> Path:
    """The generated template, filled in with openpyxl as a region's script would, saved under `target`."""
    blank = target.with_name("leeg.xlsx")
    blank.write_bytes(template.template_xlsx(soort))
    wb = openpyxl.load_workbook(blank)
    ws = wb.worksheets[0]
    names = [c.value for c in ws[1]]
    for i, row in enumerate(rows, start=2):
        for name, value in row.items():
            ws.cell(row=i, column=names.index(name) + 1, value=value)
    wb.save(target)
    return target


@pytest.mark.parametrize("soort", contract.SOORTEN)
def test_the_template_filled_in_with_valid_rows_passes_validate(soort, tmp_path, capsys):
    path = _fill(soort, VALID[soort], tmp_path / f"flevoland_{soort}_2024-Q2.xlsx")
    assert cli.main(["validate", str(path)]) == 0, capsys.readouterr().out
    result = check_file(path)
    assert result.accepted and result.validation.rows == 2 and result.validation.errors == 0


def test_a_wrong_code_in_the_template_is_rejected_with_its_row_and_column(tmp_path):
    rows = [dict(r) for r in VALID["casussen"]]
    rows[1]["instroomroute"] = "brandweer"  # the second data row: Excel row 3
    result = check_file(_fill("casussen", rows, tmp_path / "flevoland_casussen_2024-Q2.xlsx"))
    assert not result.accepted and result.validation.errors == 1
    [finding] = result.findings
    assert (finding.rij, finding.kolom, finding.waarde) == (3, "instroomroute", "brandweer")


def test_the_template_has_the_columns_rules_and_drop_downs_of_the_contract(tmp_path):
    path = tmp_path / "sjabloon.xlsx"
    assert cli.main(["sjabloon", "--soort", "casussen", "--out", str(path)]) == 0
    wb = openpyxl.load_workbook(path)
    sheet, explanation, codes = wb.worksheets
    assert sheet.title == "casussen" and explanation.title == "Toelichting" and codes.sheet_state == "hidden"
    assert [c.value for c in sheet[1]] == [c.name for c in contract.CASUSSEN]
    # Every header carries its rule; the range of an integer column is in it.
    comment = sheet.cell(row=1, column=8).comment.text
    assert comment.startswith("aantal_minderjarigen: verplicht; geheel getal; 0 t/m 15")
    by_column = {}
    for rule in sheet.data_validations.dataValidation:
        by_column[str(rule.sqref).split(":")[0]] = rule
    instroom = by_column["G2"]  # instroomroute: the 7th column, the 2nd code list (after proeftuin)
    assert instroom.type == "list" and instroom.formula1 == "'Codes'!$B$2:$B$8"
    assert [codes.cell(row=i, column=2).value for i in range(2, 9)] == list(contract.INSTROOMROUTES)
    assert by_column["J2"].type == "list" and by_column["J2"].formula1 == '"ja,nee"'  # vaste_professional
    assert (by_column["H2"].type, by_column["H2"].formula1, by_column["H2"].formula2) == ("whole", "0", "15")
    assert by_column["D2"].type == "date"  # datum_aanmelding
    assert sheet.column_dimensions["D"].number_format == "dd-mm-yyyy"
    # The explanation sheet: one row per column with its rule and codes.
    listed = {explanation.cell(row=r, column=1).value: explanation.cell(row=r, column=5).value
              for r in range(5, 5 + len(contract.CASUSSEN))}
    assert list(listed) == [c.name for c in contract.CASUSSEN]
    assert listed["werkwijze"] == "duo, rvt, lokaal_team"


@pytest.mark.parametrize("soort", contract.SOORTEN)
def test_the_committed_table_schema_is_what_the_code_generates(soort, tmp_path):
    committed = (ROOT / "docs" / "tableschema" / f"{soort}.json").read_text(encoding="utf-8")
    assert committed == template.table_schema_json(soort)
    out = tmp_path / f"{soort}.json"
    assert cli.main(["sjabloon", "--soort", soort, "--formaat", "tableschema", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == committed


def test_the_table_schema_carries_the_constraints_validation_enforces():
    fields = {f["name"]: f for f in template.table_schema("casussen")["fields"]}
    assert template.table_schema("casussen")["primaryKey"] == ["casus_id"]
    assert fields["aantal_minderjarigen"]["type"] == "integer"
    assert fields["aantal_minderjarigen"]["constraints"] == {"required": True, "minimum": 0, "maximum": 15}
    assert fields["werkwijze"]["constraints"]["enum"] == ["duo", "rvt", "lokaal_team"]
    assert fields["datum_aanmelding"]["constraints"]["minimum"] == "2021-01-01"
    assert "required" not in fields.get("uitkomst", {}).get("constraints", {})
    assert "Ja" in fields["vaste_professional"]["trueValues"] and "N" in fields["vaste_professional"]["falseValues"]
    fte = {f["name"]: f for f in template.table_schema("teamleden")["fields"]}["fte"]
    assert fte["constraints"] == {"required": True, "exclusiveMinimum": 0, "maximum": 1}
    themas = json.loads(template.table_schema_json("themas"))
    assert "netwerkdossier" in {f["name"]: f for f in themas["fields"]}["thema"]["constraints"]["enum"]


def test_frictionless_finds_with_the_table_schema_what_the_monitor_finds(tmp_path):
    """The regions' own tool (Frictionless, the CLI's default standard v2) on the generated schema,
    next to the monitor's own check, on real CSV exports."""
    from frictionless import system
    from frictionless import validate as frictionless_validate

    from tests.exportfiles import casus, teamlid, write_csv

    files = {
        "casussen": (write_csv(tmp_path / "flevoland_casussen_2024-Q2.csv",
                               [casus(casus_id="A"), casus(casus_id="B")], style="iso"),
                     write_csv(tmp_path / "flevoland_casussen_2024-Q3.csv",
                               [casus(casus_id="A"), casus(casus_id="B", werkwijze="telefoon"), casus(casus_id="A")],
                               style="iso")),
        "teamleden": (write_csv(tmp_path / "flevoland_teamleden_2024-Q2.csv", [teamlid(), teamlid(fte=1.0)], style="iso"),
                      write_csv(tmp_path / "flevoland_teamleden_2024-Q3.csv", [teamlid(), teamlid(fte=0.0)], style="iso")),
    }
    found = {}
    with system.use_context(trusted=True, standards="v2"):
        for soort, (good, bad) in files.items():
            schema = tmp_path / f"{soort}.json"
            schema.write_text(template.table_schema_json(soort), encoding="utf-8")
            assert frictionless_validate(str(good), schema=str(schema)).valid, soort
            report = frictionless_validate(str(bad), schema=str(schema))
            found[soort] = sorted((e.row_number, e.field_name) for t in report.tasks for e in t.errors
                                  if e.type != "primary-key")
    # Rows as Excel counts them (the header is row 1): the wrong code in row 3, the repeated id in row 4.
    assert found == {"casussen": [(3, "werkwijze"), (4, "casus_id")], "teamleden": [(3, "fte")]}
    for soort, (good, bad) in files.items():
        assert check_file(good).accepted
        assert sorted((f.rij, f.kolom) for f in check_file(bad).findings) == found[soort]
