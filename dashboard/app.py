"""The Dash application: shell (header, data status, navigation) around the pages.

Build the app with `create_app()`; gunicorn imports `dashboard.wsgi:server`. Pages live in
dashboard/pages/ and reach the data folder through `flask.current_app.config`.
"""

from __future__ import annotations

from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import plotly.io as pio
from dash import ALL, ClientsideFunction, Input, Output, State, dcc, html

from dashboard import config, figuredata, pagecache, pagescripts, plotlyjs, report_download, security, upload
from dashboard.store import Store, StoreDamaged
from dashboard.ui.callbacks import register_callbacks
from dashboard.ui.charts import register_template
from dashboard.ui.format import format_date_nl
from dashboard.ui.vocab import css_variables

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent
ASSETS_DIR = ROOT_DIR / "assets"
PAGES_DIR = PACKAGE_DIR / "pages"

APP_TITLE = "Proeftuinmonitor"
PROGRAMME = "Toekomstscenario kind- en gezinsbescherming"

def has_snapshot(data_dir: Path) -> bool:
    """True when an ingest has put a snapshot in force."""
    return Store(data_dir).has_snapshot()


def create_app(data_dir: Path | None = None) -> dash.Dash:
    """Build the dashboard for the store in `data_dir` (see `config.resolve_data_dir`)."""
    data_dir = config.resolve_data_dir(data_dir)
    # Every figure gets the dashboard's template without naming it; plotly applies a default
    # template from a cache, a named one is deep-copied into each figure (~20 ms a figure).
    pio.templates.default = register_template()

    app = dash.Dash(
        "dashboard",
        use_pages=True,
        pages_folder=str(PAGES_DIR),
        assets_folder=str(ASSETS_DIR),
        assets_ignore=pagescripts.IGNORE,
        external_stylesheets=[],
        serve_locally=True,
        compress=True,
        title=APP_TITLE,
        update_title=None,
        # Page components are not in the shell's layout when callbacks are registered.
        suppress_callback_exceptions=True,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "robots", "content": "noindex, nofollow"},
        ],
    )
    server = app.server
    server.config["MONITOR_DATA_DIR"] = data_dir
    security.install(app)  # login, roles, security headers, error pages: dashboard/security.py
    upload.install(app)  # /aanleveren's upload and template routes: dashboard/upload.py
    report_download.install(app)  # the slides' "Rapport (HTML)" button: dashboard/report_download.py
    figuredata.pin_snapshot_per_request(server, data_dir)  # one snapshot per response
    plotlyjs.install(app)  # the browser gets plotly.js's cartesian bundle: dashboard/plotlyjs.py
    pagescripts.install(app)  # no @babel/polyfill, AG Grid's script only with a grid: dashboard/pagescripts.py
    pagecache.install(app)  # a drawn page served again as bytes, after the login check: dashboard/pagecache.py

    @server.route("/healthz")
    def _healthz():
        from dashboard.figuredata import snapshot_info

        try:
            if not has_snapshot(data_dir):
                return "geen snapshot", 503, {"Content-Type": "text/plain; charset=utf-8"}
            snapshot_info(data_dir)
        except StoreDamaged as e:
            server.logger.error("healthz: %s", e)
            return f"gegevensmap beschadigd: {e}", 503, {"Content-Type": "text/plain; charset=utf-8"}
        except Exception:  # noqa: BLE001 - any failure to open the store means unhealthy
            server.logger.exception("healthz: snapshot kan niet geopend worden")
            return "snapshot onleesbaar", 503, {"Content-Type": "text/plain; charset=utf-8"}
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

    # Dash wraps its scripts in a <footer>: a second, empty contentinfo landmark next to ours.
    app.index_string = (app.index_string.replace("<html>", '<html lang="nl">', 1)
                        .replace("<footer>", '<div class="pm-scripts">', 1).replace("</footer>", "</div>", 1))
    # plotly.js is fetched and started while the first callback is answered: assets/plotly-vooraf.js.
    # Should that ever fail, dcc.Graph loads plotly.js itself as before: the hook never stops a callback.
    app.renderer = ("var renderer = new DashRenderer({request_pre: function () {"
                    " try { window.pmPlotlyVooraf(); } catch (e) { /* dcc.Graph loads it */ } }});")
    app.layout = lambda: _shell(data_dir)
    register_callbacks(app)
    # Presentation mode, navigation links that keep the filters: assets/presentatie.js.
    app.clientside_callback(
        ClientsideFunction(namespace="pm", function_name="shell"),
        Output("pm-app", "className"),
        Output({"type": "pm-nav", "path": ALL}, "href"),
        Output({"type": "pm-nav", "path": ALL}, "active"),
        Output("presentatie-aan", "href"),
        Output("presentatie-uit", "href"),
        Input("url", "pathname"),
        Input("url", "search"),
        State({"type": "pm-nav", "path": ALL}, "id"),
    )
    return app


def finish_setup(app: dash.Dash) -> None:
    """Let Dash finish its set-up now: it adds the page router's callbacks on its first request,
    and two first requests at once on gthread's threads can find a callback missing (a 500). A
    worker calls this before it serves, and the warm-up before it draws through the router."""
    app.server.test_client().get("/healthz")


