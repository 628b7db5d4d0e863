"""The one palette (dashboard/ui/vocab.py): contrast of every entry against the white it is drawn on,
and one look per status everywhere."""

from __future__ import annotations

import pytest

from dashboard.ui import vocab
from dashboard.ui.vocab import contrast


def test_contrast_formula_against_known_pairs():
    # WCAG's extremes, and #777777 on white, the grey just below 4.5:1 that every checker cites.
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast("#777777") == pytest.approx(4.48, abs=0.01)
    assert contrast("#FFFFFF", "#777777") == contrast("#777777", "#FFFFFF")


TEXT_COLOURS = {
    **{f"tranche {t}": c for t, c in vocab.TRANCHE_COLOURS.items()},
    **{f"proeftuin {i + 1}": c for i, c in enumerate(vocab.PROEFTUIN_PALETTE)},
    **{f"status {k}": s.colour for k, s in vocab.STATUSES.items()},
    **{f"thema {k}": s.colour for k, s in vocab.THEMA_STATUSES.items()},
    "grijs tekst": vocab.GRIJS_TEKST,
    "grijs zacht": vocab.GRIJS_ZACHT,
}


@pytest.mark.parametrize("name", sorted(TEXT_COLOURS))
def test_colours_used_for_text_reach_4_5_on_white(name):
    assert contrast(TEXT_COLOURS[name], vocab.BACKGROUND) >= 4.5


@pytest.mark.parametrize("colour", vocab.CATEGORY_PALETTE)
def test_bar_colours_reach_3_on_white(colour):
    assert contrast(colour, vocab.BACKGROUND) >= 3.0


@pytest.mark.parametrize("key", sorted(vocab.LEIDRAAD_STATUSES))
def test_a_leidraad_cell_reaches_4_5_on_its_tint(key):
    assert contrast(vocab.LEIDRAAD_STATUSES[key].colour, vocab.LEIDRAAD_TINTS.get(key, vocab.BACKGROUND)) >= 4.5


@pytest.mark.parametrize("key", sorted(vocab.STATUSES))
def test_a_status_mark_on_its_tile_reaches_4_5(key):
    assert contrast(vocab.MARK_ON_TILE, vocab.STATUSES[key].colour) >= 4.5


def test_every_proeftuin_has_its_own_colour_and_symbol():
    from dashboard.reference import proeftuinen

    codes = [p.code for p in proeftuinen()]
    colours = vocab.proeftuin_colours()
    assert len(codes) == 11
    assert len({colours[c] for c in codes}) == 11
    assert len(set(vocab.PROEFTUIN_SYMBOLS)) == len(vocab.PROEFTUIN_PALETTE) == 11


def test_one_mark_and_colour_per_meaning():
    # Delivered and accepted mean the same on the overview, /iv and /aanleveringen; so do the
    # three kinds of missing. "!" means late and nothing else.
    s = vocab.STATUSES
    assert {s[k].mark for k in ("op_tijd", "geleverd", "geaccepteerd")} == {"✓"}
    assert {s[k].colour for k in ("ontbreekt", "niet_geleverd", "verwijderd")} == {vocab.GRIJS_ZACHT}
    assert [k for k, v in s.items() if v.mark == "!"] == ["te_laat"]
    assert vocab.TRANCHE_COLOURS[1] != vocab.TRANCHE_COLOURS[2]
    # The Leidraad check speaks the deliveries' colours: present is green, missing red or orange.
    leidraad = vocab.LEIDRAAD_STATUSES
    assert leidraad["aanwezig"].colour == s["op_tijd"].colour and leidraad["ontbreekt"].colour == s["afgewezen"].colour
    assert leidraad["ontbreekt-waar-mogelijk"].colour == s["te_laat"].colour


def test_a_tranche_or_proeftuin_the_palette_does_not_know_is_grey():
    assert vocab.tranche_colour(3) == vocab.proeftuin_colour("onbekend") == vocab.GRIJS_ZACHT
    assert vocab.tranche_colour(2) == vocab.TRANCHE_COLOURS[2] and vocab.tranche_label(2) == "Tranche 2"
    assert vocab.proeftuin_short_name("zaanstreek-waterland") == "Zaanstreek"
    assert vocab.proeftuin_short_name("zeeland") == "Zeeland"  # no short name: the full one


def test_css_variables_carry_the_palette():
    variables = vocab.css_variables()
    assert variables["--pm-status-afgewezen"] == vocab.STATUSES["afgewezen"].colour
    assert variables["--pm-tranche-2"] == vocab.TRANCHE_COLOURS[2]
