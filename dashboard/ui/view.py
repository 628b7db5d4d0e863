"""The view in the URL: filters, page toggles and presentation mode, parsed and validated.

The URL is the only view state: a page is `layout(**query)`, a copied link reproduces the view.
Page toggles are controls with `id=param_id(name)`; their value goes into the URL as
`name=value` (`search_for_controls`, called by the shared callback in `ui.callbacks`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote

import dash

from dashboard import reference
from dashboard.figuredata import Filters

FILTER_PARAMS = ("tranche", "proeftuinen", "van", "tot")
PRESENTATIE = "presentatie"
RESERVED = (*FILTER_PARAMS, PRESENTATIE)
PARAM = "pm-param"
ALLE = "alle"
_QUARTER_RE = re.compile(r"^(20\d\d)-Q([1-4])$")
_MAX_VALUE = 2000  # longer query values are ill-formed by definition


@dataclass(frozen=True)
class View:
    """Everything that decides what a page shows: filters, page toggles, presentation mode."""

    filters: Filters = Filters()
    extra: Mapping[str, str] = field(default_factory=dict)  # every declared toggle -> its value
    presentatie: bool = False
    defaults: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def to_query(self) -> str:
        """The canonical query string (no '?'): filters, non-default toggles, presentatie."""
        f = self.filters
        parts = []
        if f.tranche:
            parts.append(f"tranche={f.tranche}")
        if f.proeftuinen:
            parts.append("proeftuinen=" + ",".join(f.proeftuinen))
        if f.van:
            parts.append(f"van={f.van}")
        if f.tot:
            parts.append(f"tot={f.tot}")
        for name in sorted(self.extra):
            if self.extra[name] != self.defaults.get(name):
                parts.append(f"{name}={quote(self.extra[name], safe='')}")
        if self.presentatie:
            parts.append(f"{PRESENTATIE}=1")
        return "&".join(parts)

    @property
    def search(self) -> str:
        """`to_query` as a URL search part: '?…', or '' for the default view."""
        query = self.to_query()
        return f"?{query}" if query else ""

    def href(self, path: str) -> str:
        return path + self.search

    def replace(self, **changes) -> View:
        """A copy with other filter values (tranche=, van=, …) or extra=/presentatie=."""
        filter_changes = {k: v for k, v in changes.items() if k in FILTER_PARAMS}
        view_changes = {k: v for k, v in changes.items() if k not in FILTER_PARAMS}
        filters = dataclasses.replace(self.filters, **filter_changes)
        return dataclasses.replace(self, filters=filters, **view_changes)


def parse_search(search: str | None) -> dict[str, str | list[str]]:
    """'?a=1&b=2&b=3' -> {'a': '1', 'b': ['2', '3']}: the way Dash passes query args to layout()."""
    if not search:
        return {}
    parsed = parse_qs(search.lstrip("?"), keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def _single(value) -> str | None:
    """One well-formed scalar query value, else None (repeated or overlong values are ignored)."""
    if not isinstance(value, str) or len(value) > _MAX_VALUE:
        return None
    return value.strip()


def _quarter(value) -> str | None:
    text = _single(value)
    if not text:
        return None
    text = text.upper()
    return text if _QUARTER_RE.match(text) else None


def _proeftuinen(value, tranche: int | None) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    known = {p.code for p in reference.proeftuinen() if not tranche or p.tranche == tranche}
    codes = set()
    for item in items:
        if isinstance(item, str) and len(item) <= _MAX_VALUE:
            codes.update(c.strip().lower() for c in item.split(",") if c.strip().lower() in known)
    return tuple(sorted(codes))


def view_from_query(query: Mapping[str, Any], extra: Mapping[str, Sequence[str]] | None = None) -> View:
    """Parse and validate query args (Dash's `layout(**kwargs)` or `parse_search`).

    `extra` declares the page's toggles: name -> allowed values, the first being the default.
    Anything unknown or ill-formed is dropped, never passed on to a query: a tranche other
    than 1 or 2 means both, unknown proeftuin codes (and those outside the chosen tranche) are
    left out, a quarter must look like 2024-Q2 (a from-quarter after the to-quarter is read as
    swapped), a toggle outside its allowed values falls back to its default.
    """
    extra = dict(extra or {})
    clash = set(extra) & set(RESERVED)
    if clash:
        raise ValueError(f"page toggles may not reuse the names {sorted(clash)}")
    tranche = _single(query.get("tranche"))
    van, tot = _quarter(query.get("van")), _quarter(query.get("tot"))
    if van and tot and van > tot:
        van, tot = tot, van
    tranche = int(tranche) if tranche in ("1", "2") else None
    filters = Filters(
        tranche=tranche,
        proeftuinen=_proeftuinen(query.get("proeftuinen"), tranche),
        van=van,
        tot=tot,
    )
    values, defaults = {}, {}
    for name, allowed in extra.items():
        allowed = [str(a) for a in allowed]
        given = _single(query.get(name))
        defaults[name] = allowed[0]
        values[name] = given if given in allowed else allowed[0]
    return View(filters=filters, extra=values, presentatie=_single(query.get(PRESENTATIE)) == "1",
                defaults=defaults)


def param_id(name: str) -> dict:
    """The id of a control whose value goes into the URL as `name=value`."""
    return {"type": PARAM, "name": name}


def _page_for(pathname: str | None) -> dict:
    """The registered page of a pathname ('/proeftuin/zeeland' matches '/proeftuin/<code>')."""
    parts = (pathname or "/").rstrip("/").split("/") or [""]
    for page in dash.page_registry.values():
        template = (page.get("path_template") or page["path"]).rstrip("/").split("/")
        if len(template) == len(parts) and all(
            t == p or (t.startswith("<") and t.endswith(">")) for t, p in zip(template, parts)
        ):
            return page
    return {}


def _query_value(value) -> str | None:
    """A control's value as it goes into the URL; None removes the parameter."""
    if value is None or value == [] or value == "":
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def search_for_controls(names: Sequence[str], values: Sequence, pathname: str | None,
                        search: str | None) -> str:
    """The new URL search after the filter controls changed; the view is re-validated."""
    query = parse_search(search)
    for name, value in zip(names, values):
        shown = _query_value(value)
        if shown is None or (name == "tranche" and shown == ALLE):
            query.pop(name, None)
        else:
            query[name] = shown
    return view_from_query(query, _page_for(pathname).get("view_extra")).search

