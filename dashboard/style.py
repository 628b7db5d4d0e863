"""Colours, the plotly template and Dutch number formatting shared by all pages.

Colours come from the Okabe-Ito palette, which stays distinguishable for the common forms of
colour blindness. A tranche and a proeftuin keep the same colour on every page, so a steering
group learns them once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# The one palette of the dashboard. Every colour here is used on white (BACKGROUND): as text it
# needs 4.5:1, as a line, bar or mark 3:1 (WCAG 1.4.3, 1.4.11); tests/test_palette.py computes
# both for every entry. The hues follow Okabe & Ito (2008) and Paul Tol's schemes, darkened
# until they pass, so they stay apart for the common forms of colour blindness; where colour
# would carry meaning alone there is a mark (symbol, line style, ✓/✗) or a direct label too.
BACKGROUND = "#FFFFFF"

TRANCHE_COLOURS: dict[int, str] = {1: "#0072B2", 2: "#A65400"}  # Okabe-Ito blue; orange, darkened
TRANCHE_SYMBOLS: dict[int, str] = {1: "circle", 2: "diamond"}
TRANCHE_DASHES: dict[int, str] = {1: "solid", 2: "dash"}

# Eleven proeftuinen, in the order of the reference file (tranche 1 first), each with a colour
# and a marker symbol of its own; charts with a line per proeftuin label the lines directly.
PROEFTUIN_PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#117733",  # green (Tol)
    "#882255",  # wine (Tol)
    "#332288",  # indigo (Tol)
    "#00696B",  # teal, darkened
    "#8C510A",  # brown
    "#B04A00",  # vermilion, darkened
    "#AA4499",  # purple (Tol)
    "#C0392B",  # red
    "#595959",  # grey
    "#6B5E00",  # olive, darkened
)
PROEFTUIN_SYMBOLS: tuple[str, ...] = ("circle", "square", "diamond", "triangle-up", "triangle-down", "cross",
                                      "x", "star", "pentagon", "hexagon", "triangle-left")


# Short names for direct labels at the end of a line, where the full name does not fit;
# a proeftuin without one here is labelled with its full name.
PROEFTUIN_SHORT = {
    "amsterdam-amstelland": "Amsterdam",
    "rotterdam-rijnmond": "Rotterdam",
    "west-brabant-west": "West-Brabant",
    "gelderland-zuid": "Gelderland-Z.",
    "hart-van-brabant": "Hart v. Brabant",
    "zaanstreek-waterland": "Zaanstreek",
}

# Long Dutch compounds with their soft hyphens (U+00AD): Chromium has no Dutch hyphenation
# offline, and without them a narrow card or slide breaks "Kinderbeschermingsmaatregel" anywhere.
SOFT_HYPHENS = {
    "Kinderbeschermingsmaatregel": "Kinder\u00adbeschermings\u00admaatregel",
    "Ervaringsdeskundige": "Ervarings\u00addeskundige",
    "ervaringsdeskundige": "ervarings\u00addeskundige",
    "Gedragswetenschapper": "Gedrags\u00adwetenschapper",
    "Vertrouwensarts": "Vertrouwens\u00adarts",
    "Toegankelijkheidsverklaring": "Toegankelijkheids\u00adverklaring",
}


def breakable(text: str) -> str:
    """The text with soft hyphens in the long compounds of SOFT_HYPHENS."""
    for word, hyphenated in SOFT_HYPHENS.items():
        text = text.replace(word, hyphenated)
    return text


@dataclass(frozen=True)
class Status:
    """How one status looks everywhere: its label, colour (text and tile) and mark."""

    label: str
    colour: str
    mark: str


# Deliveries: the same status has the same colour and mark on every page, in every figure and
# table; a tile in this colour carries its mark in white (also 4.5:1, tested).
STATUSES: dict[str, Status] = {
    "op_tijd": Status("Op tijd", "#00704A", "✓"),
    "geleverd": Status("Geleverd", "#00704A", "✓"),
    "geaccepteerd": Status("Geaccepteerd", "#00704A", "✓"),
    "te_laat": Status("Te laat", "#8F4B00", "!"),
    "afgewezen": Status("Afgewezen", "#B3001E", "✗"),
    "ontbreekt": Status("Ontbreekt", "#595959", "–"),
    "niet_geleverd": Status("Niet geleverd", "#595959", "–"),
    "verwijderd": Status("Verwijderd", "#595959", "–"),
}
MARK_ON_TILE = "#FFFFFF"

# Themes: from planned to done, told apart by shape as well (open circle, circle, square).
THEMA_STATUSES: dict[str, Status] = {
    "afgerond": Status("Afgerond", "#00573F", "■"),
    "lopend": Status("Lopend", "#0072B2", "●"),
    "gepland": Status("Gepland", "#6B5E00", "○"),
}

# Stacked bars of organisations or roles: twelve colours, each 3:1 on white, segments split by
# white lines; deliberately not the proeftuinen' colours, because here a colour is a category.
CATEGORY_PALETTE: tuple[str, ...] = ("#4477AA", "#CC3311", "#228833", "#AA3377", "#8A6D00", "#0077BB",
                                     "#666666", "#009988", "#994455", "#5C3D99", "#B8510D", "#1A1A1A")

# Rijkshuisstijl-like colours for the shell and neutral chart elements.
DONKERBLAUW = "#154273"
LINTBLAUW = "#01689B"
GRIJS_TEKST = "#333333"
GRIJS_ZACHT = "#595959"  # secondary text and marks: 7:1 on white
GRIJS_LIJN = "#CCCCCC"  # axis lines and grids only: no meaning rests on them

FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", '
    '"Liberation Sans", Arial, sans-serif'
)

TEMPLATE_NAME = "proeftuinmonitor"


@cache
def proeftuin_colours() -> dict[str, str]:
    """Proeftuin code -> colour, in the order of the reference file.

    Read lazily: the codes are data (data/reference/proeftuinen.csv), not constants.
    """
    from dashboard.reference import proeftuinen

    return {
        p.code: PROEFTUIN_PALETTE[i % len(PROEFTUIN_PALETTE)]
        for i, p in enumerate(proeftuinen())
    }


@cache
def proeftuin_symbols() -> dict[str, str]:
    """Proeftuin code -> plotly marker symbol, in the order of the reference file."""
    from dashboard.reference import proeftuinen

    return {p.code: PROEFTUIN_SYMBOLS[i % len(PROEFTUIN_SYMBOLS)] for i, p in enumerate(proeftuinen())}


def __getattr__(name: str):
    # PROEFTUIN_COLOURS reads the reference file on first use, not at import.
    if name == "PROEFTUIN_COLOURS":
        return proeftuin_colours()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def register_template() -> str:
    """Register the dashboard's plotly template (idempotent) and return its name."""
    if TEMPLATE_NAME not in pio.templates:
        base = pio.templates["plotly_white"]
        template = go.layout.Template(base)
        template.layout.update(
            font={"family": FONT_STACK, "size": 14, "color": GRIJS_TEKST},
            colorway=list(PROEFTUIN_PALETTE),
            separators=",.",
            title={"font": {"size": 16}, "x": 0, "xanchor": "left"},
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": {"text": ""}},
            margin={"l": 60, "r": 20, "t": 40, "b": 50},
            hoverlabel={"font": {"family": FONT_STACK}},
            xaxis={"gridcolor": "#EEEEEE", "linecolor": GRIJS_LIJN},
            yaxis={"gridcolor": "#E5E5E5", "linecolor": GRIJS_LIJN, "rangemode": "tozero"},
        )
        pio.templates[TEMPLATE_NAME] = template
    return TEMPLATE_NAME


