"""IV-strategie: the information provision of the proeftuinen. Do the quarterly deliveries
arrive on time and right the first time, how complete are the optional fields, and how many
running cases have a netwerkdossier the family can look into.

Layout only: the view comes from the URL (dashboard.ui.view), every number from
dashboard.figuredata through the shared figure cards. The toggle `niveau` (netwerkdossier per
tranche or per proeftuin) lives in the URL too. The netwerkdossier card is the IV slide of the
presentation, so it lives in dashboard/figures/iv.py. The delivery figures are no slide: the
steering group may not see the delivery log nor figures computed from it (dashboard.security),
so on a page they say so instead.
"""

from __future__ import annotations

import dataclasses

import dash
import pandas as pd
from dash import html

from dashboard import reference
from dashboard.delivery_status import notice as delivery_notice
from dashboard.figuredata import FigureData
from dashboard.figures.iv import NIVEAUS, netwerkdossier_card
from dashboard.security import NotForRole
from dashboard.ui.cards import Card, figure_card, no_data_message, page_header, sum_basis, unavailable_card
from dashboard.ui.charts import empty_figure, number, plain_figure
from dashboard.ui.data import card_data, proeftuinen_listed, quarters, records
from dashboard.ui.filters import filter_bar, param_radio
from dashboard.ui.format import format_date_nl, format_nl, format_percent_nl, shown
from dashboard.ui.parallel import side_by_side
from dashboard.ui.view import View, view_from_query
from dashboard.ui.vocab import GRIJS_TEKST, MARK_ON_TILE, STATUSES, proeftuin_colour, tranche_colour, tranche_label

EXTRA = {"niveau": NIVEAUS}

dash.register_page(
    __name__,
    path="/iv",
    name="IV-strategie",
    title="IV-strategie · Proeftuinmonitor",
    description="Tijdigheid en kwaliteit van de leveringen, volledigheid van de velden, netwerkdossier en inzage.",
    order=6,
    view_extra=EXTRA,
)

LEVERINGEN_FIGURE = "leveringen-status"
EERSTE_KEER_FIGURE = "eerste-keer-geaccepteerd"
VOLLEDIGHEID_FIGURE = "volledigheid-velden"

# Delivery status: colour, mark and label from the dashboard's palette (vocab.STATUSES); every
# tile carries its mark in white, so colour is never the only cue.
STATUSSEN = ("op_tijd", "te_laat", "afgewezen", "ontbreekt")
STATUS_LEGEND = {
    "op_tijd": f"{STATUSES['op_tijd'].mark} op tijd (binnen 30 dagen na het kwartaal)",
    "te_laat": f"{STATUSES['te_laat'].mark} te laat",
    "afgewezen": f"{STATUSES['afgewezen'].mark} afgewezen, nog niets geaccepteerd",
    "ontbreekt": f"{STATUSES['ontbreekt'].mark} ontbreekt",
}
# A delivery first rejected and then accepted keeps its timeliness colour, with the rejection's mark first.
HERSTELD_LEGEND = f"{STATUSES['afgewezen'].mark}{STATUSES['op_tijd'].mark} eerst afgewezen, daarna geaccepteerd"

MATRIX_MIN_WIDTH = 960  # the two tile grids: quarter labels and marks stay apart down to this width
NIVEAU_OPTIONS = [("tranche", "Per tranche"), ("proeftuin", "Per proeftuin")]


