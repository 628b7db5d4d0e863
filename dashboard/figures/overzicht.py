"""The cards of the Overzicht page that are also slides: the key figures, and registrations and
running cases per tranche over the quarters. The delivery table stays in dashboard/pages/overzicht.py.
"""

from __future__ import annotations

from dashboard.figuredata import FigureData
from dashboard.ui.cards import Card, figure_card, sum_basis
from dashboard.ui.charts import empty_figure, numbers, plain_figure, quarter_axis
from dashboard.ui.format import shown
from dashboard.ui.kpi import kpi_cards
from dashboard.ui.view import View
from dashboard.ui.vocab import TRANCHE_COLOURS, TRANCHE_DASHES, TRANCHE_SYMBOLS, tranche_label

INSTROOM_FIGURE = "instroom-per-tranche"
LOPEND_FIGURE = "lopend-per-tranche"


def kpi_section(view: View):
    return kpi_cards(view)


def instroom_card(view: View):
    return figure_card(
        INSTROOM_FIGURE, view, lambda fd: tranche_figure(fd, "aangemeld", "Aangemelde casussen", bars=True),
        Card(
            title="Aangemelde casussen per kwartaal",
            description="Aantal casussen aangemeld in het kwartaal, opgeteld per tranche.",
            basis=sum_basis("aangemeld", "aangemelde casussen"),
            table_columns={"tranche": "Tranche", "kwartaal": "Kwartaal", "aangemeld": "Aangemeld"},
        ),
    )


def lopend_card(view: View):
    def basis(fd: FigureData) -> str | None:
        if fd.df.empty:
            return None
        last = fd.df["kwartaal"].max()
        return f"{sum_basis('lopend')(_rows(fd, kwartaal=last))} die eind {last} liepen"

    return figure_card(
        LOPEND_FIGURE, view, lambda fd: tranche_figure(fd, "lopend", "Lopende casussen", bars=False),
        Card(
            title="Lopende casussen aan het eind van het kwartaal",
            description="Aantal casussen dat op de laatste dag van het kwartaal loopt, opgeteld per tranche.",
            basis=basis,
            table_columns={"tranche": "Tranche", "kwartaal": "Kwartaal", "lopend": "Lopend"},
        ),
    )


def _rows(fd: FigureData, **where) -> FigureData:
    df = fd.df
    for column, value in where.items():
        df = df[df[column] == value]
    return FigureData(fd.indicator, fd.filters, df, fd.threshold, fd.protected)


def tranche_figure(fd: FigureData, column: str, label: str, *, bars: bool) -> dict:
    """One series per tranche over the quarters, in the tranche's fixed colour.

    A protected count ('<5') draws nothing; the hover still says what it is.
    """
    df = fd.df
    if df.empty:
        return empty_figure()
    kwartalen = sorted(df["kwartaal"].unique())
    data = []
    for tranche, colour in TRANCHE_COLOURS.items():
        rows = df[df["tranche"] == tranche]
        if rows.empty:
            continue
        trace = {
            "x": rows["kwartaal"].tolist(), "y": numbers(rows[column]).tolist(),
            "customdata": [shown(v) for v in rows[column]], "name": tranche_label(tranche),
            "hovertemplate": f"{tranche_label(tranche)}<br>%{{x}}: %{{customdata}} casussen<extra></extra>",
        }
        if bars:
            data.append({"type": "bar", "marker": {"color": colour}, **trace})
        else:
            data.append({"type": "scatter", "mode": "lines+markers",
                         "line": {"color": colour, "width": 3, "dash": TRANCHE_DASHES[tranche]},
                         "marker": {"size": 8, "symbol": TRANCHE_SYMBOLS[tranche]}, **trace})
    return plain_figure(data, {
        "barmode": "group",
        "bargap": 0.25,
        "xaxis": {"title": {"text": "Kwartaal"}, **quarter_axis(kwartalen)},
        "yaxis": {"title": {"text": label}, "tickformat": ",d", "rangemode": "tozero"},
        "margin": {"t": 40},
    })
