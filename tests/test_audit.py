"""The audit log: the module, what ingest and purge record, and `python -m dashboard audit`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import stat
import subprocess
import sys
from pathlib import Path

from dashboard import audit
from dashboard.ingest import ingest_files
from dashboard.store import Store, purge_delivery
from tests.exportfiles import casus, write_csv

PROJECT = Path(__file__).resolve().parent.parent
NAME = "flevoland_casussen_2024-Q2"


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=PROJECT,
                          timeout=300)


def test_record_and_entries_filter_by_day_and_user(tmp_path):
    audit.record(tmp_path, audit.DOWNLOAD, "anna", figuur="instroom")
    audit.record(tmp_path, audit.LOGIN_FAILED, "bert")
    path = audit.audit_path(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with open(path, "a", encoding="utf-8") as f:
        f.write('{"tijd": "2020-01-01T00:00:00", "gebeurt\n')  # a line cut off by a crash
    today = dt.datetime.now(dt.UTC).date()
    got = list(audit.entries(tmp_path))
    assert [(e["gebeurtenis"], e["gebruiker"]) for e in got] == [
        ("download", "anna"), ("inloggen_mislukt", "bert"), ("onleesbare_regel", "")]
    assert got[0]["figuur"] == "instroom" and got[2]["regel"] == 3
    assert [e["gebruiker"] for e in audit.entries(tmp_path, gebruiker="bert")] == ["bert"]
    assert list(audit.entries(tmp_path, van=today + dt.timedelta(days=1))) == []


def test_ingest_and_purge_are_recorded_after_publishing(tmp_path):
    store = Store(tmp_path / "store")
    (tmp_path / "b").mkdir()
    good = write_csv(tmp_path / f"{NAME}.csv", [casus()])
    bad = write_csv(tmp_path / "b" / "flevoland_casussen_2024-Q3.csv", [casus(instroomroute="x")])
    ingest_files([good, bad], store, door="beheerder-a")
    purge_delivery(store, 2, "beheerder-b")
    lines = [json.loads(line) for line in audit.audit_path(store.root).read_text().splitlines()]
    assert [(e["gebeurtenis"], e["gebruiker"], e["levering_id"], e.get("status")) for e in lines] == [
        ("inlezen", "beheerder-a", 1, "geaccepteerd"), ("inlezen", "beheerder-a", 2, "afgewezen"),
        ("verwijderen", "beheerder-b", 2, None)]
    first = lines[0]
    assert (first["proeftuin"], first["soort"], first["periode"]) == ("flevoland", "casussen", "2024-Q2")
    assert first["checksum"] == hashlib.sha256(good.read_bytes()).hexdigest()
    assert lines[2]["checksum"] == lines[1]["checksum"] == hashlib.sha256(bad.read_bytes()).hexdigest()


def test_audit_command_lists_readably_with_filters_and_no_control_characters(tmp_path):
    store_dir = tmp_path / "store"
    good = write_csv(tmp_path / f"{NAME}.csv", [casus()])
    assert run_cli("--data-dir", str(store_dir), "ingest", str(good)).returncode == 0
    audit.record(store_dir, audit.LOGIN_FAILED, "\x1b[2Jaanvaller")
    r = run_cli("--data-dir", str(store_dir), "audit")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "tijd\tgebeurtenis\tgebruiker\tgegevens"
    fields = lines[1].split("\t")
    assert fields[1] == "inlezen" and "levering_id=1" in fields[3] and "proeftuin=flevoland" in fields[3]
    assert lines[2].split("\t")[1:3] == ["inloggen_mislukt", "?[2Jaanvaller"]
    assert "\x1b" not in r.stdout
    r = run_cli("--data-dir", str(store_dir), "audit", "--gebruiker", "?[2Jaanvaller")
    assert len(r.stdout.splitlines()) == 1  # the filter is on the stored name, the header only
    tomorrow = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)).isoformat()
    r = run_cli("--data-dir", str(store_dir), "audit", "--van", tomorrow)
    assert r.returncode == 0 and r.stdout.splitlines() == ["tijd\tgebeurtenis\tgebruiker\tgegevens"]
    assert run_cli("--data-dir", str(store_dir), "audit", "--van", "gisteren").returncode == 2