def format_nl(number: float | int | None, decimals: int = 0) -> str:
    """Format a number the Dutch way: 1234.5 -> '1.234,5'. None, NaN or NA -> '–'."""
    if number is None or pd.isna(number):
        return "–"
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_percent_nl(percentage: float | None, decimals: int = 1) -> str:
    """A percentage the Dutch way: 63.4 -> '63,4%'. None, NaN or NA -> '–'."""
    if percentage is None or pd.isna(percentage):
        return "–"
    return f"{format_nl(percentage, decimals)}%"


def format_date_nl(value) -> str:
    """A date as dd-mm-jjjj, or '–' when unknown."""
    return value.strftime("%d-%m-%Y") if value is not None else "–"


MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


def format_date_long_nl(value) -> str:
    """A date written out the Dutch way: '1 november 2022'; '–' when unknown.

    Not via strftime('%B'): that follows the server's locale, which is English in containers.
    """
    if value is None or pd.isna(value):
        return "–"
    return f"{value.day} {MAANDEN[value.month - 1]} {value.year}"


# Dutch labels of the organisatie and rol codes of the export format (teamleden).
ORGANISATIE_LABELS = {
    "raad_kinderbescherming": "Raad voor de Kinderbescherming",
    "veilig_thuis": "Veilig Thuis",
    "gecertificeerde_instelling": "Gecertificeerde instelling",
    "lokaal_team": "Lokaal team",
    "vrouwenopvang": "Vrouwenopvang",
    "ggz": "GGZ",
    "verslavingszorg": "Verslavingszorg",
    "jeugdreclassering": "Jeugdreclassering",
    "jeugdhulp": "Jeugdhulp",
    "gemeente": "Gemeente",
    "politie": "Politie",
    "overig": "Overig",
}
ROL_LABELS = {
    "gezinsprofessional": "Gezinsprofessional",
    "gedragswetenschapper": "Gedragswetenschapper",
    "jurist": "Jurist",
    "vertrouwensarts": "Vertrouwensarts",
    "spv": "SPV (sociaal-psychiatrisch verpleegkundige)",
    "ervaringsdeskundige": "Ervaringsdeskundige",
    "teamleider": "Teamleider",
    "overig": "Overig",
}

ORGANISATIE_COLOURS = dict(zip(ORGANISATIE_LABELS, CATEGORY_PALETTE))
ROL_COLOURS = dict(zip(ROL_LABELS, CATEGORY_PALETTE))


def contrast(foreground: str, background: str = BACKGROUND) -> float:
    """The WCAG 2.1 contrast ratio of two '#RRGGBB' colours (1 to 21)."""
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def css_variables() -> dict[str, str]:
    """The palette as CSS custom properties on the shell (app.py), so the style sheets in assets/
    take their status and tranche colours from here: '--pm-status-te_laat', '--pm-tranche-2'."""
    variables = {f"--pm-status-{key}": status.colour for key, status in STATUSES.items()}
    variables.update({f"--pm-tranche-{t}": colour for t, colour in TRANCHE_COLOURS.items()})
    return variables
