"""The steering-group report (`python -m dashboard rapport`): a real store, the real command, the
written file opened in headless Chromium with the network off, and the PDF read back."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pypdf
import pytest
from plotly.offline import get_plotlyjs

from dashboard import registry
from dashboard.ingest import ingest_files
from dashboard.store import Store
from tests.exportfiles import casus, write_csv

ROOT = Path(__file__).resolve().parent.parent
# The slides of dashboard/pages/presentatie.py, in order, and the figure each one shows.
SLIDE_TITLES = ["Het programma in cijfers", "Aanmeldingen per kwartaal, per tranche", "De tranches op gelijke leeftijd",
                "Kerncijfers: spreiding over de proeftuinen per tranche", "Thema's: waar de proeftuinen aan werken",
                "Informatievoorziening"]
SLIDE_FIGURES = ["kpi-programma", "instroom-per-tranche", "cumulatief-naar-leeftijd", "kpi-per-proeftuin-tranche",
                 "themas-aantal-proeftuinen", "netwerkdossier-per-tranche"]
# Every slide but the key figures draws one chart.
CHARTS = 5


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    """Flevoland (tranche 2): 3 cases registered in 2024-Q2, a count the report must hide;
    Zeeland (tranche 1): 12 cases in the same quarter. Both delivered for 2024-Q2 (peildatum
    30-06-2024)."""
    tmp = tmp_path_factory.mktemp("rapport")
    flevoland = [casus(casus_id=f"FL-{i:04d}", datum_aanmelding=dt.date(2024, 4, 1 + i)) for i in range(3)]
    zeeland = [casus(casus_id=f"ZL-{i:04d}", proeftuin="zeeland", werkgebied="Hulst",
                     datum_aanmelding=dt.date(2024, 4, 1 + i), datum_start_hulp=dt.date(2024, 4, 20))
               for i in range(12)]
    store = Store(tmp / "store")
    files = [write_csv(tmp / "flevoland_casussen_2024-Q2.csv", flevoland),
             write_csv(tmp / "zeeland_casussen_2024-Q2.csv", zeeland)]
    assert ingest_files(files, store, ontvangen=dt.date(2024, 7, 10)).all_accepted
    return store.root


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=ROOT,
                          env=full, timeout=300)


@pytest.fixture(scope="module")
def report(store_dir, tmp_path_factory) -> Path:
    """The report for tranche 2 over 2024-Q1 t/m 2024-Q2, with protection switched OFF in the
    settings: the report protects small numbers all the same."""
    out = tmp_path_factory.mktemp("rapport-uit") / "rapport.html"
    done = run_cli("rapport", "--data-dir", str(store_dir), "--tranche", "2", "--van", "2024-Q1", "--tot", "2024-Q2",
                   "--out", str(out), env={"MONITOR_SMALL_CELL_THRESHOLD": "0"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"rapport geschreven naar {out}: 6 dia's, 6 figuren, peildatum 30-06-2024"
    return out


def _graph_specs(text: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(r'<div class="pm-rapport-grafiek[^"]*"[^>]*>'
                                              r'<script type="application/json">(.*?)</script>', text)]


def test_the_setting_really_is_off_for_an_export(store_dir, tmp_path):
    """The counterpart of the report's protection: with threshold 0, export shows the 3."""
    out = tmp_path / "instroom.csv"
    done = run_cli("export", "instroom-per-tranche", "--data-dir", str(store_dir), "--tranche", "2",
                   "--van", "2024-Q2", "--tot", "2024-Q2", "--format", "csv", "--out", str(out),
                   env={"MONITOR_SMALL_CELL_THRESHOLD": "0"})
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").splitlines()[1:] == ["2,2024-Q2,3"]


def test_the_file_holds_everything_and_refers_to_nothing_outside(report):
    text = report.read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", text, flags=re.S)
    code = [body for attrs, body in scripts if 'type="application/json"' not in attrs]
    assert len(code) == 4  # plotly.js, its Dutch locale, the drawing script, the print script
    assert code[0] == get_plotlyjs().replace("</script", "<\\/script")
    assert code[1] == (ROOT / "assets" / "plotly-locale-nl.js").read_text(encoding="utf-8")
    assert code[3] == (ROOT / "assets" / "afdrukken.js").read_text(encoding="utf-8")
    markup = re.sub(r"<script\b[^>]*>.*?</script>", "", text, flags=re.S)
    markup = re.sub(r"<style>.*?</style>", "", markup, flags=re.S)
    assert not re.search(r"\b(src|href|action|srcset)\s*=\s*[\"']?\s*(https?:)?//", markup, flags=re.I)
    assert not re.search(r"<(link|img|iframe|object|embed|base)\b", markup, flags=re.I)
    styles = "".join(re.findall(r"<style>(.*?)</style>", text, flags=re.S))
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", styles) and "@import" not in styles
    # Links only inside the file: the table of contents and the definitions in the appendix.
    assert set(re.findall(r'href="([^"#][^"]*)"', markup)) == set()


