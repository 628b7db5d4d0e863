"""The one vocabulary of the dashboard: the colour, mark and label of every status, tranche,
proeftuin, organisation and role, used by every page, figure, table, slide and download.

Colours come from the Okabe-Ito palette, which stays distinguishable for the common forms of
colour blindness. A tranche and a proeftuin keep the same colour on every page, so a steering
group learns them once. No Dash here: the spreadsheet export reads its labels from this module too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dashboard import reference

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


# Rijkshuisstijl-like colours for the shell and neutral chart elements.
DONKERBLAUW = "#154273"
LINTBLAUW = "#01689B"
GRIJS_TEKST = "#333333"
GRIJS_ZACHT = "#595959"  # secondary text and marks: 7:1 on white
GRIJS_LIJN = "#CCCCCC"  # axis lines and grids only: no meaning rests on them
PROGRAMMA_COLOUR = GRIJS_TEKST  # all proeftuinen together, next to one proeftuin and its tranche


@dataclass(frozen=True)
class Status:
    """How one status looks everywhere: its label, colour (text and tile), mark (a character in
    text and on tiles) and plotly marker symbol (in a chart)."""

    label: str
    colour: str
    mark: str
    symbol: str = "square"


# Deliveries: the same status has the same colour and mark on every page, in every figure and
# table; a tile in this colour carries its mark in white (also 4.5:1, tested).
STATUSES: dict[str, Status] = {
    "op_tijd": Status("Op tijd", "#00704A", "✓"),
    "geleverd": Status("Geleverd", "#00704A", "✓"),
    "geaccepteerd": Status("Geaccepteerd", "#00704A", "✓"),
    "te_laat": Status("Te laat", "#8F4B00", "!"),
    "afgewezen": Status("Afgewezen", "#B3001E", "✗"),
    "ontbreekt": Status("Ontbreekt", GRIJS_ZACHT, "–"),
    "niet_geleverd": Status("Niet geleverd", GRIJS_ZACHT, "–"),
    "verwijderd": Status("Verwijderd", GRIJS_ZACHT, "–"),
}
MARK_ON_TILE = "#FFFFFF"

# Themes: from planned to done, told apart by shape as well (open circle, circle, square).
THEMA_STATUSES: dict[str, Status] = {
    "afgerond": Status("Afgerond", "#00573F", "■", "square"),
    "lopend": Status("Lopend", "#0072B2", "●", "circle"),
    "gepland": Status("Gepland", "#6B5E00", "○", "circle-open"),
}

# The Leidraad check on /teams: a function present, missing, missing where the Leidraad asks it
# "waar mogelijk", or no teamleden delivery to tell. The cell's text is in the status colour on a
# light tint of it (4.5:1, tested); the same greens, reds and oranges as the deliveries.
LEIDRAAD_STATUSES: dict[str, Status] = {
    "aanwezig": Status("Aanwezig", STATUSES["op_tijd"].colour, "✓"),
    "ontbreekt": Status("Ontbreekt", STATUSES["afgewezen"].colour, "✗"),
    "ontbreekt-waar-mogelijk": Status("Ontbreekt (waar mogelijk)", STATUSES["te_laat"].colour, "✗"),
    "geen-gegevens": Status("Geen gegevens", GRIJS_ZACHT, "–"),
}
LEIDRAAD_TINTS: dict[str, str] = {"ontbreekt": "#FBE9EB", "ontbreekt-waar-mogelijk": "#FFF3DF",
                                  "geen-gegevens": "#F3F3F3"}

# Stacked bars of organisations or roles: twelve colours, each 3:1 on white, segments split by
# white lines; deliberately not the proeftuinen' colours, because here a colour is a category.
CATEGORY_PALETTE: tuple[str, ...] = ("#4477AA", "#CC3311", "#228833", "#AA3377", "#8A6D00", "#0077BB",
                                     "#666666", "#009988", "#994455", "#5C3D99", "#B8510D", "#1A1A1A")


@cache
def proeftuin_colours() -> dict[str, str]:
    """Proeftuin code -> colour, in the order of the reference file.

    Read lazily: the codes are data (data/reference/proeftuinen.csv), not constants.
    """
    return {p.code: PROEFTUIN_PALETTE[i % len(PROEFTUIN_PALETTE)] for i, p in enumerate(reference.proeftuinen())}


@cache
def proeftuin_symbols() -> dict[str, str]:
    """Proeftuin code -> plotly marker symbol, in the order of the reference file."""
    return {p.code: PROEFTUIN_SYMBOLS[i % len(PROEFTUIN_SYMBOLS)] for i, p in enumerate(reference.proeftuinen())}


def tranche_label(tranche: int) -> str:
    return f"Tranche {tranche}"


def tranche_colour(tranche: int) -> str:
    """The tranche's colour; grey for a tranche the palette does not know."""
    return TRANCHE_COLOURS.get(int(tranche), GRIJS_ZACHT)


def proeftuin_colour(code: str) -> str:
    """The proeftuin's colour; grey for a code the reference file does not know."""
    return proeftuin_colours().get(code, GRIJS_ZACHT)


def proeftuin_short_name(code: str) -> str:
    """The name at the end of a line: the short name where the full one does not fit."""
    return PROEFTUIN_SHORT.get(code) or proeftuin_names().get(code, code)


def proeftuin_names() -> dict[str, str]:
    """Proeftuin code -> its name, as the reference file writes it."""
    return {p.code: p.naam for p in reference.proeftuinen()}


# The three kinds of delivery (contract.SOORTEN) as every page names them.
SOORT_LABELS = {"casussen": "Casussen", "teamleden": "Teamleden", "themas": "Thema's"}

# The statuses of a delivery in the delivery log, in STATUSES' colours and marks.
LOG_STATUSSEN = ("geaccepteerd", "afgewezen", "verwijderd")

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
