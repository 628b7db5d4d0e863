"""The status of the casussen deliveries per quarter: delivered, late or missing, with the due date.

Read from the IV page's figure 'leveringen-status' (queries/leveringen-status.sql), the one place
where the term of 30 days after the quarter is written (its column ``uiterlijk``), through
figure_data, so the role scoping is the delivery log's: a proeftuin sees its own quarters, the
steering group none (NotForRole: no section, no notice).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from dash import dcc, html

from dashboard.ui.data import data_dir
from dashboard.ui.format import format_date_nl
from dashboard.ui.tables import data_table
from dashboard.ui.vocab import proeftuin_names

from .figuredata import Filters, NoData, figure_data
from .security import NotForRole

STATUS_FIGURE = "leveringen-status"
SHOWN_QUARTERS = 4  # the programme team's overview: the latest quarters, one column each
NOT_DONE = ("te_laat", "afgewezen", "ontbreekt")


def status_frame(own: str | None) -> pd.DataFrame | None:
    """The query's rows for this viewer (only `own` when given); None when there is nothing to show."""
    try:
        df = figure_data(STATUS_FIGURE, Filters(proeftuinen=(own,) if own else ()), data_dir=data_dir()).df
    except (NoData, NotForRole):
        return None
    return df if not df.empty else None


def status_words(row: dict, today: dt.date | None = None) -> str:
    """'op tijd, ontvangen 12-10-2026' · 'ontbreekt (uiterlijk 30-10-2026)' · 'nog niet ontvangen …'."""
    today = today or dt.date.today()
    due = pd.Timestamp(row["uiterlijk"]).date()
    status = row["status"]
    if status in ("op_tijd", "te_laat"):
        received = format_date_nl(pd.Timestamp(row["ontvangen"]).date())
        return f"{'op tijd' if status == 'op_tijd' else 'te laat'}, ontvangen {received}"
    if status == "afgewezen":
        if today <= due:
            return f"afgewezen, nog niets geaccepteerd (uiterlijk {format_date_nl(due)})"
        return f"te laat: alleen afgewezen leveringen (uiterlijk was {format_date_nl(due)})"
    if today <= due:
        return f"nog niet ontvangen (uiterlijk {format_date_nl(due)})"
    return f"ontbreekt (uiterlijk was {format_date_nl(due)})"


def status_section(own: str | None):
    """Per quarter what was delivered and what is late or missing: all quarters of one proeftuin,
    or the latest quarters of every proeftuin for the programme team."""
    title = html.H2("Stand van de leveringen")
    explain = html.P(
        "Casussen-leveringen per kwartaal, zoals de pagina IV-strategie ze telt: op tijd is uiterlijk 30 dagen na "
        "het eind van het kwartaal geaccepteerd.", className="pm-definition")
    df = status_frame(own)
    if df is None:
        return html.Section([title, explain, html.P("Er zijn nog geen leveringen ontvangen.")],
                            className="pm-section pm-card", id="leveringen-stand")
    df = df.assign(stand=[status_words(r) for r in df.to_dict("records")])
    if own is not None:
        table = df.sort_values("kwartaal", ascending=False)
        shown = data_table(table, {"kwartaal": "Kwartaal", "stand": "Stand"})
    else:
        latest = sorted(df["kwartaal"].unique())[-SHOWN_QUARTERS:][::-1]
        wide = (df[df["kwartaal"].isin(latest)].pivot(index="proeftuin", columns="kwartaal", values="stand")
                .reindex(columns=latest).reset_index())
        order = list(proeftuin_names())
        wide = wide.sort_values("proeftuin", key=lambda s: s.map(order.index))
        shown = data_table(wide, {"proeftuin": "Proeftuin", **{q: q for q in latest}})
    return html.Section([title, explain, shown], className="pm-section pm-card", id="leveringen-stand")


def notice(presentatie: bool = False):
    """A short notice when casussen deliveries for the last quarter are missing or late; else None.
    The role scoping of figure_data narrows it to a proeftuin's own delivery."""
    if presentatie:
        return None
    df = status_frame(None)
    if df is None:
        return None
    last = df["kwartaal"].max()
    open_rows = df[(df["kwartaal"] == last) & df["status"].isin(NOT_DONE)]
    if open_rows.empty:
        return None
    due = format_date_nl(pd.Timestamp(open_rows["uiterlijk"].iloc[0]).date())
    names = proeftuin_names()
    late = [names.get(p, p) for p in open_rows[open_rows["status"] == "te_laat"]["proeftuin"]]
    missing = [names.get(p, p) for p in open_rows[open_rows["status"] != "te_laat"]["proeftuin"]]
    parts = []
    if missing:
        parts.append(f"nog niet (geaccepteerd) binnen van {', '.join(missing)}")
    if late:
        parts.append(f"te laat ontvangen van {', '.join(late)}")
    text = f"Casussen-leveringen over {last} (uiterlijk {due}): {'; '.join(parts)}. "
    return html.Div([text, dcc.Link("Naar Aanleveren", href="/aanleveren")],
                    className="alert alert-warning pm-lever-melding", role="note", id="leveringen-melding")
