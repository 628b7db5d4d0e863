"""Shared page parts without a browser: the table view of figure data."""

from __future__ import annotations

import pandas as pd
from dash import dcc

from dashboard.ui.tables import data_table


def markdown_of(table) -> str:
    body = [c for c in table.children if isinstance(c, dcc.Markdown)]
    assert len(body) == 1
    return body[0].children


def test_table_view_is_one_markdown_table_with_dutch_cells():
    df = pd.DataFrame({
        "proeftuin": ["utrecht", "zeeland"],
        "kpi": ["vaste_professional", "maatregel"],
        "titel": ["Vaste professional", "A|B *C* <x> & [y]"],
        "status": ["op_tijd", "te_laat"],
        "teller": [1235, "<5"],
        "waarde": [91.5, None],
    })
    table = data_table(df, caption="Kerncijfers")
    assert table.children[0].children == "Kerncijfers"
    lines = markdown_of(table).split("\n")
    # The kpi code goes where its label is next to it; numbers right-aligned ('---:'), '<5' counts too.
    assert lines[0] == "| Proeftuin | Titel | Status | Teller | Waarde |"
    assert lines[1] == "| --- | --- | --- | ---: | ---: |"
    # Proeftuin names, codes readable, Dutch numbers, '<5' and '–' as the CSV's reader sees them,
    # and everything that would start Markdown escaped.
    assert lines[2] == "| Utrecht | Vaste professional | op tijd | 1.235 | 91,5 |"
    assert lines[3] == r"| Zeeland | A\|B \*C\* \<x\> \& \[y\] | te laat | \<5 | – |"
    assert len(lines) == 4


def test_table_view_keeps_the_columns_it_is_given():
    df = pd.DataFrame({"kpi": ["a"], "titel": ["T"], "n": [3]})
    lines = markdown_of(data_table(df, {"kpi": "Code", "n": "Aantal"})).split("\n")
    assert lines[0] == "| Code | Aantal |" and lines[2] == "| a | 3 |"


def test_end_labels_push_close_labels_apart_by_one_line_of_text():
    from dashboard.ui.charts import END_LABEL, end_labels

    # 100 px for a range of 100: one line of 10 px text (x 1.25) is 12.5 units.
    ends = [(10, 5.5, "B", "#000000"), (10, 50, "C", "#111111"), (10, 5, "A", "#222222")]
    labels = end_labels(ends, y_range=(0, 100), plot_px=100, font_size=10)
    assert [(a["text"], a["y"]) for a in labels] == [("A", 5), ("B", 17.5), ("C", 50)]
    assert {a["name"] for a in labels} == {END_LABEL}
    assert [a["font"]["color"] for a in labels] == ["#222222", "#000000", "#111111"]


def test_end_labels_stay_below_the_top_of_the_axis():
    from dashboard.ui.charts import end_labels

    # 95 and 96 would be pushed to 107.5: the top one goes to 100, the other one line below it.
    labels = end_labels([(1, 95, "A", "#000000"), (1, 96, "B", "#000000")], y_range=(0, 100), plot_px=100,
                        font_size=10)
    assert [a["y"] for a in labels] == [87.5, 100]


def test_scroll_region_is_focusable_and_named():
    from dash import html

    from dashboard.ui.tables import scroll_region

    region = scroll_region(html.Table([]), "Leidraad")
    assert (region.tabIndex, region.role) == (0, "region")
    assert region.to_plotly_json()["props"]["aria-label"] == "Leidraad"


def test_year_axis_labels_each_first_quarter_with_its_year():
    from dashboard.ui.charts import year_axis

    axis = year_axis(["2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2", "2025-Q1"])
    assert axis["tickvals"] == ["2024-Q1", "2025-Q1"] and axis["ticktext"] == ["2024", "2025"]
    assert axis["categoryarray"] == ["2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2", "2025-Q1"]
    # Without a first quarter the first quarter present carries its year.
    assert year_axis(["2023-Q3", "2023-Q4"])["ticktext"] == ["2023"]


def test_number_leaves_protected_and_missing_cells_out():
    from dashboard.ui.charts import number

    assert number(12) == 12.0 and number(0) == 0.0
    assert number("<5") is None and number(None) is None and number(float("nan")) is None
    assert number(pd.NA) is None


def test_to_date_reads_every_stored_form():
    import datetime as dt

    from dashboard.ui.format import to_date

    assert to_date(pd.Timestamp("2022-11-01 13:45")) == dt.date(2022, 11, 1)
    assert to_date(dt.date(2021, 10, 1)) == dt.date(2021, 10, 1)
    assert to_date(None) is None and to_date(pd.NaT) is None
