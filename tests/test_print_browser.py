"""Printing the pages (assets/print.css, assets/afdrukken.js): each page printed to PDF by
headless Chromium (CDP Page.printToPDF, A4 landscape from the style sheet) and read back.

Under print media no navigation, filter bar, button or modebar shows; every figure card avoids
a page break and, at the printed page's width, is no taller than the printable height; in the
PDF every card's title stands once, on the same page as its peildatum line, so no figure is cut.
"""

from __future__ import annotations

import base64
import io
import math
import re
import unicodedata

import pypdf
import pytest

from dashboard.app import create_app
from tests.browser import wait_drawn

pytestmark = pytest.mark.browser

PAGES = ["/", "/tranches", "/proeftuin/flevoland", "/iv", "/themas", "/teams", "/tijdlijn", "/aanleveringen"]
MM = 96 / 25.4
PAGE_WIDTH_PX = round((297 - 2 * 10) * MM)  # A4 landscape less the 10 mm margins of print.css: 1047
PAGE_HEIGHT_PX = (210 - 2 * 10) * MM  # 718.1
STAMP = re.compile(r"Peildatum \d\d-\d\d-\d{4} · filters:")
HIDDEN = (".pm-nav-bar", ".pm-filters", ".pm-card-foot", ".pm-downloads", ".pm-image-knoppen", ".modebar-container",
          "button", ".pm-footer", ".pm-dia-bar")


def _lines(page) -> list[str]:
    # The "fi" ligature as two letters.
    return [re.sub(r"\s+", " ", line).strip() for line in unicodedata.normalize("NFKC", page.extract_text()).splitlines()]


def _headings(lines: list[str], title: str) -> int:
    """How often `title` stands as a line of its own (or wrapped over two lines)."""
    return sum(line == title or f"{line} {after}" == title for line, after in zip(lines, [*lines[1:], ""]))


def _print(driver) -> list[list[str]]:
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
    reader = pypdf.PdfReader(io.BytesIO(base64.b64decode(pdf["data"])))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape, in points
    return [_lines(p) for p in reader.pages]


@pytest.mark.parametrize("path", PAGES)
def test_the_page_prints_whole_cards_without_controls(dash_duo, demo_store, path):
    dash_duo.start_server(create_app(demo_store))
    driver = dash_duo.driver
    # The window as wide as the printed page: the layout measured below is the printed one.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": PAGE_WIDTH_PX, "height": 718,
                                                                   "deviceScaleFactor": 1, "mobile": False})
    driver.get(f"{dash_duo.server_url}{path}")
    dash_duo.wait_for_element(".pm-card", timeout=30)
    wait_drawn(dash_duo)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    shown = driver.execute_script(
        "return arguments[0].filter(s => Array.from(document.querySelectorAll(s))"
        ".some(e => e.getClientRects().length > 0));", list(HIDDEN))
    assert shown == [], (path, shown)
    cards = driver.execute_script("""
        return Array.from(document.querySelectorAll('.pm-card')).map(c => ({
          id: c.id, title: (c.querySelector('h2') || {}).textContent || '',
          height: c.getBoundingClientRect().height, breakInside: getComputedStyle(c).breakInside,
          stamp: c.querySelector('.pm-print-peildatum') !== null
                 && getComputedStyle(c.querySelector('.pm-print-peildatum')).display !== 'none',
          graphs: c.querySelectorAll('.js-plotly-plot').length}));""")
    assert cards, path
    for card in cards:
        assert card["breakInside"] == "avoid", (path, card)
        if card["graphs"]:
            assert card["height"] <= PAGE_HEIGHT_PX, (path, card)
    # The cards that show data carry the peildatum line (a card not for this role has none).
    stamped = [c for c in cards if c["stamp"]]
    assert stamped, path
    pages = _print(driver)
    # At most the page with the heading and as many pages as each card needs (one, unless it is a
    # table longer than a page), and no blank page.
    most = 1 + sum(math.ceil(c["height"] / PAGE_HEIGHT_PX) for c in cards)
    assert 1 <= len(pages) <= most, (path, len(pages), most)
    assert all(lines != [] for lines in pages), path
    whole = " ".join(" ".join(lines) for lines in pages)
    assert "Download data (CSV)" not in whole and "Kopieer link" not in whole and "Vorige dia" not in whole
    for card in (c for c in stamped if c["graphs"]):
        title = re.sub(r"\s+", " ", card["title"]).strip()
        assert sum(_headings(lines, title) for lines in pages) == 1, (path, title)
        # The page that holds the title holds the card's peildatum line after it: the card is whole.
        [lines] = [lines for lines in pages if _headings(lines, title)]
        after = " ".join(lines[lines.index(title) if title in lines else 0:])
        assert STAMP.search(after), (path, title)
    assert sum(len(STAMP.findall(" ".join(lines))) for lines in pages) == len(stamped), path
