"""The slides of the presentation, in order: (title, builder), where builder(view) returns the
slide's content in presentation mode.

Importable anywhere (no page registers itself here): /presentatie draws one slide per URL, and
any other rendering of the sequence can iterate over SLIDES with a presentation-mode View.
To add a slide, add a pair here; its builder belongs in the figures module of its page.
"""

from __future__ import annotations

from collections.abc import Callable

from dashboard.figures import iv, overzicht, themas, tranches
from dashboard.ui.view import View

# The programme's story: overview, tranche comparison, themes, IV.
SLIDES: list[tuple[str, Callable[[View], object]]] = [
    ("Het programma in cijfers", overzicht.kpi_section),
    ("Aanmeldingen per kwartaal, per tranche", overzicht.instroom_card),
    ("De tranches op gelijke leeftijd", tranches.leeftijd_card),
    ("Kerncijfers: spreiding over de proeftuinen per tranche", tranches.spreiding_card),
    ("Thema's: waar de proeftuinen aan werken", themas.aantal_card),
    ("Informatievoorziening", iv.netwerkdossier_card),
]
