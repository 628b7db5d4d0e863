"""The slides import the card builders they show: from dashboard/figures/, which any module may
import, never from a page module (Dash loads those itself; a second import registers a page twice)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_slide_sequence_loads_without_registering_a_page():
    # In a fresh interpreter: with no app, dash.register_page would raise, and page_registry stays empty.
    code = ("import dash\nfrom dashboard.figures.slides import SLIDES\n"
            "print(len(SLIDES), len(dash.page_registry), sorted({b.__module__ for _, b in SLIDES}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("6 0 ['dashboard.figures.iv', 'dashboard.figures.overzicht', "
                                     "'dashboard.figures.themas', 'dashboard.figures.tranches']")


def test_the_presentation_page_shows_that_sequence(tmp_path):
    from dashboard.app import create_app

    create_app(tmp_path)
    from dashboard.figures.slides import SLIDES
    from dashboard.pages import presentatie

    assert presentatie.SLIDES is SLIDES
    assert presentatie.EXTRA == {"dia": ("1", "2", "3", "4", "5", "6")}


def test_no_module_imports_a_page_module():
    """Only Dash loads dashboard/pages/*; everything else reaches their cards through dashboard/figures/."""
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "from dashboard.pages" not in text and "import dashboard.pages" not in text, path
        assert "from . import pages" not in text and "importlib" not in text, path