VELD_LABELS = {
    "werkgebied": "Werkgebied",
    "aantal_overdrachten": "Aantal overdrachten",
    "leefgebied_financien": "Leefgebied financiën",
    "leefgebied_wonen": "Leefgebied wonen",
    "leefgebied_zorg": "Leefgebied zorg",
    "leefgebied_gezin": "Leefgebied gezin",
    "leefgebied_werk": "Leefgebied werk",
    "verklarende_analyse": "Verklarende analyse",
    "veiligheidsplan": "Veiligheidsplan",
    "volwassenen_ggz": "Volwassenen-GGZ",
    "ervaringsdeskundige": "Ervaringsdeskundige",
    "complexe_scheiding": "Complexe scheiding",
    "tijdelijk_huisverbod": "Tijdelijk huisverbod",
    "uithuisplaatsing": "Uithuisplaatsing",
    "jeugdreclassering": "Jeugdreclassering",
    "netwerkdossier": "Netwerkdossier",
    "gezin_inzage": "Gezin heeft inzage",
}
# Completeness from warm (few fields filled) to almost white (all filled): the gaps stand out,
# the full rows stay calm. An orange ramp reads the same with the common colour blindnesses.
VOLLEDIG_MIN = 50
VOLLEDIG_SCALE = [[0.0, "#B35806"], [0.5, "#F1A340"], [0.8, "#FEE0B6"], [1.0, "#F7F7F7"]]
AFGESCHERMD_COLOUR = "#D9D9D9"

ROW_HEIGHT = 34


def layout(**query):
    """The page; filters, niveau= and presentatie=1 come from the query string."""
    view = view_from_query(query, EXTRA)
    kwartalen = quarters()
    header = page_header(
        "IV-strategie",
        "De informatievoorziening van de proeftuinen: komen de kwartaalleveringen op tijd en in één "
        "keer goed binnen, hoe volledig zijn de niet-verplichte velden, en bij hoeveel lopende "
        "casussen is er een netwerkdossier waarin het gezin kan meekijken.",
        view,
    )
    if not kwartalen:
        return html.Div([header, no_data_message()])
    toggle = param_radio("niveau", "Netwerkdossier", NIVEAU_OPTIONS, view)
    return html.Div([
        header,
        delivery_notice(view.presentatie),
        filter_bar(view, kwartalen=kwartalen, controls=[toggle]),
        *side_by_side([lambda: leveringen_card(view), lambda: eerste_keer_card(view),
                       lambda: volledigheid_card(view), lambda: netwerkdossier_card(view)]),
    ])


# --- cards ---------------------------------------------------------------------------------------


def _not_for_role(title: str):
    """In place of a delivery figure that the viewer's role may not see (the steering group)."""
    return unavailable_card(title, "Deze figuur komt uit het leveringenlogboek; dat is voor uw rol niet beschikbaar.")


def leveringen_card(view: View):
    """Per proeftuin and quarter: was the casussen delivery on time, late, rejected or missing."""
    title = "Tijdigheid van de leveringen"
    try:
        fd = card_data(LEVERINGEN_FIGURE, view)
    except NotForRole:
        return _not_for_role(title)
    basis = None
    if not fd.df.empty:
        counts = fd.df["status"].value_counts()
        parts = ", ".join(f"{format_nl(counts.get(s, 0))} {STATUSES[s].label.lower()}" for s in STATUSSEN)
        basis = f"{format_nl(len(fd.df))} kwartalen van proeftuinen ({parts})"
    table = status_table(fd)
    return figure_card(
        LEVERINGEN_FIGURE, view, lambda _: delivery_matrix(fd),
        Card(
            title=title,
            description="Per proeftuin en kwartaal of de casussen-levering op tijd is (binnen 30 dagen na het eind "
                        "van het kwartaal geaccepteerd), te laat, alleen afgewezen of er niet is.",
            basis=basis,
            height=_rows_height(fd),
            table_columns=_pivot_columns(table),
            min_width=MATRIX_MIN_WIDTH,
        ),
        data=table,
    )


def eerste_keer_card(view: View):
    """Per proeftuin the share of its deliveries whose first file was accepted."""
    title = "Leveringen in één keer goed"
    try:
        fd = card_data(EERSTE_KEER_FIGURE, view)
    except NotForRole:
        return _not_for_role(title)
    return figure_card(
        EERSTE_KEER_FIGURE, view, first_time_figure,
        Card(
            title=title,
            description="Per proeftuin het deel van de leveringen (soort en periode) waarvan het eerst ontvangen "
                        "bestand is geaccepteerd.",
            basis=sum_basis("leveringen", "leveringen"),
            height=max(260, 30 * len(fd.df) + 90),
            table_columns={"proeftuin": "Proeftuin", "leveringen": "Leveringen",
                           "eerste_keer_goed": "In één keer goed", "waarde": "Percentage"},
        ),
        data=fd,
    )


