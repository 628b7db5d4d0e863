"""Clicking through (dashboard/ui/links.py): which points and table cells lead where.

Expected links are written out by hand from the view: a proeftuin link keeps van/tot and
presentation mode only; a quarter link is the same page ('?…') with van = tot = that quarter and
every other filter and toggle kept.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html

from dashboard.figuredata import Filters
from dashboard.ui import links as ui_links
from dashboard.ui.tables import data_table
from dashboard.ui.view import View

VIEW = View(filters=Filters(tranche=2, proeftuinen=("flevoland", "friesland"), van="2024-Q1", tot="2025-Q4"),
            extra={"tijd": "kalender"}, defaults={"tijd": "leeftijd"})


def links(fig: go.Figure) -> list:
    return [(t.meta or {}).get("pm_links") for t in fig.data]


def test_a_trace_named_after_a_proeftuin_leads_to_its_page_for_the_same_period():
    fig = go.Figure([go.Scatter(x=["2024-Q1", "2024-Q2"], y=[1, 2], name="Flevoland")])
    assert ui_links.link_figure(fig, VIEW)
    assert links(fig) == [{"trace": "/proeftuin/flevoland?van=2024-Q1&tot=2025-Q4"}]


def test_points_named_in_their_hover_data_lead_to_their_own_proeftuin():
    # One trace for a tranche, its proeftuinen separated by a gap (None) with empty hover data.
    custom = [("Friesland", "2024-Q1"), ("Friesland", "2024-Q2"), ("", ""), ("Hart van Brabant", "2024-Q1")]
    fig = go.Figure([go.Scatter(x=[1, 2, None, 1], y=[3, 4, None, 5], customdata=custom, name="Tranche 2")])
    assert ui_links.link_figure(fig, VIEW)
    assert links(fig) == [{"points": ["/proeftuin/friesland?van=2024-Q1&tot=2025-Q4",
                                      "/proeftuin/friesland?van=2024-Q1&tot=2025-Q4", None,
                                      "/proeftuin/hart-van-brabant?van=2024-Q1&tot=2025-Q4"]}]


def test_a_heatmap_row_of_proeftuinen_wins_over_its_quarter_columns():
    fig = go.Figure([go.Heatmap(x=["2024-Q1", "2024-Q2"], y=["Zeeland", "West-Brabant West"], z=[[1, 2], [3, 4]])])
    ui_links.link_figure(fig, VIEW)
    assert links(fig) == [{"y": {"Zeeland": "/proeftuin/zeeland?van=2024-Q1&tot=2025-Q4",
                                 "West-Brabant West": "/proeftuin/west-brabant-west?van=2024-Q1&tot=2025-Q4"}}]


def test_quarter_bars_lead_to_that_quarters_view_of_the_same_page():
    fig = go.Figure([go.Bar(x=["2024-Q4", "2025-Q1"], y=[7, 8], name="Tranche 2")])
    ui_links.link_figure(fig, VIEW)
    # Everything kept (tranche, proeftuinen, the toggle), only the period narrowed to the quarter.
    assert links(fig) == [{"x": {
        "2024-Q4": "?tranche=2&proeftuinen=flevoland,friesland&van=2024-Q4&tot=2024-Q4&tijd=kalender",
        "2025-Q1": "?tranche=2&proeftuinen=flevoland,friesland&van=2025-Q1&tot=2025-Q1&tijd=kalender"}}]


def test_an_axis_of_proeftuin_codes_links_like_one_of_names():
    fig = go.Figure([go.Scatter(x=["zeeland", "utrecht"], y=["Thema A", "Thema B"], mode="markers")])
    ui_links.link_figure(fig, View())
    assert links(fig) == [{"x": {"zeeland": "/proeftuin/zeeland", "utrecht": "/proeftuin/utrecht"}}]
    rows = go.Figure([go.Bar(y=["utrecht", "utrecht|Noord"], x=[1, 2], orientation="h")])
    ui_links.link_figure(rows, View())
    assert links(rows) == [{"y": {"utrecht": "/proeftuin/utrecht", "utrecht|Noord": "/proeftuin/utrecht"}}]


def test_presentation_mode_is_kept_and_soft_hyphens_do_not_hide_a_name():
    view = View(presentatie=True)
    fig = go.Figure([go.Bar(y=["Zaan\u00adstreek-Waterland"], x=[1], orientation="h")])
    ui_links.link_figure(fig, view)
    assert links(fig) == [{"y": {"Zaan\u00adstreek-Waterland": "/proeftuin/zaanstreek-waterland?presentatie=1"}}]


def test_nothing_to_click_stays_unlinked_and_the_own_proeftuin_is_not_a_link():
    themes = go.Figure([go.Bar(x=["Thema A", "Thema B"], y=[1, 2]), go.Scatter(x=[1, 2], y=[3, 4])])
    assert not ui_links.link_figure(themes, VIEW)
    assert links(themes) == [None, None]
    own = go.Figure([go.Bar(x=["2024-Q1"], y=[1], name="Utrecht")])
    # On Utrecht's own page its bars are quarters: they lead to the quarter, not to Utrecht again.
    ui_links.link_figure(own, View(), own="utrecht")
    assert links(own) == [{"x": {"2024-Q1": "?van=2024-Q1&tot=2024-Q1"}}]


def markdown_of(table) -> str:
    return next(c for c in table.children if isinstance(c, dcc.Markdown)).children


def test_a_table_with_one_row_per_proeftuin_links_the_names():
    df = pd.DataFrame({"proeftuin": ["utrecht", "zeeland"], "waarde": [1, 2]})
    table = data_table(df, links=View(filters=Filters(van="2025-Q1")))
    lines = markdown_of(table).split("\n")
    assert lines[2] == "| [Utrecht](/proeftuin/utrecht?van=2025-Q1) | 1 |"
    assert lines[3] == "| [Zeeland](/proeftuin/zeeland?van=2025-Q1) | 2 |"
    assert not any(isinstance(c, html.Nav) for c in table.children)


def test_a_table_repeating_proeftuinen_lists_each_once_under_it():
    df = pd.DataFrame({"proeftuin": ["utrecht", "utrecht", "zeeland"],
                       "kwartaal": ["2025-Q1", "2025-Q2", "2025-Q1"], "n": [1, 2, 3]})
    table = data_table(df, links=View())
    assert "](" not in markdown_of(table)  # no link per cell: 3 rows would be 3 tab stops each
    nav = next(c for c in table.children if isinstance(c, html.Nav))
    items = nav.children.children
    found = [[(link.children, link.href) for link in item.children if isinstance(link, dcc.Link)] for item in items]
    assert found == [[("Utrecht", "/proeftuin/utrecht"), ("Zeeland", "/proeftuin/zeeland")],
                     [("2025-Q1", "?van=2025-Q1&tot=2025-Q1"), ("2025-Q2", "?van=2025-Q2&tot=2025-Q2")]]


def test_without_a_view_a_table_has_no_links():
    df = pd.DataFrame({"proeftuin": ["utrecht"], "n": [1]})
    table = data_table(df)
    assert markdown_of(table).split("\n")[2] == "| Utrecht | 1 |"
