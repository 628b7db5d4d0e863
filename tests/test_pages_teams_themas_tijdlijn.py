"""The Teams, Thema's and Tijdlijn pages in headless Chromium, on the demo store.

Per page: a clean console, the figures drawn from exactly the figure data, the page's own
control (the Teams toggle, the tranche filter on Thema's) in the URL and the figure, one download
byte-identical to the export CLI, and a full-page screenshot in test-artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pandas as pd
import pytest
from selenium.webdriver.common.by import By

from dashboard import reference
from dashboard.app import create_app
from dashboard.csvout import download_filename
from dashboard.figuredata import Filters, figure_data
from dashboard.figures import themas
from dashboard.ui.format import precise_date
from dashboard.ui.view import View
from dashboard.ui.vocab import ORGANISATIE_LABELS, ROL_LABELS
from tests.browser import cli_export as _cli_export
from tests.browser import click as _click
from tests.browser import search as _search
from tests.browser import wait_for_file as _wait_for_file
from tests.browser import wait_until as _wait_until

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.browser


def _graph(dash_duo, figure_id: str, script: str):
    """Run `script` with `g` = the drawn plotly graph of the figure card; None while not drawn."""
    return dash_duo.driver.execute_script(
        "const g = document.querySelector(arguments[0]);"
        "if (!g || !g._fullData || !g._fullLayout) return null;" + script,
        f"#kaart-{figure_id}-grafiek .js-plotly-plot",
    )


def _trace_names(dash_duo, figure_id: str):
    return _graph(dash_duo, figure_id, "return g._fullData.map(t => t.name);")


def _set_viewport(dash_duo, width: int, height: int):
    driver = dash_duo.driver
    driver.set_window_size(width, height)
    extra = driver.execute_script(
        "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];")
    driver.set_window_size(width + extra[0], height + extra[1])


def _full_page_screenshot(dash_duo, name: str, width: int = 1280):
    """The whole page at 1280 px wide (the viewport is back to 1280x1024 afterwards)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = dash_duo.driver.execute_script("return document.documentElement.scrollHeight")
    _set_viewport(dash_duo, width, height)
    time.sleep(0.4)
    dash_duo.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    _set_viewport(dash_duo, width, 1024)


def _no_console_errors(dash_duo):
    logs = dash_duo.get_logs()
    assert not logs, logs


def _download(dash_duo, figure_id: str, filters: Filters) -> bytes:
    _click(dash_duo, By.CSS_SELECTOR, f'#kaart-{figure_id} button.pm-download')
    name = download_filename(figure_id, filters, dt.date.today())
    return _wait_for_file(Path(dash_duo.download_path) / name)


