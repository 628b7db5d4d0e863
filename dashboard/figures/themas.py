"""The cards of /themas, both also slides of the presentation: which proeftuin works on which
theme with its status (a matrix), and how many proeftuinen work on each theme (bars; on a slide
only the themes most worked on).
"""

from __future__ import annotations

import textwrap

import pandas as pd

from dashboard import reference
from dashboard.figuredata import FigureData
from dashboard.ui.cards import Card, figure_card, own_graph_height
from dashboard.ui.charts import PRESENTATION_ROW_HEIGHT, ROW_HEIGHT, empty_figure, plain_figure, register_template
from dashboard.ui.data import card_data, proeftuinen_in, records
from dashboard.ui.format import format_nl
from dashboard.ui.view import View
from dashboard.ui.vocab import GRIJS_TEKST, GRIJS_ZACHT, THEMA_STATUSES, tranche_colour, tranche_label

MATRIX_FIGURE = "thema-matrix"
AANTAL_FIGURE = "themas-aantal-proeftuinen"


# Status colour, label and symbol from vocab.THEMA_STATUSES; shapes differ too, so colour is
# never the only cue (in the bars gepland is hatched).
STATUSSEN = ("afgerond", "lopend", "gepland")
NIET_GEMELD = "Toegewezen in factsheet, niet gemeld"
GROUPS = {"algemeen": "Algemene thema's", "specifiek": "Specifieke thema's"}
LABEL_WIDTH = 50  # characters of a theme name on the axis; the hover has the full name
SLIDE_LABEL_WIDTH = 58  # two lines of 58 characters at 18 px: whole names, no '…'
SLIDE_MAX_THEMAS = 6  # six rows of two lines fit the slide's 430 px graph


def short_label(label: str, width: int = LABEL_WIDTH) -> str:
    """A theme name cut at a word boundary to `width` characters, with '…' when cut."""
    if len(label) <= width:
        return label
    return textwrap.shorten(label, width=width, placeholder="…").replace(" …", "…")


def wrapped_label(label: str, width: int, lines: int = 2) -> str:
    """A theme name over at most `lines` lines of `width` characters (plotly '<br>')."""
    return "<br>".join(textwrap.wrap(label, width=width, max_lines=lines, placeholder="…"))


def _theme_rows(df: pd.DataFrame, width: int = LABEL_WIDTH) -> list[tuple[str, str, str]]:
    """[(key, tick text, full label)] in the order of the theme list, grouped by soort with a
    bold heading row per group (key '#<soort>')."""
    themas = df.drop_duplicates("thema")[["thema", "label", "soort"]]
    rows = []
    for soort, heading in GROUPS.items():
        group = themas[themas["soort"] == soort]
        if group.empty:
            continue
        rows.append((f"#{soort}", f"<b>{heading}</b>", heading))
        rows += [(r["thema"], short_label(r["label"], width), r["label"]) for r in records(group)]
    other = themas[~themas["soort"].isin(list(GROUPS))]
    rows += [(r["thema"], short_label(r["label"], width), r["label"]) for r in records(other)]
    return rows


def _y_axis(rows: list[tuple[str, str, str]]) -> dict:
    return {"type": "category", "categoryorder": "array", "categoryarray": [r[0] for r in rows],
            "tickmode": "array", "tickvals": [r[0] for r in rows], "ticktext": [r[1] for r in rows],
            "autorange": "reversed", "title": {"text": ""}, "showgrid": True, "gridcolor": "#EEEEEE"}


def _group_dividers(rows: list[tuple[str, str, str]]) -> list[dict]:
    """A thin line above every group heading but the first."""
    return [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": i - 0.5, "y1": i - 0.5,
             "line": {"color": "#999999", "width": 1}}
            for i, (key, _, _) in enumerate(rows) if key.startswith("#") and i]


