"""Colours, the plotly template and Dutch number formatting shared by all pages.

Colours come from the Okabe-Ito palette, which stays distinguishable for the common forms of
colour blindness. A tranche and a proeftuin keep the same colour on every page, so a steering
group learns them once.
"""

from __future__ import annotations

from functools import cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "oranje": "#E69F00",
    "hemelblauw": "#56B4E9",
    "blauwgroen": "#009E73",
    "geel": "#F0E442",
    "blauw": "#0072B2",
    "vermiljoen": "#D55E00",
    "roodpaars": "#CC79A7",
    "zwart": "#000000",
}

TRANCHE_COLOURS: dict[int, str] = {1: OKABE_ITO["blauw"], 2: OKABE_ITO["oranje"]}

# Eleven proeftuinen need more than Okabe-Ito's eight colours: the light yellow is left out
# (too faint on white) and four colours of Paul Tol's "muted" scheme, also chosen for colour
# blindness, are added. Order follows the reference file (tranche 1 first).
PROEFTUIN_PALETTE: tuple[str, ...] = (
    OKABE_ITO["blauw"],
    OKABE_ITO["hemelblauw"],
    OKABE_ITO["blauwgroen"],
    OKABE_ITO["roodpaars"],
    OKABE_ITO["zwart"],
    "#332288",  # Tol indigo
    OKABE_ITO["oranje"],
    OKABE_ITO["vermiljoen"],
    "#882255",  # Tol wine
    "#999933",  # Tol olive
    "#44AA99",  # Tol teal
)

# Rijkshuisstijl-like colours for the shell and neutral chart elements.
DONKERBLAUW = "#154273"
LINTBLAUW = "#01689B"
GRIJS_TEKST = "#333333"
GRIJS_LIJN = "#CCCCCC"

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