def _data_status(data_dir: Path):
    """(demo, status line) for the header; a missing or damaged store is shown, not raised (Dash
    also draws the layout before the first request of any route, /healthz included)."""
    from dashboard.figuredata import snapshot_info

    try:
        if not has_snapshot(data_dir):
            return False, "Nog geen gegevens ingelezen"
        info = snapshot_info(data_dir)
    except StoreDamaged:
        return False, "De gegevensmap is beschadigd: er worden geen gegevens getoond"
    line = (
        f"Gegevens t/m {format_date_nl(info.peildatum)} · "
        f"laatste aanlevering {format_date_nl(info.laatste_ontvangst)}"
    )
    return info.demo, line


def _visible(page: dict) -> bool:
    """A page registered with visible_to=<function of the viewer> is in the navigation only for
    the roles it says yes to (the page itself refuses the others)."""
    rule = page.get("visible_to")
    if rule is None:
        return True
    try:
        return rule(security.current_viewer())
    except security.Forbidden:
        return False


def nav_pages() -> list[dict]:
    """The pages in the navigation: every registered page but those with nav=False or not for
    this viewer (visible_to), by order."""
    pages = [p for p in dash.page_registry.values() if p.get("nav", True) and _visible(p)]
    return sorted(pages, key=lambda p: (p.get("order") is None, p.get("order") or 0, p["name"]))


def _navigation():
    # href and active follow the URL (assets/presentatie.js): links keep the chosen filters.
    return dbc.Nav(
        [
            dbc.NavLink(page["name"], href=page["relative_path"], id={"type": "pm-nav", "path": page["path"]})
            for page in nav_pages()
        ],
        class_name="pm-nav",
    )


def _presentation_links():
    """On: the slides (/presentatie), in the navigation bar; off: a link shown only while
    presenting, back to the same view without presentatie=1. hrefs follow the URL."""
    on = dcc.Link("Presentatie", id="presentatie-aan", href="/presentatie?presentatie=1",
                  className="pm-presentatie-aan",
                  title="De vaste reeks dia's voor een gedeeld scherm; blader met de pijltjestoetsen")
    off = dcc.Link("Presentatie sluiten", id="presentatie-uit", href="/", className="pm-presentatie-uit",
                   title="Terug naar de gewone weergave (Esc)")
    return on, off


def _copy_link():
    """'Kopieer link': the address of this view with its filters (assets/kopieerlink.js), and the
    status region in which the confirmation is announced."""
    return [
        html.Button("Kopieer link", id="kopieer-link", type="button", className="pm-kopieer-link",
                    title="Kopieer de link naar deze weergave, met de gekozen filters"),
        html.Span(id="kopieer-link-status", role="status", className="pm-kopieer-status"),
    ]


def _shell(data_dir: Path):
    demo, status = _data_status(data_dir)
    presentation_on, presentation_off = _presentation_links()
    banner = (
        html.Section(
            html.Div(
                [
                    html.Strong("Demodata (fictief)"),
                    html.Span(
                        " · Alle cijfers op deze site zijn verzonnen en zeggen niets over "
                        "de proeftuinen."
                    ),
                ],
                className="container-xxl",
            ),
            id="demo-banner",
            className="pm-demo-banner",
            **{"aria-label": "Demodata"},
        )
        if demo
        else None
    )
    return html.Div(
        [
            dcc.Location(id="url", refresh="callback-nav"),
            # Every part of the page sits in a landmark, the link out of presentation mode too.
            html.Nav(presentation_off, className="pm-presentatie-uit-nav", **{"aria-label": "Presentatie"}),
            html.A("Naar de inhoud", href="#inhoud", className="visually-hidden-focusable pm-skiplink"),
            html.Header(
                [
                    html.Div(
                        [
                            html.Div(
                                [
                                    html.Span(APP_TITLE, className="pm-title"),
                                    html.Span(" · ", className="pm-title-sep", **{"aria-hidden": "true"}),
                                    html.Span(PROGRAMME, className="pm-subtitle"),
                                ],
                                id="app-title",
                            ),
                            html.Div([status, " · ", security.login_status_text()], id="data-status",
                                     className="pm-status"),
                        ],
                        className="container-xxl pm-header-inner",
                    ),
                ],
                className="pm-header",
            ),
            banner,
            html.Nav(
                html.Div([_navigation(), html.Div([presentation_on, *_copy_link()], className="pm-nav-tools")],
                         className="container-xxl pm-nav-inner"),
                className="pm-nav-bar",
                **{"aria-label": "Hoofdnavigatie"},
            ),
            html.Main(dash.page_container, id="inhoud", className="container-xxl pm-main"),
            html.Footer(
                html.Div(
                    [
                        html.Span(f"Landelijk programmateam {PROGRAMME}"),
                        dcc.Link("Toegankelijkheid", href="/toegankelijkheid", id="footer-toegankelijkheid",
                                 className="pm-footer-link"),
                    ],
                    className="container-xxl pm-footer-inner",
                ),
                className="pm-footer",
            ),
        ],
        id="pm-app",
        className="pm-app",
        style=css_variables(),
    )