def matrix_card(view: View):
    fd = card_data(MATRIX_FIGURE, view)
    rows = _theme_rows(fd.df) if not fd.df.empty else []

    def basis(fd: FigureData) -> str | None:
        if fd.df.empty:
            return None
        gemeld = fd.df[fd.df["status"].notna()]
        return (f"{format_nl(len(gemeld))} gemelde thema's van {gemeld['proeftuin'].nunique()} "
                f"proeftuinen")

    card = figure_card(
        MATRIX_FIGURE, view, lambda fd: matrix_figure(fd, presentatie=view.presentatie),
        Card(
            title="Thema's per proeftuin",
            description="Per proeftuin de status van elk thema in het laatst gemelde jaar; een open "
                        "vierkant is een thema dat de factsheet toewijst maar dat de proeftuin niet meldt.",
            basis=basis,
            table_columns={"proeftuin": "Proeftuin", "label": "Thema", "status": "Status", "jaar": "Jaar",
                           "toegewezen": "Toegewezen in factsheet"},
            height=max(360, ROW_HEIGHT * len(rows) + 190),
        ),
        data=fd,
    )
    if view.presentatie:
        own_graph_height(card, PRESENTATION_ROW_HEIGHT * len(rows) + 260)
    return card


def aantal_card(view: View):
    """How many proeftuinen work on each theme. On a slide only the themes most worked on, so
    the names stay readable at 18 px; the page shows all themes."""
    fd = card_data(AANTAL_FIGURE, view)
    title, description = "Aantal proeftuinen per thema", (
        "Aantal proeftuinen dat het thema meldt, naar de status in het laatst gemelde jaar; het streepje "
        "is het aantal proeftuinen waaraan de factsheet het thema toewijst.")
    minimum = slide_minimum(fd.df) if view.presentatie else None
    if minimum:
        title = f"Thema's waaraan minstens {minimum} proeftuinen werken" if minimum > 1 else title
        description = ("Aantal proeftuinen dat het thema meldt, naar de status in het laatst gemelde jaar "
                       f"({len(_slide_rows(fd.df, minimum))} van de {len(fd.df)} thema's).")

    def basis(fd: FigureData) -> str | None:
        return None if fd.df.empty else f"de themas-leveringen van de {_proeftuinen_label(view)}"

    rows = _theme_rows(fd.df) if not fd.df.empty else []
    return figure_card(
        AANTAL_FIGURE, view, lambda fd: aantal_figure(fd, minimum),
        Card(
            title=title,
            description=description,
            basis=basis,
            table_columns={"label": "Thema", "soort": "Soort", "proeftuinen_afgerond": "Afgerond",
                           "proeftuinen_lopend": "Lopend", "proeftuinen_gepland": "Gepland",
                           "proeftuinen_totaal": "Totaal", "proeftuinen_toegewezen": "Toegewezen in factsheet"},
            height=max(360, ROW_HEIGHT * len(rows) + 150),
        ),
        data=fd,
    )


def _proeftuinen_label(view: View) -> str:
    f = view.filters
    n = len(proeftuinen_in(f))
    return f"{n} gekozen proeftuinen" if f.tranche or f.proeftuinen else f"{n} proeftuinen"


def slide_minimum(df: pd.DataFrame) -> int | None:
    """The smallest number of proeftuinen t such that at most SLIDE_MAX_THEMAS themes have t or
    more: a cut that never splits themes with the same count. None when nothing is reported."""
    totals = pd.to_numeric(df.get("proeftuinen_totaal", pd.Series(dtype=float)), errors="coerce").fillna(0)
    if df.empty or totals.max() <= 0:
        return None
    for t in range(1, int(totals.max()) + 1):
        if (totals >= t).sum() <= SLIDE_MAX_THEMAS:
            return t
    return int(totals.max())


def _slide_rows(df: pd.DataFrame, minimum: int) -> pd.DataFrame:
    totals = pd.to_numeric(df["proeftuinen_totaal"], errors="coerce").fillna(0)
    chosen = df[totals >= minimum].copy()
    chosen["_volgorde"] = range(len(chosen))
    return chosen.sort_values(["proeftuinen_totaal", "_volgorde"], ascending=[False, True]).drop(columns="_volgorde")


def _column_label(naam: str) -> str:
    """A proeftuin name over two lines at its first hyphen or space (column heads stay narrow)."""
    for sep in ("-", " "):
        if sep in naam:
            head, tail = naam.split(sep, 1)
            return f"{head}{sep if sep == '-' else ''}<br>{tail}"
    return naam