def volledigheid_card(view: View):
    """Per proeftuin and optional field the share of cases in which it is filled in."""
    fd = card_data(VOLLEDIGHEID_FIGURE, view)
    basis = None
    if not fd.df.empty:
        per_tuin = fd.df.drop_duplicates("proeftuin")[["totaal"]]
        basis = sum_basis("totaal")(dataclasses.replace(fd, df=per_tuin))
    table = completeness_table(fd)
    return figure_card(
        VOLLEDIGHEID_FIGURE, view, lambda _: completeness_figure(fd),
        Card(
            title="Volledigheid van de niet-verplichte velden",
            description="Per proeftuin en veld het percentage casussen (aangemeld in de gekozen periode, uit de "
                        "actuele levering) waarbij het veld is ingevuld.",
            basis=basis,
            height=_rows_height(fd),
            table_columns=_pivot_columns(table),
            min_width=MATRIX_MIN_WIDTH,
        ),
        data=table,
    )


# --- the table views ----------------------------------------------------------------------------
# Each card's table (for screen readers, under "Tabel") shows what the figure shows in the figure's
# own shape; a figure's CSV download stays the query's result, untouched.

def _pivot_columns(table: FigureData) -> dict[str, str]:
    return {c: ("Proeftuin" if c == "proeftuin" else c) for c in table.df.columns}


def _pivot(df: pd.DataFrame, columns: str, text) -> pd.DataFrame:
    """One row per proeftuin (reference order), one column per value of `columns`, text(row) in the cells."""
    order = list(dict.fromkeys(sorted(df[columns]) if columns == "kwartaal" else df[columns]))
    cells: dict[str, dict[str, str]] = {}
    for r in records(df):
        cells.setdefault(r["proeftuin"], {})[r[columns]] = text(r)
    rows = [{"proeftuin": p.code, **{c: cells[p.code].get(c) for c in order}} for p in proeftuinen_listed(df["proeftuin"])]
    return pd.DataFrame(rows, columns=["proeftuin", *order])


def status_table(fd: FigureData) -> FigureData:
    def text(r: dict) -> str:
        status, afgewezen = r["status"], int(r["afgewezen"] or 0)
        words = STATUSES[status].label.lower() if status in STATUSES else str(status)
        if status == "te_laat":
            words += f" ({format_nl(r['dagen_na_kwartaal'])} dagen)"
        if afgewezen and status in ("op_tijd", "te_laat"):
            words += ", eerst afgewezen"
        return words

    return dataclasses.replace(fd, df=_pivot(fd.df, "kwartaal", text) if not fd.df.empty else fd.df)


def completeness_table(fd: FigureData) -> FigureData:
    def text(r: dict) -> str:
        value = number(r["waarde"])
        if value is not None:
            return format_percent_nl(value, 1)
        return "geen casussen" if number(r["totaal"]) == 0 else "afgeschermd"

    if fd.df.empty:
        return fd
    labelled = fd.df.assign(veld=fd.df["veld"].map(_veld_label))
    return dataclasses.replace(fd, df=_pivot(labelled, "veld", text))


def _veld_label(veld: str) -> str:
    return VELD_LABELS.get(veld, str(veld).replace("_", " ").capitalize())


def _rows_height(fd: FigureData) -> int:
    """A matrix's height: a fixed height per proeftuin plus room for the axes and legend."""
    tuinen = fd.df["proeftuin"].nunique() if not fd.df.empty else 0
    return max(260, ROW_HEIGHT * tuinen + 190)


# --- figure builders --------------------------------------------------------------------------
# The figures are put together as plain dicts (ui.charts.plain_figure).


def _quarter_ticks(kwartalen: list[str]) -> dict:
    """Every quarter gets a column head; the year only under its first quarter on the axis."""
    text, year = [], None
    for k in kwartalen:
        text.append(f"{k[-2:]}<br>{k[:4]}" if k[:4] != year else k[-2:])
        year = k[:4]
    return {"type": "category", "categoryorder": "array", "categoryarray": kwartalen, "tickmode": "array",
            "tickvals": kwartalen, "ticktext": text, "tickangle": 0}


