"""The benchmark suite runs, in its quick mode, so that it cannot rot (timings are not asserted:
the machine is shared and noisy; docs/benchmarks.md has the measured numbers)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def bench(*args: str, timeout: float = 600) -> str:
    r = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return r.stdout


def test_scale_writes_three_files_per_proeftuin_with_about_the_rows_asked(tmp_path):
    bench("bench/scale.py", "--rows", "5000", "--out", str(tmp_path / "a"))
    manifest = json.loads((tmp_path / "a" / "scale.json").read_text())
    casussen = sorted((tmp_path / "a").glob("*_casussen_2026-Q3.csv"))
    assert len(casussen) == 11 and len(list((tmp_path / "a").glob("*.csv"))) == 33
    written = sum(len(p.read_bytes().splitlines()) - 1 for p in casussen)  # minus each header
    assert written == manifest["case_rows"]
    assert 4750 <= written <= 5250  # Poisson noise on 5,000 expected cases: far within 5 %
    # Written in parts (one proeftuin at a time), the same seed gives the same bytes.
    bench("bench/scale.py", "--rows", "5000", "--out", str(tmp_path / "b"), "--proeftuin", "zeeland")
    digest = [hashlib.sha256((tmp_path / d / "zeeland_casussen_2026-Q3.csv").read_bytes()).hexdigest() for d in "ab"]
    assert digest[0] == digest[1]


def test_bench_ingest_quick_runs_every_peer_on_the_eleven_files():
    out = bench("bench/bench_ingest.py", "--quick")
    assert re.search(r"ingest of 11 casussen files: 10,\d{3} case rows", out), out
    for peer in ("duckdb-read-only", "pandas-peer", "monitor-ingest-1", "monitor-ingest"):
        assert re.search(rf"^{peer} +\d+\.\d\d +\d+\.\d\d +[\d,]+$", out, re.M), (peer, out)


@pytest.mark.parametrize("ingest", ["batch", "continuous"])
def test_bench_load_quick_serves_every_request_also_during_an_ingest(ingest):
    # With a short think time, so that both ways of sending requests run.
    out = bench("bench/bench_load.py", "--quick", "--think", "0-0.1", "--ingest", ingest)
    assert "4 users (think time 0-0.1 s)" in out, out
    rustig, _, ingest_phase = out.partition("## tijdens inlezen")
    if ingest == "continuous":
        assert int(re.match(r" \((\d+) nieuwe snapshots", ingest_phase).group(1)) >= 1, out
    else:
        assert re.match(r" \(een levering van 33 bestanden, 10,\d{3} rijen: ingelezen en gepubliceerd in \d+\.\d s\)",
                        ingest_phase), out
        assert re.search(r"^from the start of the ingest until 10 s after the new snapshot: \d+ answers, "
                         r"p50 \d+ ms, p95 \d+ ms, max \d+ ms$", ingest_phase, re.M), out
    ingest = ingest_phase
    for phase in (rustig, ingest):
        total = re.search(r"^all +(\d+) +\d+ +\d+ +\d+ +(\d+)$", phase, re.M)
        assert total and int(total.group(1)) > 0 and int(total.group(2)) == 0, out
        # Every page answer says whether it came from the page cache; the shell (GET) does not.
        shells = re.search(r"^shell \(GET\) +(\d+) ", phase, re.M)
        cache = re.search(r"^answers/s: [\d.]+; page cache: (\d+) hits, (\d+) misses", phase, re.M)
        assert shells and cache, out
        assert int(cache.group(1)) + int(cache.group(2)) == int(total.group(1)) - int(shells.group(1)), out
    assert re.search(r"worker RSS MB: \d+, \d+", out), out


def test_bench_scale_quick_measures_every_view_at_two_scales(tmp_path):
    # Two small scales, one repeat, gunicorn for the memory but no browser: about half a minute.
    out = bench("bench/bench_scale.py", "--scales", "2000", "4000", "--repeats", "1", "--no-browser",
                "--work", str(tmp_path))
    views = re.findall(r"^(\S.*?) +(\d+\.\d) +(\d+\.\d) +(\d+\.\d) +(\d+\.\d) +(\d+\.\d) +(\d+\.\d) +(\d+\.\d\d)$",
                       out, re.M)
    names = {v[0] for v in views}
    assert {"Overzicht", "Tranches", "Proeftuin zeeland", "Teams", "IV-strategie", "Definities"} <= names, out
    assert all(float(v[1]) > 0 and float(v[4]) > 0 for v in views if v[0] != "Definities"), out
    rows = re.search(r"^case rows +([\d,]+) +([\d,]+)$", out, re.M)
    assert rows and int(rows.group(1).replace(",", "")) < int(rows.group(2).replace(",", "")), out
    rss = re.search(r"^worker RSS after all views MB +(\d+) +(\d+)$", out, re.M)
    assert rss and all(int(m) > 50 for m in rss.groups()), out


@pytest.mark.browser
def test_bench_first_visit_quick_draws_the_view_in_a_new_browser(demo_store):
    out = bench("bench/bench_first_visit.py", "--data-dir", str(demo_store), "--rounds", "1", "--settle", "0",
                "--quick")
    row = re.search(r"^deze +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +(\d+)$", out, re.M)
    assert row, out
    drawn, _, _, tasks, script, console_errors = map(int, row.groups())
    assert drawn > 0 and tasks >= script > 0 and console_errors == 0, out


@pytest.mark.browser
def test_bench_scale_times_a_view_reached_inside_the_open_dashboard(demo_store, tmp_path):
    """bench_scale's in-app timing: a pushed address reaches Dash's router, and the clock stops only
    once the new view's graphs replaced the old ones (navigated_ms raises when they never do)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_scale import chromium, drawn_ms, navigated_ms

    from tests.servers import Server

    server = Server(demo_store, tmp_path / "server.log")
    driver = None
    try:
        server.wait_ready()
        driver = chromium()
        base = f"http://127.0.0.1:{server.port}"
        assert drawn_ms(driver, base + "/proeftuin/utrecht?van=2024-Q2&tot=2025-Q1") > 0
        before = driver.execute_script("return document.querySelectorAll('.dash-graph').length")
        assert navigated_ms(driver, "/tranches?van=2023-Q2&tot=2024-Q3") > 0
        assert driver.execute_script("return location.pathname + location.search") == "/tranches?van=2023-Q2&tot=2024-Q3"
        assert driver.execute_script("return document.querySelectorAll('.dash-graph[data-pm-vorige]').length") == 0
        assert before > 0 and driver.execute_script("return document.querySelectorAll('.dash-graph').length") > 0
        # Still the page loaded at first: the navigation stayed inside the app.
        assert driver.execute_script("return performance.getEntriesByType('navigation').length") == 1
        assert driver.execute_script("return performance.getEntriesByType('navigation')[0].name").endswith("2025-Q1")
    finally:
        if driver is not None:
            driver.quit()
        server.stop()
