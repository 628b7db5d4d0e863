"""Print an HTML file to PDF with headless Chromium, when the machine has one.

The report (dashboard/report.py) is printed as a browser prints it: A4 landscape from its print
style sheet, the charts drawn by its own scripts first. No network: the file holds everything.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 120
# Wide enough that a chart drawn before printing is no wider than the printed page's 277 mm
# (1047 CSS px); the print script redraws the charts at the page's width in any case.
WINDOW = "1047,740"


class NoPdfEngine(Exception):
    """No Chromium on this machine; the message is Dutch."""


class PdfFailed(Exception):
    """Chromium ran but wrote no PDF; the message is Dutch."""


def find_engine() -> str:
    """The path of a Chromium (or Chrome) on PATH, else NoPdfEngine."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise NoPdfEngine("geen PDF-maker gevonden: voor een PDF is Chromium nodig (Debian: apt-get install chromium). "
                      "Het rapport als HTML (--out rapport.html) kan wel; een browser drukt dat ook af als PDF")


def html_to_pdf(html: str, out: Path, engine: str | None = None) -> None:
    """Write `html` printed as PDF to `out`: completely, or not at all."""
    engine = engine or find_engine()
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="rapport-") as work:
        source = Path(work) / "rapport.html"
        source.write_text(html, encoding="utf-8")
        target = Path(work) / "rapport.pdf"
        argv = [engine, "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-extensions", f"--user-data-dir={Path(work) / 'profiel'}",
                f"--window-size={WINDOW}", "--no-pdf-header-footer", "--virtual-time-budget=20000",
                f"--print-to-pdf={target}", source.as_uri()]
        if os.geteuid() == 0:  # Chromium refuses to run as root with its sandbox
            argv.insert(1, "--no-sandbox")
        try:
            done = subprocess.run(argv, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise PdfFailed(f"Chromium maakte de PDF niet binnen {TIMEOUT_S} seconden; er is niets geschreven") from None
        if done.returncode != 0 or not target.exists() or not target.read_bytes().startswith(b"%PDF"):
            raise PdfFailed(f"Chromium kon de PDF niet maken (exitcode {done.returncode}); er is niets geschreven")
        partial = out.with_name(f".{out.name}.deel")
        shutil.copyfile(target, partial)
        os.replace(partial, out)