def _proeftuin_axis(tuinen: list[reference.Proeftuin]) -> dict:
    return {"type": "category", "categoryorder": "array", "categoryarray": [p.naam for p in tuinen],
            "autorange": "reversed", "fixedrange": True, "showgrid": False, "ticksuffix": "  ", "automargin": True}


def _tranche_marks(tuinen: list[reference.Proeftuin]) -> tuple[list[dict], list[dict]]:
    """Shapes and annotations for rows of proeftuinen (running top-down): a line between tranche 1
    and tranche 2, and the tranche's name along the right edge in its colour."""
    shapes, annotations, start = [], [], 0
    for i in range(1, len(tuinen) + 1):
        if i < len(tuinen) and tuinen[i].tranche == tuinen[start].tranche:
            continue
        tranche = tuinen[start].tranche
        annotations.append({
            "text": tranche_label(tranche), "textangle": -90, "showarrow": False, "xref": "paper", "x": 1,
            "xanchor": "left", "xshift": 4, "yref": "y", "y": (start + i - 1) / 2, "yanchor": "middle",
            "font": {"size": 12, "color": tranche_colour(tranche)},
        })
        if i < len(tuinen):
            shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": i - 0.5,
                           "y1": i - 0.5, "line": {"color": GRIJS_TEKST, "width": 1.5}})
        start = i
    return shapes, annotations


def _legend_entry(name: str, colour: str, symbol: str = "square") -> dict:
    """A legend item without data (a heatmap has no legend of its own)."""
    return {"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": name, "hoverinfo": "skip",
            "marker": {"symbol": symbol, "size": 15, "color": colour, "line": {"width": 1, "color": colour}}}


def _grid(rows: int, columns: int, value=None) -> list[list]:
    return [[value] * columns for _ in range(rows)]


def delivery_matrix(fd: FigureData) -> dict:
    """Proeftuinen (rows) against quarters (columns): one coloured, marked tile per delivery status.
    A proeftuin's quarters before its start are empty."""
    df = fd.df
    if df.empty:
        return empty_figure()
    tuinen = proeftuinen_listed(df["proeftuin"])
    kwartalen = sorted(df["kwartaal"].unique())
    col = {k: j for j, k in enumerate(kwartalen)}
    row = {p.code: i for i, p in enumerate(tuinen)}
    naam = {p.code: p.naam for p in tuinen}
    status_of = _grid(len(tuinen), len(kwartalen))
    text = _grid(len(tuinen), len(kwartalen), "")
    hover = _grid(len(tuinen), len(kwartalen), "")
    for r in records(df):
        i, j, status = row[r["proeftuin"]], col[r["kwartaal"]], r["status"]
        afgewezen = int(r["afgewezen"] or 0)
        hersteld = afgewezen > 0 and status in ("op_tijd", "te_laat")
        status_of[i][j] = status
        text[i][j] = (STATUSES["afgewezen"].mark if hersteld else "") + (STATUSES[status].mark if status in STATUSES else "?")
        hover[i][j] = _status_hover(naam[r["proeftuin"]], r, status, afgewezen)
    names = [p.naam for p in tuinen]
    # One trace per status: each its own colour, with a mark colour that contrasts with it.
    data = []
    for s in STATUSSEN:
        cells = [[1 if v == s else None for v in line] for line in status_of]
        data.append({
            "type": "heatmap", "z": cells, "x": kwartalen, "y": names, "name": STATUSES[s].label.lower(),
            "colorscale": [[0, STATUSES[s].colour], [1, STATUSES[s].colour]], "showscale": False,
            "text": [[t if c else "" for t, c in zip(tl, cl)] for tl, cl in zip(text, cells)],
            "texttemplate": "%{text}", "textfont": {"size": 14, "color": MARK_ON_TILE},
            "customdata": [[h if c else None for h, c in zip(hl, cl)] for hl, cl in zip(hover, cells)],
            "hovertemplate": "%{customdata}<extra></extra>", "hoverongaps": False,
            "xgap": 2, "ygap": 2, "showlegend": False,
        })
    data += [_legend_entry(STATUS_LEGEND[s], STATUSES[s].colour) for s in STATUSSEN]
    shapes, annotations = _tranche_marks(tuinen)
    if (pd.to_numeric(df["afgewezen"], errors="coerce").fillna(0) > 0).any():
        data.append(_legend_entry(HERSTELD_LEGEND, STATUSES["op_tijd"].colour))
    return plain_figure(data, {
        "xaxis": {**_quarter_ticks(kwartalen), "side": "top", "fixedrange": True, "showgrid": False,
                  "tickfont": {"size": 12}},
        "yaxis": _proeftuin_axis(tuinen),
        "legend": {"orientation": "h", "x": 0, "y": 0, "yref": "container", "yanchor": "bottom",
                   "itemclick": False, "itemdoubleclick": False},
        "margin": {"l": 20, "r": 30, "t": 60, "b": 60},
        "plot_bgcolor": "#FFFFFF",
        "hovermode": "closest",
        "shapes": shapes, "annotations": annotations,
    })


