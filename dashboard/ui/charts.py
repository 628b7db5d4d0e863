"""Building blocks of the figures: the plotly template, graph config, the empty figure, the
quarter axis, direct line labels, and the larger type of presentation mode.

Figures are plain dicts (`plain_figure`), as dcc.Graph sends them to the browser; create_app
makes the dashboard's template plotly's default.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.ui.vocab import GRIJS_LIJN, GRIJS_TEKST, PROEFTUIN_PALETTE

FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", '
    '"Liberation Sans", Arial, sans-serif'
)

TEMPLATE_NAME = "proeftuinmonitor"


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


# No plotly modebar: its buttons were seven unlabelled tab stops per chart inside the figure,
# partly English, and one sent the chart to Plotly's cloud. Each card has its own labelled
# image buttons instead (`image_buttons`, assets/figuren.js); the cloud links are off as well,
# should a figure ever turn the modebar back on.
GRAPH_CONFIG = {
    "locale": "nl",
    "displayModeBar": False,
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
}


# Presentation mode: a shared screen at 1280x720 read from across a meeting room.
PRESENTATION_FONT = 20
PRESENTATION_TICK_FONT = 18
END_LABEL = "pm-eindlabel"  # the name of a direct label at a line's end (end_labels)

# A figure with a row per item (theme, werkgebied) grows with its rows; in presentation mode a
# row is taller for the larger type (own_graph_height in ui.cards).
ROW_HEIGHT = 24
PRESENTATION_ROW_HEIGHT = 30


def presentation_style(fig: dict) -> dict:
    """Larger type for a shared screen: body 20 px, axis ticks and titles at least 18 px (what
    plotly's update_layout, update_xaxes and update_yaxes would do: every x and y axis, the
    first always). Nested parts are copied, never changed in place: a builder may share them."""
    layout = _merged(fig["layout"], {
        "font": {"size": PRESENTATION_FONT},
        "legend": {"font": {"size": PRESENTATION_FONT}},
        "hoverlabel": {"font": {"size": PRESENTATION_TICK_FONT}},
    })
    axis = {"tickfont": {"size": PRESENTATION_TICK_FONT}, "title": {"font": {"size": PRESENTATION_FONT}}}
    for name in {"xaxis", "yaxis"} | {k for k in layout if _AXIS.fullmatch(k)}:
        layout[name] = _merged(layout.get(name) or {}, axis)
    # Line-end labels keep their size: they are spaced for it (end_labels).
    if "annotations" in layout:
        layout["annotations"] = [a if a.get("name") == END_LABEL else _merged(a, {"font": {"size": PRESENTATION_FONT}})
                                 for a in layout["annotations"]]
    fig["layout"] = layout
    return fig


_AXIS = re.compile(r"[xy]axis[0-9]*")


def _merged(base: dict, update: dict) -> dict:
    """`base` with `update` merged in, nested dicts merged too; a new dict, `base` unchanged."""
    out = dict(base)
    for key, value in update.items():
        out[key] = _merged(out.get(key) or {}, value) if isinstance(value, dict) else value
    return out


def quarter_axis(kwartalen: list[str]) -> dict:
    """A category axis of quarters; beyond eight quarters only each year's Q1 is labelled
    ('Q1 2024'), which stays readable at 18 px on a shared screen. The hover names every quarter."""
    ticks = [k for k in kwartalen if k.endswith("Q1")] if len(kwartalen) > 8 else kwartalen
    return {"type": "category", "categoryorder": "array", "categoryarray": kwartalen,
            "tickmode": "array", "tickvals": ticks,
            "ticktext": [f"{k[-2:]} {k[:4]}" for k in ticks], "tickangle": 0}


def year_axis(kwartalen: list[str]) -> dict:
    """A category axis of quarters for a narrow figure: only each year's first quarter is
    labelled, with the year; the hover names every quarter."""
    ticks = [k for k in kwartalen if k.endswith("Q1")] or kwartalen[:1]
    return {"type": "category", "categoryorder": "array", "categoryarray": kwartalen, "tickmode": "array",
            "tickvals": ticks, "ticktext": [k[:4] for k in ticks], "tickangle": 0}


def percent_axis(title: str, top: float = 100) -> dict:
    """A 0-100% value axis labelled every 25%, up to `top` (room for labels beyond 100%)."""
    return {"title": {"text": title}, "range": [0, top], "tickvals": [0, 25, 50, 75, 100],
            "ticktext": ["0%", "25%", "50%", "75%", "100%"]}


def end_labels(ends: Sequence[tuple[float, float, str, str]], *, y_range: tuple[float, float], plot_px: int,
               font_size: int = 13, xref: str = "x", yref: str = "y") -> list[dict]:
    """Direct labels at the ends of lines, so a line is known without hovering or a legend.

    `ends` holds (x, y, text, colour) of each line's last point. Labels closer than one line of
    text are pushed apart (in order of y), within the y range; `plot_px` is the plot's height
    in pixels, to turn a line of text into data units.
    """
    low, high = y_range
    gap = (high - low) * (font_size * 1.25) / max(plot_px, 1)
    placed = []
    for x, y, text, colour in sorted(ends, key=lambda e: e[1]):
        y = max(y, placed[-1][1] + gap) if placed else y
        placed.append([x, y, text, colour])
    overshoot = placed[-1][1] - high if placed else 0
    if overshoot > 0:  # pushed above the top: shift down, then push apart from the top
        for item in reversed(placed):
            item[1] = min(item[1] - overshoot, high if item is placed[-1] else item[1])
        for i in range(len(placed) - 2, -1, -1):
            placed[i][1] = min(placed[i][1], placed[i + 1][1] - gap)
    return [{"x": x, "y": y, "xref": xref, "yref": yref, "text": text, "showarrow": False, "xanchor": "left",
             "xshift": 6, "font": {"size": font_size, "color": colour}, "name": END_LABEL}
            for x, y, text, colour in placed]


NO_DATA = "Geen gegevens voor deze selectie"


def empty_figure(text: str = NO_DATA) -> dict:
    """The figure for a selection without data: the text in the middle, no axes."""
    return plain_figure([], {
        "annotations": [{"text": text, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5, "y": 0.5,
                         "font": {"size": 16}}],
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
    })


def numbers(values: pd.Series) -> pd.Series:
    """Numbers to draw; a protected cell ('<5', 'x') or None becomes NaN and draws nothing."""
    return pd.to_numeric(values.map(lambda v: None if isinstance(v, str) else v), errors="coerce")


def number(value) -> float | None:
    """One value to draw or compute with; a protected cell ('<5'), None or NaN is None."""
    if value is None or isinstance(value, str):
        return None
    try:
        return None if pd.isna(value) else float(value)
    except (TypeError, ValueError):
        return None


def plain_figure(data: list[dict], layout: dict) -> dict:
    """A figure as the plain dict that dcc.Graph sends to the browser, with the template spelled
    out as a go.Figure would (plotly's default, or the one the layout names). No go.Figure: it
    validates every add_trace/update_layout (up to 170 ms a figure on /iv against a 150 ms budget
    for a whole page; adding 22 line labels one by one was half of /tranches), and even
    unvalidated it deep-copies the figure three times and once more to send it."""
    template = _template(layout.get("template", pio.templates.default))
    return {"data": data, "layout": {**layout, **({"template": template} if template else {})}}


@lru_cache(maxsize=8)
def _template(name: str | None) -> dict | None:
    """A registered plotly template as plain dicts (shared by every figure: never change it)."""
    return pio.templates[name].to_plotly_json() if name else None


def graph_config(image_name: str) -> dict:
    return {**GRAPH_CONFIG, "toImageButtonOptions": {"format": "png", "filename": image_name, "scale": 2}}


