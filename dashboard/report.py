"""The steering-group report: the presentation's slides as one self-contained HTML file.

Every slide of dashboard/pages/presentatie.py is drawn by its own card builders in presentation
mode (small numbers always protected, whatever role or setting) and written out as static HTML
(dashboard/static_html.py): the figures as interactive charts in the Dutch locale, the key
numbers, the peildatum, the filters, and an appendix with the definition of every figure shown.
plotly.js, its Dutch locale and the style sheets are inside the file: it opens offline, from a
mail attachment. `python -m dashboard rapport` writes it (dashboard/cli.py), the button on the
slides downloads it (dashboard/report_download.py); dashboard/pdf.py prints it to PDF.

`build_report` runs inside a Flask request of a Dash app with the pages registered (the card
builders read the data folder and the viewer from there): the web app's own request for the
button, `render_offline` for the command line.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from plotly.offline import get_plotlyjs

from dashboard import figuredata, protection, registry
from dashboard.figuredata import Filters
from dashboard.stamp import filters_text
from dashboard.static_html import Renderer
from dashboard.ui.format import format_date_nl
from dashboard.ui.vocab import css_variables

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
# The dashboard's own look; print.css makes A4 landscape pages of it.
STYLE_SHEETS = ("bootstrap.min.css", "app.css", "components.css", "print.css")
LOCALE_SCRIPT = "plotly-locale-nl.js"
PRINT_SCRIPT = "afdrukken.js"  # fits the charts to the page when the file is printed
TITLE = "Rapport voor de stuurgroep"
APP_TITLE = "Proeftuinmonitor"
PROGRAMME = "Toekomstscenario kind- en gezinsbescherming"
FILE_PREFIX = "rapport-stuurgroep"

# The report is a long document, not one screen per slide: a fixed graph height instead of the
# slides' screen-filling one, each slide from a new page when printed.
REPORT_CSS = """
.pm-app.pm-rapport { min-height: 0; }
.pm-rapport .pm-main { max-width: 1320px; margin: 0 auto; padding: 1.5rem; }
.pm-app.pm-rapport .pm-graph { height: 460px; min-height: 0; }
.pm-rapport .pm-rapport-kop { border-bottom: 4px solid var(--pm-lintblauw); margin-bottom: 1.5rem; }
.pm-rapport .pm-rapport-programma { color: var(--pm-tekst-zacht); margin: 0; }
.pm-rapport .pm-rapport-gegevens { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
.pm-rapport .pm-rapport-gegevens dd { margin: 0; }
.pm-rapport .pm-rapport-dia { margin-bottom: 2.5rem; }
.pm-rapport .pm-rapport-dianummer { color: var(--pm-tekst-zacht); margin: 0; }
.pm-rapport .pm-definition-entry { margin-bottom: 1.25rem; }
.pm-rapport .pm-print-peildatum { display: block; color: var(--pm-tekst-zacht); font-size: 0.9rem; }
@media print {
  .pm-rapport .pm-rapport-dia, .pm-rapport .pm-rapport-bijlage { break-before: page; }
  .pm-rapport .pm-main { padding: 0; }
  .pm-app.pm-rapport h1 { font-size: 1.5rem; }
  .pm-app.pm-rapport h2 { font-size: 1.15rem; }
  .pm-app.pm-rapport .pm-definition { font-size: 0.9rem; }
  .pm-app.pm-rapport .pm-protection-note { font-size: 0.8rem; }
}
"""

# Draws every chart of the file from its inline JSON, in the Dutch locale, without the modebar
# (whose buttons would reach out to plotly's cloud).
DRAW_SCRIPT = """
(function () {
  "use strict";
  document.querySelectorAll(".pm-rapport-grafiek").forEach(function (div) {
    var spec = JSON.parse(div.querySelector("script").textContent);
    var config = Object.assign({}, spec.config, {locale: "nl", displayModeBar: false, responsive: true});
    Plotly.newPlot(div, spec.figure.data || [], spec.figure.layout || {}, config);
  });
})();
"""


@dataclass(frozen=True)
class Report:
    html: str
    slides: int
    figure_ids: tuple[str, ...]
    graphs: int
    peildatum: dt.date | None


def slides() -> list[tuple[str, Callable]]:
    """The presentation's slides, (title, builder(view)), in order: the one place that reads them."""
    from dashboard.figures.slides import SLIDES

    return list(SLIDES)


def file_name(filters: Filters, peildatum: dt.date | None, suffix: str = ".html") -> str:
    """'rapport-stuurgroep_tranche-2_peildatum-2026-09-30.html': what the file is and of which data."""
    return f"{FILE_PREFIX}_{filters.slug()}" + (f"_peildatum-{peildatum.isoformat()}" if peildatum else "") + suffix


def _asset(name: str) -> str:
    return (ASSETS_DIR / name).read_text(encoding="utf-8")


def _inline_script(text: str) -> str:
    # plotly.js holds "</script>" in no string today; should it ever, the file would break here.
    return "<script>" + text.replace("</script", "<\\/script") + "</script>"


def _facts(info: figuredata.SnapshotInfo, filters: Filters, threshold: int, made: dt.datetime,
           viewer) -> str:
    rows = [
        ("Peildatum", f"{format_date_nl(info.peildatum)} (de cijfers lopen tot en met deze datum)"),
        ("Laatste aanlevering", format_date_nl(info.laatste_ontvangst)),
        ("Filters", filters_text(filters)),
        ("Kleine aantallen", "Altijd afgeschermd in dit rapport. " + protection.note(threshold, True)),
        ("Gemaakt", made.strftime("%d-%m-%Y %H:%M")
         + (f" door {viewer.user} ({viewer.role_label})" if viewer is not None else "")),
    ]
    if viewer is not None and viewer.proeftuin:
        rows.append(("Weergave", f"Zoals de rol {viewer.role_label} het dashboard ziet: van andere proeftuinen "
                                 "alleen totalen over tranche of programma."))
    return "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in rows)


def build_report(filters: Filters, *, viewer=None, now: dt.datetime | None = None) -> Report:
    """The report for `filters` (checked), inside a request of the app (see the module docstring).

    Every figure comes from figure_data through the slides' cards, so the viewer's role scope
    applies as on the pages; presentation mode keeps small numbers protected.
    """
    from dashboard.figures.definities import definition_entry
    from dashboard.ui.cards import no_data_message
    from dashboard.ui.data import quarters
    from dashboard.ui.view import View

    view = View(filters=filters, presentatie=True)
    info = figuredata.snapshot_info(_data_dir())
    renderer = Renderer()
    sequence = slides()
    sections = []
    for number, (title, build) in enumerate(sequence, start=1):
        content = build(view) if quarters() else no_data_message()
        sections.append(
            f'<section class="pm-rapport-dia" id="dia-{number}" aria-labelledby="dia-{number}-titel">'
            f'<p class="pm-rapport-dianummer">Dia {number} van {len(sequence)}</p>'
            f'<h2 class="pm-dia-titel" id="dia-{number}-titel">{html.escape(title)}</h2>'
            f'<div class="pm-dia-inhoud">{renderer.render(content)}</div></section>')
    appendix = renderer.render([definition_entry(registry.get(f)) for f in renderer.figure_ids])
    contents = "".join(f'<li><a href="#dia-{n}">{html.escape(t)}</a></li>' for n, (t, _) in enumerate(sequence, 1))
    contents += '<li><a href="#bijlage">Bijlage: definities van de figuren</a></li>'
    sections_html = "".join(sections)
    made = now or dt.datetime.now()
    threshold = figuredata.threshold_for(always_protect=True)
    demo = ('<p class="pm-demo-banner"><strong>Demodata (fictief)</strong> · Alle cijfers in dit rapport zijn '
            'verzonnen en zeggen niets over de proeftuinen.</p>') if info.demo else ""
    root_style = html.escape("; ".join(f"{k}: {v}" for k, v in css_variables().items()))
    styles = ("".join(_asset(name) for name in STYLE_SHEETS) + REPORT_CSS).replace("</style", "<\\/style")
    page = f"""<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{TITLE} · {APP_TITLE} · peildatum {format_date_nl(info.peildatum)}</title>
<style>{styles}</style>
</head>
<body>
<div class="pm-app pm-presentatie pm-rapport" style="{root_style}">
<main class="pm-main">
<header class="pm-rapport-kop">
<p class="pm-rapport-programma">{APP_TITLE} · {PROGRAMME}</p>
<h1>{TITLE}</h1>
{demo}
<dl class="pm-rapport-gegevens">{_facts(info, filters, threshold, made, viewer)}</dl>
<nav aria-label="Inhoud van het rapport"><h2>Inhoud</h2><ol>{contents}</ol></nav>
</header>
{sections_html}
<section class="pm-rapport-bijlage" id="bijlage" aria-labelledby="bijlage-titel">
<h2 id="bijlage-titel">Bijlage: definities van de figuren</h2>
<p>De definitie van elke figuur in dit rapport, uit dezelfde querybestanden als de figuren.</p>
{appendix}
</section>
</main>
</div>
{_inline_script(get_plotlyjs())}
{_inline_script(_asset(LOCALE_SCRIPT))}
{_inline_script(DRAW_SCRIPT)}
{_inline_script(_asset(PRINT_SCRIPT))}
</body>
</html>
"""
    return Report(html=page, slides=len(sequence), figure_ids=tuple(renderer.figure_ids), graphs=renderer.graphs,
                  peildatum=info.peildatum)


def _data_dir() -> Path:
    from flask import current_app

    return current_app.config["MONITOR_DATA_DIR"]


def render_offline(filters: Filters, data_dir: Path | str | None = None) -> Report:
    """The report for the command line: the pages registered in a Dash app of their own, one
    request with nobody logged in (the store is read as `export` reads it), one snapshot."""
    import dash
    import plotly.io as pio
    from flask import g

    from dashboard.app import ASSETS_DIR as APP_ASSETS
    from dashboard.app import PAGES_DIR
    from dashboard.config import resolve_data_dir
    from dashboard.ui.charts import register_template

    root = resolve_data_dir(data_dir)
    pio.templates.default = register_template()
    app = dash.Dash("dashboard", use_pages=True, pages_folder=str(PAGES_DIR), assets_folder=str(APP_ASSETS),
                    suppress_callback_exceptions=True)
    app.server.config["MONITOR_DATA_DIR"] = root
    reader = figuredata.reader(root)
    with app.server.test_request_context("/presentatie?presentatie=1"):
        g.viewer = None
        reader.pin()
        try:
            return build_report(filters)
        finally:
            reader.unpin()