def _status_hover(naam: str, r: dict, status: str, afgewezen: int) -> str:
    head = f"<b>{naam}</b> · {r['kwartaal']}<br>"
    if status in ("op_tijd", "te_laat"):
        dagen = int(r["dagen_na_kwartaal"])
        text = (f"{STATUSES[status].label}: geaccepteerd op {format_date_nl(r['ontvangen'])}, "
                f"{format_nl(dagen)} dagen na het eind van het kwartaal")
        if afgewezen:
            text += f"<br>Eerst {format_nl(afgewezen)}× afgewezen, daarna geaccepteerd"
        return head + text
    if status == "afgewezen":
        return head + f"Afgewezen: {format_nl(afgewezen)}× afgewezen, nog geen geaccepteerde levering"
    return head + "Ontbreekt: geen levering ontvangen"


def first_time_figure(fd: FigureData) -> dict:
    """Horizontal bars per proeftuin (its fixed colour) with the percentage and 'n van m'."""
    df = fd.df
    if df.empty or not (pd.to_numeric(df["leveringen"], errors="coerce").fillna(0) > 0).any():
        return empty_figure("Geen leveringen voor deze selectie")
    tuinen = proeftuinen_listed(df["proeftuin"])
    by_code = {r["proeftuin"]: r for r in records(df)}
    rows = [by_code[p.code] for p in tuinen]
    values = [number(r["waarde"]) for r in rows]
    labels = [
        (f"{format_percent_nl(v, 0 if v.is_integer() else 1)}  "
         f"({shown(r['eerste_keer_goed'])} van {shown(r['leveringen'])})"
         if v is not None else "geen leveringen")
        for v, r in zip(values, rows)
    ]
    bars = {
        "type": "bar", "orientation": "h", "x": [v if v is not None else 0 for v in values],
        "y": [p.naam for p in tuinen], "marker": {"color": [proeftuin_colour(p.code) for p in tuinen]},
        "text": labels, "insidetextanchor": "end", "textfont": {"size": 13},
        # A short bar has no room for its label inside: it goes after the bar.
        "textposition": ["inside" if v is not None and v >= 35 else "outside" for v in values],
        "customdata": [[p.naam, label] for p, label in zip(tuinen, labels)],
        "hovertemplate": "<b>%{customdata[0]}</b><br>In één keer goed: %{customdata[1]}<extra></extra>",
        "showlegend": False,
    }
    shapes, annotations = _tranche_marks(tuinen)
    return plain_figure([bars], {
        "xaxis": {"range": [0, 100], "ticksuffix": "%", "dtick": 20, "fixedrange": True,
                  "title": {"text": "Eerst ontvangen bestand geaccepteerd"}},
        "yaxis": _proeftuin_axis(tuinen),
        "margin": {"l": 20, "r": 30, "t": 20, "b": 50},
        "bargap": 0.25,
        "shapes": shapes, "annotations": annotations,
    })


