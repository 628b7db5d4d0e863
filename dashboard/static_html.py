"""Dash component trees as static HTML: what a page shows, without a Dash app to run it.

Used by the steering-group report (dashboard/report.py), so the report shows exactly what the
slides show. `html.*` components become their tag, `dcc.Graph` a <div> with the figure as
inline JSON (drawn by the report's own script), `dcc.Markdown` its text (the tables of
`ui.tables.data_table` as real tables), the few Bootstrap components the cards use their
Bootstrap markup; controls (buttons, dropdowns, radio items, downloads) are left out, since
nothing in a file can answer them. Links into the app become plain text, except the link to a
figure's definition, which points at the report's appendix.
"""

from __future__ import annotations

import html as escape
import json
import re
from collections.abc import Iterator

import plotly.io as pio

# Nothing in a file can answer these; a report shows no controls.
DROPPED = frozenset({
    ("dash_core_components", "Download"), ("dash_core_components", "Dropdown"),
    ("dash_core_components", "Store"), ("dash_core_components", "Location"),
    ("dash_core_components", "Interval"), ("dash_core_components", "Upload"),
    ("dash_core_components", "RadioItems"), ("dash_core_components", "Checklist"),
    ("dash_html_components", "Button"), ("dash_bootstrap_components", "Button"),
    ("dash_bootstrap_components", "RadioItems"), ("dash_bootstrap_components", "Checklist"),
})
# Bootstrap components as the markup they draw: (tag, base class).
BOOTSTRAP = {
    "Row": ("div", "row"), "Col": ("div", "col"), "Card": ("div", "card"), "CardBody": ("div", "card-body"),
    "CardHeader": ("div", "card-header"), "Alert": ("div", "alert"), "Badge": ("span", "badge"),
    "Table": ("table", "table"), "Container": ("div", "container"),
}
ATTRIBUTE_NAMES = {"className": "class", "class_name": "class", "htmlFor": "for", "tabIndex": "tabindex",
                   "colSpan": "colspan", "rowSpan": "rowspan"}
PLAIN_ATTRIBUTES = frozenset({"id", "title", "role", "scope", "lang", "alt", "headers", "open", "hidden"})
VOID = frozenset({"br", "hr", "img", "wbr", "col"})
GRAPH_CLASS = "pm-rapport-grafiek"
DEFINITION_LINK = "/definities#"


def _json_for_script(value: str) -> str:
    """JSON safe inside <script>: no '<', '>' or '&' that could end or open an element."""
    return value.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_CAMEL = re.compile(r"(?<!^)([A-Z])")


def _style(style: dict) -> str:
    return "; ".join(_CAMEL.sub(lambda m: "-" + m.group(1), k).lower() + f": {v}" for k, v in style.items())


def _attributes(props: dict, base_class: str | None = None) -> str:
    out = []
    classes = [base_class] if base_class else []
    for name, value in props.items():
        if value is None or value is False or name == "children":
            continue
        if name in ("className", "class_name"):
            classes.append(str(value))
            continue
        if name == "id" and not isinstance(value, str):
            continue  # a pattern id (a dict) is Dash's business
        if name == "style" and isinstance(value, dict):
            out.append(f'style="{escape.escape(_style(value))}"')
            continue
        key = ATTRIBUTE_NAMES.get(name, name)
        if not (key in PLAIN_ATTRIBUTES or key in ATTRIBUTE_NAMES.values()
                or key.startswith(("aria-", "data-"))):
            continue
        out.append(key if value is True else f'{key}="{escape.escape(str(value))}"')
    # In name order: Dash does not keep the order in which wildcard (aria-, data-) props were given.
    out.sort()
    if classes:
        out.insert(0, f'class="{escape.escape(" ".join(classes))}"')
    return (" " + " ".join(out)) if out else ""


