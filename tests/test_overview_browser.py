"""The Overzicht page in headless Chromium, on the demo store; plus the app shell's routes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from dashboard.app import create_app
from dashboard.csvout import download_filename, to_csv_bytes
from dashboard.figuredata import Filters, figure_data

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
INSTROOM = "instroom-per-tranche"


def _wait_for_file(path: Path, timeout: float = 15) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and not path.with_name(path.name + ".crdownload").exists():
            data = path.read_bytes()
            if data:
                return data
        time.sleep(0.1)
    found = sorted(p.name for p in path.parent.iterdir()) if path.parent.exists() else []
    raise AssertionError(f"{path.name} not downloaded; download folder holds {found}")


def _wait_until(condition, timeout: float = 10, message: str = "condition not met"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(message)


def _trace_names(dash_duo) -> list[str]:
    return dash_duo.driver.execute_script(
        "const g = document.querySelector('#grafiek-instroom .js-plotly-plot');"
        "return g && g.data ? g.data.map(t => t.name) : null;"
    )


def _kpi_texts(dash_duo) -> list[str]:
    return [e.text for e in dash_duo.find_elements(".pm-kpi")]


def _click(dash_duo, by: str, selector: str):
    # Bootstrap turns on smooth scrolling; Selenium would click while the page still moves.
    element = dash_duo.driver.find_element(by, selector)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element
    )
    element.click()


def _click_download(dash_duo, figure_id: str):
    _click(dash_duo, By.CSS_SELECTOR, f'button.pm-download[id*=\'"figuur":"{figure_id}"\']')


def _cli_export(data_dir: Path, out: Path, *args: str) -> bytes:
    subprocess.run(
        [sys.executable, "-m", "dashboard", "--data-dir", str(data_dir),
         "export", INSTROOM, *args, "--out", str(out)],
        cwd=ROOT, check=True, capture_output=True, timeout=120,
    )
    return out.read_bytes()


@pytest.mark.browser
def test_overzicht_page(dash_duo, demo_store, tmp_path):
    dash_duo.start_server(create_app(demo_store))

    _wait_until(lambda: dash_duo.driver.title == "Overzicht · Proeftuinmonitor",
                message=f"title is {dash_duo.driver.title!r}")
    dash_duo.wait_for_contains_text("#app-title", "Proeftuinmonitor")
    dash_duo.wait_for_contains_text("#demo-banner", "Demodata (fictief)")
    dash_duo.wait_for_contains_text("#data-status", "Gegevens t/m ")
    assert "laatste aanlevering" in dash_duo.find_element("#data-status").text

    # Every KPI of the figure data has a card, with a Dutch value.
    all_filters = Filters()
    kpis = figure_data("kpi-programma", all_filters, data_dir=demo_store).df
    _wait_until(lambda: len(dash_duo.find_elements(".pm-kpi")) == len(kpis) > 0,
                message="KPI cards missing")
    cards_all = _kpi_texts(dash_duo)
    assert any(" van " in text for text in cards_all)

    # The graph is drawn, one trace per tranche present in the data.
    dash_duo.wait_for_element("#grafiek-instroom .main-svg")
    expected = figure_data(INSTROOM, all_filters, data_dir=demo_store).df
    names = _wait_until(lambda: _trace_names(dash_duo), message="graph has no traces")
    assert names == [f"Tranche {t}" for t in sorted(expected["tranche"].unique())]

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    dash_duo.driver.save_screenshot(str(SCREENSHOTS / "overzicht.png"))

    # The download equals the figure data and the CLI export, byte for byte.
    _click_download(dash_duo, INSTROOM)
    name = download_filename(INSTROOM, all_filters, dt.date.today())
    downloaded = _wait_for_file(Path(dash_duo.download_path) / name)
    assert downloaded == to_csv_bytes(expected)
    assert downloaded == _cli_export(demo_store, tmp_path / "alle.csv")

    # Tranche 1 only: one trace, other KPI values, a download with the same filter.
    _click(dash_duo, By.XPATH, "//label[normalize-space()='Tranche 1']")
    _wait_until(lambda: _trace_names(dash_duo) == ["Tranche 1"], message="figure did not follow filter")
    _wait_until(lambda: _kpi_texts(dash_duo) != cards_all, message="KPI cards did not follow filter")

    tranche_1 = Filters(tranche=1)
    _click_download(dash_duo, INSTROOM)
    name = download_filename(INSTROOM, tranche_1, dt.date.today())
    downloaded = _wait_for_file(Path(dash_duo.download_path) / name)
    assert downloaded == to_csv_bytes(figure_data(INSTROOM, tranche_1, data_dir=demo_store).df)
    assert downloaded == _cli_export(demo_store, tmp_path / "t1.csv", "--tranche", "1")

    logs = dash_duo.get_logs()
    assert not logs, logs


def test_security_headers_and_health(demo_store):
    client = create_app(demo_store).server.test_client()
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert page.headers["X-Frame-Options"] == "DENY"
    health = client.get("/healthz")
    assert (health.status_code, health.get_data(as_text=True)) == (200, "ok")


def test_health_without_snapshot(tmp_path):
    client = create_app(tmp_path / "leeg").server.test_client()
    assert client.get("/healthz").status_code == 503
    assert client.get("/").status_code == 200


def test_assets_served_locally(demo_store):
    client = create_app(demo_store).server.test_client()
    html = client.get("/").get_data(as_text=True)
    for asset in ("bootstrap.min.css", "app.css", "plotly-locale-nl.js"):
        assert f"/assets/{asset}" in html
    assert "cdn." not in html and "unpkg.com" not in html
    css = client.get("/assets/bootstrap.min.css").get_data(as_text=True)
    assert "sourceMappingURL" not in css