def completeness_figure(fd: FigureData) -> dict:
    """Proeftuinen (rows) against the optional fields (columns), coloured by the percentage filled
    in; a hidden small number is a grey tile marked '–'."""
    df = fd.df
    if df.empty or not (pd.to_numeric(df["totaal"], errors="coerce").fillna(0) > 0).any():
        return empty_figure("Geen casussen voor deze selectie")
    tuinen = proeftuinen_listed(df["proeftuin"])
    velden = list(dict.fromkeys(df["veld"]))
    labels = [_veld_label(v) for v in velden]
    row = {p.code: i for i, p in enumerate(tuinen)}
    col = {v: j for j, v in enumerate(velden)}
    naam = {p.code: p.naam for p in tuinen}
    z = _grid(len(tuinen), len(velden))
    hidden = _grid(len(tuinen), len(velden))
    text = _grid(len(tuinen), len(velden), "")
    hidden_text = _grid(len(tuinen), len(velden), "")
    hover = _grid(len(tuinen), len(velden), "")
    for r in records(df):
        i, j = row[r["proeftuin"]], col[r["veld"]]
        value = number(r["waarde"])
        head = f"<b>{naam[r['proeftuin']]}</b> · {labels[j]}<br>"
        if value is not None:
            z[i][j] = value
            text[i][j] = format_nl(value, 1 if value % 1 else 0)
            hover[i][j] = (head + f"{format_percent_nl(value, 1)} ingevuld "
                           f"({shown(r['gevuld'])} van {shown(r['totaal'])} casussen)")
        elif number(r["totaal"]) == 0:
            hover[i][j] = head + "Geen casussen in deze selectie"
        else:
            hidden[i][j] = 1
            hidden_text[i][j] = "–"
            hover[i][j] = (head + f"Afgeschermd: {shown(r['gevuld'])} van {shown(r['totaal'])} casussen ingevuld; "
                           "een klein aantal gevulde of lege velden wordt niet getoond")
    names = [p.naam for p in tuinen]
    shapes, annotations = _tranche_marks(tuinen)
    common = {"x": labels, "y": names, "texttemplate": "%{text}", "hovertemplate": "%{customdata}<extra></extra>",
              "hoverongaps": False, "xgap": 2, "ygap": 2}
    data = [{
        "type": "heatmap", **common, "z": z, "text": text, "name": "Ingevuld", "textfont": {"size": 12},
        "customdata": [[h if v is not None else None for h, v in zip(hl, zl)] for hl, zl in zip(hover, z)],
        "zmin": VOLLEDIG_MIN, "zmax": 100, "colorscale": VOLLEDIG_SCALE,
        "colorbar": {"title": {"text": "Ingevuld", "side": "top"}, "thickness": 12, "len": 0.9, "x": 1.04,
                     "tickvals": [50, 60, 70, 80, 90, 100],
                     "ticktext": ["≤ 50%", "60%", "70%", "80%", "90%", "100%"]},
    }]
    if any(v for line in hidden for v in line):
        data.append({
            "type": "heatmap", **common, "z": hidden, "text": hidden_text, "name": "Afgeschermd",
            "customdata": [[h if v else None for h, v in zip(hl, vl)] for hl, vl in zip(hover, hidden)],
            "colorscale": [[0, AFGESCHERMD_COLOUR], [1, AFGESCHERMD_COLOUR]], "showscale": False,
            "textfont": {"size": 12, "color": GRIJS_TEKST},
        })
    return plain_figure(data, {
        "xaxis": {"type": "category", "categoryorder": "array", "categoryarray": labels, "side": "top",
                  "tickangle": -40, "fixedrange": True, "showgrid": False, "tickfont": {"size": 12},
                  "automargin": True},
        "yaxis": _proeftuin_axis(tuinen),
        "margin": {"l": 20, "r": 20, "t": 20, "b": 20},
        "plot_bgcolor": "#FFFFFF",
        "shapes": shapes, "annotations": annotations,
    })