def test_teams_toggle_leidraad_and_download(dash_duo, demo_store, tmp_path):
    dash_duo.start_server(create_app(demo_store))
    dash_duo.driver.get(f"{dash_duo.server_url}/teams")
    _wait_until(lambda: dash_duo.driver.title == "Teams · Proeftuinmonitor", message=dash_duo.driver.title)

    # Stacked by organisation: one trace per organisation in the data, in the Dutch labels.
    fte = figure_data("team-fte", Filters(), data_dir=demo_store).df
    organisaties = [ORGANISATIE_LABELS[o] for o in ORGANISATIE_LABELS if o in set(fte["organisatie"])]
    assert _wait_until(lambda: _trace_names(dash_duo, "team-fte")) == organisaties
    assert _wait_until(lambda: _trace_names(dash_duo, "team-omvang-per-kwartaal"))

    # The Leidraad matrix: Amsterdam-Amstelland lacks a vertrouwensarts (asked 'waar mogelijk').
    dash_duo.wait_for_element("#leidraad-matrix")
    row = dash_duo.driver.find_element(
        By.XPATH, "//table[@id='leidraad-matrix']//tr[th[normalize-space()='Amsterdam-Amstelland']]")
    missing = row.find_elements(By.CSS_SELECTOR, "td.pm-leidraad-ontbreekt-waar-mogelijk")
    assert len(missing) == 1 and "✗" in missing[0].text and "ontbreekt" in missing[0].text
    assert "waar mogelijk" in dash_duo.find_element("#leidraad-matrix thead").text
    assert dash_duo.find_elements("#leidraad-matrix td.pm-leidraad-aanwezig")
    _full_page_screenshot(dash_duo, "teams")

    # The toggle goes into the URL and restacks the figure by role.
    _click(dash_duo, By.XPATH, "//*[@id='filter-naar-label']/..//label[normalize-space()='Rol']")
    _wait_until(lambda: _search(dash_duo) == "naar=rol", message=dash_duo.driver.current_url)
    rollen = [ROL_LABELS[r] for r in ROL_LABELS if r in set(fte["rol"])]
    _wait_until(lambda: _trace_names(dash_duo, "team-fte") == rollen, message="figure did not restack by role")

    # The download is the export CLI's file (the toggle changes the stacking, not the data).
    downloaded = _download(dash_duo, "team-fte", Filters())
    assert downloaded == _cli_export(demo_store, tmp_path / "fte.csv", "team-fte")
    _no_console_errors(dash_duo)


def test_themas_tranche_filter_and_download(dash_duo, demo_store, tmp_path):
    dash_duo.start_server(create_app(demo_store))
    dash_duo.driver.get(f"{dash_duo.server_url}/themas")
    _wait_until(lambda: dash_duo.driver.title == "Thema's · Proeftuinmonitor", message=dash_duo.driver.title)

    columns = "return g._fullLayout.xaxis.categoryarray;"
    everything = [p.code for p in reference.proeftuinen()]
    assert _wait_until(lambda: _graph(dash_duo, "thema-matrix", columns)) == everything
    marks = "return g._fullData.reduce((n, t) => n + t.x.length, 0);"
    matrix = figure_data("thema-matrix", Filters(), data_dir=demo_store).df
    expected_marks = int(matrix["status"].notna().sum() + (matrix["status"].isna() & matrix["toegewezen"]).sum())
    assert _graph(dash_duo, "thema-matrix", marks) == expected_marks
    assert _wait_until(lambda: _trace_names(dash_duo, "themas-aantal-proeftuinen"))
    _full_page_screenshot(dash_duo, "themas")

    # The tranche filter: the URL and the matrix's columns follow.
    _click(dash_duo, By.XPATH, "//label[normalize-space()='Tranche 2']")
    _wait_until(lambda: _search(dash_duo) == "tranche=2", message=dash_duo.driver.current_url)
    tranche_2 = [p.code for p in reference.proeftuinen() if p.tranche == 2]
    _wait_until(lambda: _graph(dash_duo, "thema-matrix", columns) == tranche_2,
                message="matrix did not follow the tranche filter")

    downloaded = _download(dash_duo, "thema-matrix", Filters(tranche=2))
    assert downloaded == _cli_export(demo_store, tmp_path / "matrix.csv", "thema-matrix", "--tranche", "2")
    _no_console_errors(dash_duo)