def test_slides_figures_peildatum_filters_and_appendix_in_the_file(report):
    text = report.read_text(encoding="utf-8")
    for number, title in enumerate(SLIDE_TITLES, start=1):
        assert f'<p class="pm-rapport-dianummer">Dia {number} van 6</p>' in text
        assert f">{title.replace(chr(39), '&#x27;')}</h2>" in text
    assert "<dt>Peildatum</dt><dd>30-06-2024" in text
    assert "<dt>Filters</dt><dd>tranche 2 · alle proeftuinen · 2024-Q1 t/m 2024-Q2</dd>" in text
    assert re.findall(r'data-figuur="([^"]+)"', text) == SLIDE_FIGURES
    appendix = text[text.index('id="bijlage"'):]
    for figure_id in SLIDE_FIGURES:
        entry = appendix[appendix.index(f'id="{figure_id}"'):]
        assert registry.get(figure_id).definitie.replace("'", "&#x27;").replace("<", "&lt;").replace(">", "&gt;")[:120] \
            in entry[:entry.find("</section>")].replace("&quot;", '"')
    assert len(_graph_specs(text)) == CHARTS
    # Every link stays inside the file and has its target there.
    targets = re.findall(r'href="([^"]*)"', re.sub(r"<script\b[^>]*>.*?</script>", "", text, flags=re.S))
    assert targets == [f"#dia-{n}" for n in range(1, 7)] + ["#bijlage"]
    assert all(f'id="{t[1:]}"' in text for t in targets)


def test_small_numbers_are_protected_whatever_the_setting(report):
    """Flevoland's 3 cases: the intake of tranche 2 in 2024-Q2 shows as <5, and the key figures
    count <5 of <5 (3 cases, all with a vaste professional)."""
    text = report.read_text(encoding="utf-8")
    instroom = _graph_specs(text)[0]["figure"]
    [tranche2] = [t for t in instroom["data"] if t["name"] == "Tranche 2"]
    cells = dict(zip(tranche2["x"], tranche2["customdata"]))
    assert cells["2024-Q2"] == "<5"
    assert "3" not in tranche2["customdata"]
    assert "&lt;5 van &lt;5" in text
    assert "Kleine aantallen (1 t/m 4)" in text and "Altijd afgeschermd in dit rapport." in text


