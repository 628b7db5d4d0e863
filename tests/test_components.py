"""Shared page parts without a browser: the table view of figure data."""

from __future__ import annotations

import pandas as pd
from dash import dcc

from dashboard.components import data_table


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