class Renderer:
    """Renders component trees; remembers the figures (`figure_ids`) and graphs it drew."""

    def __init__(self) -> None:
        self.figure_ids: list[str] = []
        self.graphs = 0

    def render(self, node) -> str:
        return "".join(self._parts(node))

    def _parts(self, node) -> Iterator[str]:
        if node is None or isinstance(node, bool):
            return
        if isinstance(node, (str, int, float)):
            yield escape.escape(str(node))
            return
        if isinstance(node, (list, tuple)):
            for child in node:
                yield from self._parts(child)
            return
        namespace, kind = getattr(node, "_namespace", ""), getattr(node, "_type", "")
        if (namespace, kind) in DROPPED:
            return
        props = node.to_plotly_json()["props"]
        figure = props.get("data-figuur")
        if figure and figure not in self.figure_ids:
            self.figure_ids.append(figure)
        if namespace == "dash_html_components":
            yield from self._html(kind.lower(), props)
        elif namespace == "dash_core_components":
            yield from self._core(kind, props)
        elif namespace == "dash_bootstrap_components" and kind in BOOTSTRAP:
            yield from self._bootstrap(kind, props)
        else:  # anything else: its content, as far as it is components and text
            yield from self._parts(props.get("children"))

    def _html(self, tag: str, props: dict) -> Iterator[str]:
        if tag == "a":
            yield from self._link(props)
            return
        yield f"<{tag}{_attributes(props)}>"
        if tag in VOID:
            return
        yield from self._parts(props.get("children"))
        yield f"</{tag}>"

    def _link(self, props: dict) -> Iterator[str]:
        href = str(props.get("href") or "")
        if href.startswith(DEFINITION_LINK):
            target = href[len(DEFINITION_LINK):]
            attrs = {k: v for k, v in props.items() if k != "href"}
            yield f'<a href="#{escape.escape(target)}"{_attributes(attrs)}>'
            yield from self._parts(props.get("children"))
            yield "</a>"
        else:  # a page of the app does not exist in a file: the text only
            yield from self._parts(props.get("children"))

    def _core(self, kind: str, props: dict) -> Iterator[str]:
        if kind == "Graph":
            yield self._graph(props)
        elif kind == "Markdown":
            yield f"<div{_attributes({'className': props.get('className')})}>"
            yield markdown_html(props.get("children") or "")
            yield "</div>"
        elif kind == "Link":
            yield from self._link(props)
        else:
            yield from self._parts(props.get("children"))

    def _bootstrap(self, kind: str, props: dict) -> Iterator[str]:
        tag, base = BOOTSTRAP[kind]
        if kind == "Alert":
            base = f"alert alert-{props.get('color') or 'primary'}"
        yield f"<{tag}{_attributes(props, base)}>"
        yield from self._parts(props.get("children"))
        yield f"</{tag}>"

    def _graph(self, props: dict) -> str:
        self.graphs += 1
        figure = props.get("figure") or {}
        spec = {"figure": json.loads(pio.to_json(figure, validate=False)), "config": props.get("config") or {}}
        style = props.get("style")
        attrs = _attributes({"className": f"{GRAPH_CLASS} {props.get('className') or ''}".strip(),
                             "style": style if isinstance(style, dict) else None})
        data = _json_for_script(json.dumps(spec, ensure_ascii=False, separators=(",", ":")))
        return f'<div{attrs}><script type="application/json">{data}</script></div>'


_ESCAPED = re.compile(r"\\([\\`*_\[\]<>&~|])")


def _markdown_text(text: str) -> str:
    return escape.escape(_ESCAPED.sub(r"\1", text.strip()))


def _cells(line: str) -> list[str]:
    return [c for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def markdown_html(text: str) -> str:
    """The Markdown the pages write (ui.tables.data_table's pipe tables, plain paragraphs) as
    HTML; everything else shows as its text."""
    blocks, out = re.split(r"\n\s*\n", text.strip()), []
    for block in blocks:
        lines = [line for line in block.splitlines() if line.strip()]
        if len(lines) >= 2 and lines[0].lstrip().startswith("|") and set(lines[1].replace(" ", "")) <= set("|-:"):
            aligns = ["right" if c.strip().endswith(":") else "left" for c in _cells(lines[1])]
            head = "".join(f'<th style="text-align: {a}">{_markdown_text(c)}</th>'
                           for c, a in zip(_cells(lines[0]), aligns))
            rows = "".join("<tr>" + "".join(f'<td style="text-align: {a}">{_markdown_text(c)}</td>'
                                            for c, a in zip(_cells(line), aligns)) + "</tr>" for line in lines[2:])
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        else:
            out.append(f"<p>{_markdown_text(' '.join(lines))}</p>")
    return "".join(out)