@pytest.mark.browser
def test_the_file_opens_offline_and_every_chart_draws_in_dutch(report, dash_duo):
    driver = dash_duo.driver
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                           {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    driver.get(report.as_uri())
    deadline = time.monotonic() + 30
    drawn = None
    while time.monotonic() < deadline:
        drawn = driver.execute_script(
            "return Array.from(document.querySelectorAll('.pm-rapport-grafiek'))"
            ".map(g => g.querySelectorAll('.main-svg').length);")
        if drawn and all(drawn):
            break
        time.sleep(0.2)
    assert len(drawn) == CHARTS and all(drawn), drawn
    assert dash_duo.get_logs() in ([], None)
    # plotly takes the Dutch locale: decimal comma, thousands point.
    assert driver.execute_script(
        "return Array.from(document.querySelectorAll('.pm-rapport-grafiek')).map(g => g._fullLayout.separators);"
    ) == [",."] * CHARTS
    assert driver.execute_script("return Plotly.d3 === undefined ? document.querySelector('.pm-rapport-grafiek')"
                                 "._context.locale : 'x';") == "nl"
    body = driver.find_element("tag name", "body").text
    assert "Peildatum\n30-06-2024" in body or "Peildatum 30-06-2024" in body
    assert "tranche 2 · alle proeftuinen · 2024-Q1 t/m 2024-Q2" in body
    assert "<5 van <5" in body
    # No control of the app came along: nothing to press in a file.
    assert driver.execute_script("return document.querySelectorAll('button, input, select').length;") == 0


def test_pdf_of_the_report(store_dir, tmp_path):
    out = tmp_path / "rapport.pdf"
    done = run_cli("rapport", "--data-dir", str(store_dir), "--out", str(out))
    assert done.returncode == 0, done.stderr
    pages = pypdf.PdfReader(out).pages
    # The cover with the contents, one page per slide, and the appendix after them.
    assert len(pages) >= 1 + len(SLIDE_TITLES) + 1
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
    texts = [unicodedata.normalize("NFKC", p.extract_text()) for p in pages]  # the "fi" ligature as two letters
    assert "Rapport voor de stuurgroep" in texts[0] and "30-06-2024" in texts[0]
    for number, (title, figure_id) in enumerate(zip(SLIDE_TITLES, SLIDE_FIGURES), start=1):
        # Each slide whole on its own page: its number, title, card stamp and protection note.
        [page] = [t for t in texts if f"Dia {number} van 6" in t]
        assert title in page.replace("\n", " ")
        assert "Peildatum 30-06-2024 · filters: beide tranches · alle proeftuinen" in page.replace("\n", " ")
        assert ("Kleine aantallen (1 t/m 4)" in page) == registry.get(figure_id).protection.active


def test_pdf_without_chromium_is_a_usage_error_and_writes_nothing(store_dir, tmp_path):
    out = tmp_path / "rapport.pdf"
    done = run_cli("rapport", "--data-dir", str(store_dir), "--out", str(out), "--pdf",
                   env={"PATH": str(Path(sys.executable).parent)})
    assert done.returncode == 2
    assert done.stderr.startswith("fout: geen PDF-maker gevonden: voor een PDF is Chromium nodig")
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_usage_errors_and_an_empty_store(store_dir, tmp_path):
    out = tmp_path / "r.html"
    unknown = run_cli("rapport", "--data-dir", str(store_dir), "--proeftuin", "atlantis", "--out", str(out))
    assert (unknown.returncode, unknown.stderr.strip()) == (2, "fout: onbekende proeftuin 'atlantis'")
    swapped = run_cli("rapport", "--data-dir", str(store_dir), "--van", "2024-Q2", "--tot", "2023-Q1", "--out", str(out))
    assert swapped.returncode == 2 and "ligt na 'tot'" in swapped.stderr
    empty = run_cli("rapport", "--data-dir", str(tmp_path / "leeg"), "--out", str(out))
    assert empty.returncode == 2 and "er zijn nog geen gegevens ingelezen" in empty.stderr
    assert not out.exists()
    several = run_cli("rapport", "--data-dir", str(store_dir), "--proeftuinen", "flevoland,zeeland", "--out", str(out))
    assert several.returncode == 0, several.stderr
    assert "<dt>Filters</dt><dd>beide tranches · Flevoland, Zeeland · alle kwartalen</dd>" in out.read_text(
        encoding="utf-8")


def test_components_become_static_html():
    from dash import dcc, html

    from dashboard.static_html import Renderer

    tree = html.Section([
        html.H2("Titel <b>", id="kop", className="pm-titel"),
        html.P(["Zie ", html.A("Definitie", href="/definities#instroom-per-tranche"), " of ",
                dcc.Link("de pagina", href="/tranches?tranche=2"), "."], style={"marginTop": "1rem"}),
        html.Button("Download", id="knop"),
        dcc.Dropdown(id="keuze", options=["a"]),
        dcc.Markdown("| Proeftuin | Aangemeld |\n| --- | ---: |\n| Fryslân \\| Noord | \\<5 |"),
    ], **{"data-figuur": "instroom-per-tranche", "aria-labelledby": "kop"})
    renderer = Renderer()
    assert renderer.render(tree) == (
        '<section aria-labelledby="kop" data-figuur="instroom-per-tranche">'
        '<h2 class="pm-titel" id="kop">Titel &lt;b&gt;</h2>'
        '<p style="margin-top: 1rem">Zie <a href="#instroom-per-tranche">Definitie</a> of de pagina.</p>'
        '<div><table><thead><tr><th style="text-align: left">Proeftuin</th>'
        '<th style="text-align: right">Aangemeld</th></tr></thead>'
        '<tbody><tr><td style="text-align: left">Fryslân | Noord</td><td style="text-align: right">&lt;5</td>'
        '</tr></tbody></table></div></section>')
    assert renderer.figure_ids == ["instroom-per-tranche"] and renderer.graphs == 0
