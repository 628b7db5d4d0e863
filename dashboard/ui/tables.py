"""Tables of figure data, and the scroll region a wide table or grid sits in."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd
from dash import dcc, html

from dashboard.ui.format import format_cell
from dashboard.ui.links import link_list, linked_columns, table_targets
from dashboard.ui.view import View
from dashboard.ui.vocab import proeftuin_names


def data_table(df: pd.DataFrame, columns: Mapping[str, str] | None = None, *, caption: str | None = None,
               class_name: str = "pm-table", links: View | None = None, own: str | None = None):
    """A table of figure data: Dutch numbers, '<5' as is, None as '–', proeftuin names.

    With `links` (the page's view), proeftuinen and quarters lead to their page or view, as in
    the chart (ui.links.table_targets): linked cells when each row is another one, else a short
    list of links under the table. `own`: the proeftuin the page is about (no link to itself).

    Written as one Markdown table (dcc.Markdown draws a real <table> with <th> headers, numeric
    columns right-aligned) rather than a Dash component per cell: a page's table views had some
    2,000 cells, which cost more server time than everything else on the page together.
    """
    if not columns:  # a code with its label next to it: the label only
        columns = {c: c.replace("_", " ").capitalize() for c in df.columns
                   if not (c == "kpi" and "titel" in df.columns)}
    columns = dict(columns)
    names = proeftuin_names()
    targets = table_targets(df, links, own) if links is not None else {}
    linked = linked_columns(df, targets)

    def cell(column, value) -> str:
        href = targets[column].get(value) if column in linked and isinstance(value, str) else None
        if column == "proeftuin" and isinstance(value, str):
            value = names.get(value, value)
        elif isinstance(value, str) and _CODE.fullmatch(value):
            value = value.replace("_", " ")  # op_tijd -> op tijd
        else:
            value = format_cell(value)
        text = _MARKDOWN_SPECIAL.sub(r"\\\g<0>", " ".join(str(value).split())) or " "
        return f"[{text}]({href})" if href else text

    numeric = {c for c in columns if c in df.columns and c != "proeftuin" and _numeric(df[c])}
    lines = ["| " + " | ".join(cell(None, label) for label in columns.values()) + " |",
             "| " + " | ".join("---:" if c in numeric else "---" for c in columns) + " |"]
    # Column by column: DataFrame.to_dict("records") was a sixth of a page's time.
    lines += ["| " + " | ".join(cell(c, v) for c, v in zip(columns, row)) + " |"
              for row in zip(*(df[c].tolist() for c in columns))]
    parts = [html.P(caption, className="pm-table-caption")] if caption else []
    parts.append(dcc.Markdown("\n".join(lines), className="pm-table-body"))
    if targets:
        parts.append(link_list(df, targets, names))
    return html.Div(parts, className=class_name)


def scroll_region(table, label: str):
    """A wide table in its own horizontal scroll area, so the page itself never scrolls sideways
    (WCAG 1.4.10). The area takes the focus and has a name, so a keyboard user can scroll it too."""
    return html.Div(table, className="table-responsive pm-scroll", tabIndex=0, role="region",
                    **{"aria-label": label})


def _numeric(values: pd.Series) -> bool:
    """Numbers, '<5' marks and blanks only (a protected count column is of dtype object)."""
    if pd.api.types.is_bool_dtype(values):
        return False
    if pd.api.types.is_numeric_dtype(values):
        return True
    seen = [v for v in values if v is not None and not (isinstance(v, float) and pd.isna(v))]
    return bool(seen) and all((isinstance(v, (int, float)) and not isinstance(v, bool))
                              or (isinstance(v, str) and v.startswith("<")) for v in seen)


_CODE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
# Inside a table cell only these start Markdown (emphasis, code, links, HTML, entities, strike,
# a cell border); escaped, a name or '<5' shows as written.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>&~|]")