def test_tijdlijn_stop_restart_today_and_download(dash_duo, demo_store, tmp_path):
    dash_duo.start_server(create_app(demo_store))
    dash_duo.driver.get(f"{dash_duo.server_url}/tijdlijn")
    _wait_until(lambda: dash_duo.driver.title == "Tijdlijn · Proeftuinmonitor", message=dash_duo.driver.title)

    rows = _wait_until(lambda: _graph(dash_duo, "tijdlijn", "return g._fullLayout.yaxis.categoryarray;"))
    proeftuinen = [p.code for p in reference.proeftuinen()]
    assert [r for r in rows if "|" not in r] == proeftuinen

    # Zeeland twice: the first team that stopped, and the restart in Hulst.
    zeeland = [r for r in rows if r.startswith("zeeland|")]
    assert zeeland == ["zeeland|Zeeland (eerste team)", "zeeland|Hulst"], zeeland
    notes = _graph(dash_duo, "tijdlijn", "return g._fullLayout.annotations.map(a => [a.text, a.y]);")
    assert ["gestopt", "zeeland|Zeeland (eerste team)"] in notes
    assert ["herstart", "zeeland|Hulst"] in notes

    # Today's line: dashed, at today's date, labelled 'vandaag'.
    today = dt.date.today().isoformat()
    lines = _graph(dash_duo, "tijdlijn", "return g._fullLayout.shapes.map(s => [s.name, s.x0, s.line.dash]);")
    assert any(name == "vandaag" and str(x).startswith(today) and dash == "dash" for name, x, dash in lines), lines
    assert any(text == "vandaag" for text, _ in notes)
    assert dash_duo.find_element("#kaart-tijdlijn-grafiek").text.count("vandaag") == 1
    assert "start onbekend" in dash_duo.find_element("#kaart-tijdlijn-grafiek").text
    _full_page_screenshot(dash_duo, "tijdlijn")

    downloaded = _download(dash_duo, "tijdlijn", Filters())
    assert downloaded == _cli_export(demo_store, tmp_path / "tijdlijn.csv", "tijdlijn")
    _no_console_errors(dash_duo)


def test_builders_mark_what_the_demo_does_not_show(demo_store):
    """Cases the demo data lacks: an assigned theme not reported, a proeftuin without a teamleden
    delivery; the slide's theme cut; dates written as precisely as they are known."""
    create_app(demo_store)
    from dashboard.figuredata import FigureData
    from dashboard.pages import teams

    matrix = figure_data("thema-matrix", Filters(), data_dir=demo_store)
    df = matrix.df.copy()
    first = df.index[(df["proeftuin"] == "zeeland") & df["status"].notna()][0]
    df.loc[first, ["status", "jaar"]] = [None, None]
    fig = themas.matrix_figure(FigureData(matrix.indicator, matrix.filters, df))
    outlined = next(t for t in fig["data"] if t.get("name") == themas.NIET_GEMELD)
    assert list(outlined["x"]) == ["zeeland"] and list(outlined["y"]) == [df.loc[first, "thema"]]
    assert outlined["marker"]["symbol"] == "square-open"

    leidraad = figure_data("leidraad-check", Filters(), data_dir=demo_store)
    df = leidraad.df.copy()
    df.loc[df["proeftuin"] == "friesland", ["aanwezig", "posities", "peildatum"]] = [False, 0, None]
    table = teams.leidraad_table(FigureData(leidraad.indicator, leidraad.filters, df), View())
    assert table.children[0].children == ("9 van de 10 proeftuinen met een teamleden-levering hebben alle "
                                          "verplichte functies in het team. 1 zonder teamleden-levering.")

    # Demo: counts 6, 4, 4, 4, 4, 3, 3, 3, 2, …: at most six themes means 'at least 4' (five
    # themes); 'at least 3' would be eight.
    aantal = figure_data("themas-aantal-proeftuinen", Filters(), data_dir=demo_store).df
    assert themas.slide_minimum(aantal) == 4
    assert themas.slide_minimum(aantal.iloc[0:0]) is None

    assert precise_date(dt.date(2021, 10, 1), "kwartaal") == "4e kwartaal 2021"
    assert precise_date(dt.date(2022, 4, 1), "maand") == "april 2022"
    assert precise_date(dt.date(2023, 1, 1), "jaar") == "2023"
    assert precise_date(dt.date(2022, 11, 1), "dag") == "1 november 2022"
    assert precise_date(pd.Timestamp("2021-12-01"), "maand") == "december 2021"
    assert precise_date(None, "dag") == precise_date(pd.NaT, None) == "onbekend"
