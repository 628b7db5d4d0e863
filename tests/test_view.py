"""The view in the URL (dashboard.ui.view): parsing, validation, the canonical query string."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.figuredata import Filters
from dashboard.ui.data import previous_quarter
from dashboard.ui.format import first_sentence, format_cell
from dashboard.ui.kpi import change_text
from dashboard.ui.view import View, parse_search, search_for_controls, view_from_query

EXTRA = {"tijd": ("leeftijd", "kalender")}


def test_round_trip_of_a_full_view():
    view = View(
        filters=Filters(tranche=2, proeftuinen=("flevoland", "friesland"), van="2023-Q1", tot="2024-Q4"),
        extra={"tijd": "kalender"},
        presentatie=True,
    )
    query = view.to_query()
    assert query == "tranche=2&proeftuinen=flevoland,friesland&van=2023-Q1&tot=2024-Q4&tijd=kalender&presentatie=1"
    assert view_from_query(parse_search("?" + query), EXTRA) == view


def test_default_view_has_an_empty_query():
    view = view_from_query({}, EXTRA)
    assert view == View(filters=Filters(), extra={"tijd": "leeftijd"}, presentatie=False)
    assert view.to_query() == "" and view.search == "" and view.href("/tranches") == "/tranches"


def test_canonical_form_sorts_and_normalises():
    view = view_from_query({"proeftuinen": "zeeland,FoodValley,zeeland", "van": "2024-q2", "tot": "2023-Q1",
                            "tranche": "alle", "tijd": "leeftijd"}, EXTRA)
    # codes sorted and deduplicated; quarters upper case; from after to is read as swapped;
    # 'alle' and a default toggle are left out
    assert view.to_query() == "proeftuinen=foodvalley,zeeland&van=2023-Q1&tot=2024-Q2"


def test_repeated_proeftuinen_parameters_are_accepted():
    query = parse_search("?proeftuinen=zeeland&proeftuinen=utrecht")
    assert query == {"proeftuinen": ["zeeland", "utrecht"]}
    assert view_from_query(query).filters.proeftuinen == ("utrecht", "zeeland")


@pytest.mark.parametrize(
    "query",
    [
        {"tranche": "1; DROP TABLE casussen"},
        {"tranche": "3"},
        {"tranche": ["1", "2"]},
        {"proeftuinen": "onbekend"},
        {"proeftuinen": "zeeland'); DROP TABLE leveringen; --"},
        {"van": "2023-Q5"},
        {"van": "2023-Q1' OR '1'='1"},
        {"tot": "1999-Q1"},
        {"tot": ["2023-Q1", "2024-Q1"]},
        {"presentatie": "true"},
        {"tijd": "'; SELECT 1; --"},
        {"onbekend": "x"},
        {"van": "2023-Q1" * 1000},
    ],
)
def test_bad_values_are_ignored(query):
    view = view_from_query(query, EXTRA)
    assert view == View(filters=Filters(), extra={"tijd": "leeftijd"})
    assert view.to_query() == ""
    view.filters.checked()  # never raises: nothing ill-formed reaches a query


def test_unknown_codes_are_dropped_known_ones_kept():
    view = view_from_query({"proeftuinen": "zeeland,'; DROP TABLE x; --,bestaat-niet,utrecht"})
    assert view.filters.proeftuinen == ("utrecht", "zeeland")


def test_proeftuinen_outside_the_chosen_tranche_are_dropped():
    # flevoland is tranche 2, zeeland tranche 1
    assert view_from_query({"tranche": "1", "proeftuinen": "flevoland,zeeland"}).filters.proeftuinen == ("zeeland",)


def test_page_toggles_may_not_reuse_filter_names():
    with pytest.raises(ValueError):
        view_from_query({}, {"tranche": ("a", "b")})


def test_controls_become_a_canonical_search():
    names = ["tranche", "proeftuinen", "van", "tot"]
    assert search_for_controls(names, ["alle", [], None, None], "/", "?tranche=1") == ""
    assert search_for_controls(names, ["1", ["zeeland", "foodvalley"], "2023-Q1", None], "/", "") == \
        "?tranche=1&proeftuinen=foodvalley,zeeland&van=2023-Q1"
    # presentatie and unknown parameters of the current URL: the first kept, the second dropped
    assert search_for_controls(["tranche"], ["2"], "/", "?presentatie=1&x=1") == "?tranche=2&presentatie=1"


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(
    st.sampled_from(["tranche", "proeftuinen", "van", "tot", "presentatie", "tijd", "x"]),
    st.one_of(st.text(max_size=40), st.lists(st.text(max_size=20), max_size=3),
              st.sampled_from(["1", "2", "2023-Q1", "2025-Q4", "zeeland,utrecht", "kalender"])),
))
def test_any_query_gives_a_valid_view_and_a_stable_canonical_form(query):
    view = view_from_query(query, EXTRA)
    view.filters.checked()
    again = view_from_query(parse_search(view.search), EXTRA)
    assert again == view and again.to_query() == view.to_query()


def test_helpers():
    assert previous_quarter("2026-Q3") == "2026-Q2" and previous_quarter("2026-Q1") == "2025-Q4"
    assert change_text(63.4, 62.2, "2026-Q2") == "+1,2 pp t.o.v. 2026-Q2"
    assert change_text(5.0, 6.5, "2026-Q2") == "−1,5 pp t.o.v. 2026-Q2"
    assert change_text(5.0, 5.0, "2026-Q2") == "±0,0 pp t.o.v. 2026-Q2"
    assert change_text("<5", 6.5, "2026-Q2") is None and change_text(5.0, None, "2026-Q2") is None
    assert [format_cell(v) for v in (1234, 63.4, 0.125, None, "<5", True, float("nan"))] == \
        ["1.234", "63,4", "0,125", "–", "<5", "ja", "–"]
    assert first_sentence("Aantal casussen. Elk kwartaal een rij.") == "Aantal casussen."
