"""WCAG 2.1 AA in headless Chromium: axe-core on every page, proeftuin page, slide and filtered
state, on the demo store. One server per test and many addresses per server: starting the app
costs more than checking a page.

Every run writes what axe found, page by page, to test-artifacts/axe-report.txt, so a change
can be compared with the state before it.
"""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from tests.browser import ROOT, axe_violations, blocking, wait_drawn

pytestmark = pytest.mark.browser

REPORT = ROOT / "test-artifacts" / "axe-report.txt"

PAGES = [
    "/", "/tranches", "/proeftuin", "/proeftuin/zeeland", "/proeftuin/flevoland", "/teams", "/themas",
    "/tijdlijn", "/iv", "/aanleveringen", "/definities", "/toegankelijkheid",
]
FILTERED = [
    "/?tranche=2", "/?proeftuinen=foodvalley,friesland", "/?van=2024-Q1&tot=2025-Q2",
    "/tranches?tranche=1&tijd=kalender", "/teams?tranche=2&naar=rol&maat=posities", "/themas?tranche=1",
    "/iv?proeftuinen=zeeland", "/aanleveringen?tranche=2", "/proeftuin/zeeland?van=2024-Q1",
    "/tijdlijn?tranche=2",
]
SLIDES = [f"/presentatie?presentatie=1&dia={n}" for n in range(1, 7)] + ["/tranches?presentatie=1"]


def _visit(dash_duo, path: str) -> list[dict]:
    dash_duo.driver.get(dash_duo.server_url + path)
    dash_duo.wait_for_element("#inhoud")
    wait_drawn(dash_duo)
    return axe_violations(dash_duo)


def _record(results: dict[str, list[dict]], title: str) -> None:
    REPORT.parent.mkdir(exist_ok=True)
    lines = [f"## {title}"]
    for path, found in results.items():
        summary = ", ".join(f"{v['id']} ({v['impact']}, {v['count']})" for v in found) or "geen"
        lines.append(f"{path}: {summary}")
    with REPORT.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n\n")


def _check(dash_duo, demo_store, paths: list[str], title: str) -> None:
    dash_duo.start_server(create_app(demo_store))
    results = {path: _visit(dash_duo, path) for path in paths}
    _record(results, title)
    failing = {path: blocking(found) for path, found in results.items() if blocking(found)}
    assert failing == {}, failing


def test_every_page_without_serious_violations(dash_duo, demo_store):
    _check(dash_duo, demo_store, PAGES, "pagina's")


def test_filtered_states_without_serious_violations(dash_duo, demo_store):
    _check(dash_duo, demo_store, FILTERED, "gefilterde weergaven")


def test_every_slide_without_serious_violations(dash_duo, demo_store):
    _check(dash_duo, demo_store, SLIDES, "dia's")