def matrix_figure(fd: FigureData, presentatie: bool = False) -> dict:
    """Themes (rows, grouped) against proeftuinen (columns, by tranche): a mark per reported
    theme in the shape and colour of its status, an open grey square where the factsheet assigns
    a theme the proeftuin does not report."""
    df = fd.df
    if df.empty:
        return empty_figure()
    rows = _theme_rows(df, SLIDE_LABEL_WIDTH if presentatie else LABEL_WIDTH)
    tuinen = [p for p in reference.proeftuinen() if p.code in set(df["proeftuin"])]
    naam = {p.code: p.naam for p in tuinen}
    toegewezen = df["toegewezen"].astype("boolean").fillna(False).astype(bool)

    def hover(part: pd.DataFrame, status_text) -> list[list[str]]:
        return [[naam.get(r["proeftuin"], r["proeftuin"]), r["label"], status_text(r),
                 "ja" if bool(r["toegewezen"]) else "nee"] for r in records(part)]

    def status_text(r) -> str:
        jaar = r["jaar"]
        return r["status"] + (f" ({jaar})" if jaar is not None and not pd.isna(jaar) else "")

    traces = []
    for status in STATUSSEN:
        part = df[df["status"] == status]
        traces.append({
            "type": "scatter", "mode": "markers", "name": THEMA_STATUSES[status].label,
            "x": part["proeftuin"].tolist(), "y": part["thema"].tolist(),
            "marker": {"symbol": THEMA_STATUSES[status].symbol, "size": 14, "color": THEMA_STATUSES[status].colour,
                       "line": {"width": 2, "color": THEMA_STATUSES[status].colour}},
            "customdata": hover(part, status_text),
            "hovertemplate": ("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Status: %{customdata[2]}"
                              "<br>Toegewezen in factsheet: %{customdata[3]}<extra></extra>"),
        })
    missing = df[df["status"].isna() & toegewezen]
    traces.append({
        "type": "scatter", "mode": "markers", "name": NIET_GEMELD,
        "x": missing["proeftuin"].tolist(), "y": missing["thema"].tolist(),
        "marker": {"symbol": "square-open", "size": 16, "color": GRIJS_ZACHT, "line": {"width": 1.5}},
        "customdata": hover(missing, lambda r: "niet gemeld"),
        "hovertemplate": ("<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Toegewezen in de factsheet, "
                          "niet gemeld in de themas-levering<extra></extra>"),
    })
    reported = set(df.loc[df["status"].notna(), "proeftuin"])
    # On a shared screen (18 px) eleven names only fit side by side when slanted.
    ticktext = [(p.naam if presentatie else _column_label(p.naam))
                + ("" if p.code in reported else " <i>(niets gemeld)</i>" if presentatie else "<br><i>niets gemeld</i>")
                for p in tuinen]
    annotations, shapes = _tranche_heads(tuinen, 200 if presentatie else 62)
    return plain_figure(traces, {
        "template": register_template(),
        "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": [p.code for p in tuinen],
                  "tickmode": "array", "tickvals": [p.code for p in tuinen], "ticktext": ticktext,
                  "side": "top", "tickangle": -40 if presentatie else 0, "tickfont": {"size": 12}, "showgrid": True,
                  "gridcolor": "#EEEEEE", "range": [-0.5, len(tuinen) - 0.5], "fixedrange": True},
        "yaxis": {**_y_axis(rows), "tickfont": {"size": 13}, "fixedrange": True, "automargin": True},
        "legend": {"orientation": "h", "x": 0, "xref": "container", "y": 0, "yanchor": "bottom",
                   "yref": "container"},
        "margin": {"l": 20, "r": 20, "t": 230 if presentatie else 110, "b": 50},
        "hovermode": "closest",
        "annotations": annotations,
        "shapes": _group_dividers(rows) + shapes,
    })


def _tranche_heads(tuinen, above: int) -> tuple[list[dict], list[dict]]:
    """'Tranche 1' / 'Tranche 2' above the column groups, with a line between the groups."""
    annotations, shapes = [], []
    for tranche in sorted({p.tranche for p in tuinen}):
        index = [i for i, p in enumerate(tuinen) if p.tranche == tranche]
        colour = tranche_colour(tranche)
        annotations.append({"x": (index[0] + index[-1]) / 2, "xref": "x", "y": 1, "yref": "paper", "yshift": above,
                            "yanchor": "bottom", "showarrow": False, "text": f"<b>{tranche_label(tranche)}</b>",
                            "font": {"size": 13, "color": colour}})
        shapes.append({"type": "line", "xref": "x", "x0": index[0] - 0.4, "x1": index[-1] + 0.4, "yref": "paper",
                       "y0": above - 4, "y1": above - 4, "ysizemode": "pixel", "yanchor": 1,
                       "line": {"color": colour, "width": 3}})
        if index[0]:
            shapes.append({"type": "line", "xref": "x", "x0": index[0] - 0.5, "x1": index[0] - 0.5, "yref": "paper",
                           "y0": 0, "y1": 1, "line": {"color": "#999999", "width": 1, "dash": "dot"}})
    return annotations, shapes


def aantal_figure(fd: FigureData, minimum: int | None = None) -> dict:
    """Horizontal bars per theme, stacked by status, and a tick at the number of proeftuinen the
    factsheet assigns the theme to. With `minimum` (a slide): only the themes with at least that
    many proeftuinen, most first, with their full names over two lines."""
    df = fd.df
    if df.empty:
        return empty_figure()
    if minimum:
        df = _slide_rows(df, minimum)
        rows = [(r["thema"], wrapped_label(r["label"], SLIDE_LABEL_WIDTH), r["label"]) for r in records(df)]
    else:
        rows = _theme_rows(df)
    traces = []
    for status in STATUSSEN:
        look = THEMA_STATUSES[status]
        values = pd.to_numeric(df[f"proeftuinen_{status}"], errors="coerce")
        traces.append({
            "type": "bar", "orientation": "h", "name": look.label,
            "y": df["thema"].tolist(), "x": values.tolist(),
            "marker": {"color": look.colour if status != "gepland" else "#FFFFFF",
                       "line": {"color": look.colour, "width": 1.5},
                       "pattern": {"shape": "/" if status == "gepland" else "", "fgcolor": look.colour,
                                   "size": 6, "solidity": 0.5}},
            "customdata": [[label, format_nl(v)] for label, v in zip(df["label"], values)],
            "hovertemplate": (f"%{{customdata[0]}}<br>{look.label}: %{{customdata[1]}} proeftuinen"
                              "<extra></extra>"),
        })
    assigned = pd.to_numeric(df["proeftuinen_toegewezen"], errors="coerce")
    traces.append({
        "type": "scatter", "mode": "markers", "name": "Toegewezen in factsheet",
        "x": assigned.tolist(), "y": df["thema"].tolist(),
        "marker": {"symbol": "line-ns-open", "size": 18, "color": GRIJS_TEKST, "line": {"width": 2.5}},
        "customdata": [[label, format_nl(v)] for label, v in zip(df["label"], assigned)],
        "hovertemplate": "%{customdata[0]}<br>Toegewezen in factsheet: %{customdata[1]} proeftuinen<extra></extra>",
    })
    most = max(float(pd.to_numeric(df["proeftuinen_totaal"], errors="coerce").max()), float(assigned.max()), 1)
    return plain_figure(traces, {
        "template": register_template(),
        "barmode": "stack",
        "bargap": 0.3,
        "xaxis": {"title": {"text": "Aantal proeftuinen"}, "tickformat": ",d", "rangemode": "tozero",
                  **({"dtick": 1} if most <= 12 else {}), "range": [0, most + 0.5]},
        "yaxis": {**_y_axis(rows), "tickfont": {"size": 13}, "fixedrange": True, "automargin": True},
        "legend": {"traceorder": "normal"},
        "margin": {"l": 20, "t": 40},
        "hovermode": "closest",
        **({} if minimum else {"shapes": _group_dividers(rows)}),
    })
