"""A store that is not what it should be stops every command; an ingest is one transaction.

Each test breaks the store the way issue 11 found it broken (a bad CURRENT, a killed ingest
with a report, a full disk, control characters from a delivery) and checks what the command
line, the app start and /healthz do with it.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.controle import check_store
from dashboard.ingest import ingest_files
from dashboard.store import Store, StoreDamaged
from tests.exportfiles import casus, write_big_csv, write_csv
from tests.test_ingest import snapshot_rows

PROJECT = Path(__file__).resolve().parent.parent
NAME = "flevoland_casussen_2024-Q2"


def run_cli(*args, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=PROJECT,
                          env=env, timeout=timeout)


def tree(root: Path) -> dict[str, str]:
    """Every file under `root` with the sha256 of its content: the whole state of a store."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def filled(tmp_path) -> Store:
    """A store with one accepted delivery (id 1) and one rejected one with a report (id 2)."""
    store = Store(tmp_path / "store")
    (tmp_path / "b").mkdir()
    good = write_csv(tmp_path / f"{NAME}.csv", [casus()])
    bad = write_csv(tmp_path / "b" / "flevoland_casussen_2024-Q3.csv", [casus(instroomroute="onzin")])
    ingest_files([good, bad], store, ontvangen=dt.date(2024, 7, 8))
    return store


def damage(store: Store, kind: str) -> str:
    """Break the store; returns a fragment the Dutch message must contain."""
    snap = store.current_snapshot()
    if kind == "ontbrekend":
        store.current_file.write_text("20240101T000000000000-1.duckdb\n")
        return "ontbreekt"
    if kind == "pad":
        elders = store.root.parent / "elders"
        elders.mkdir()
        shutil.copyfile(snap, elders / "x.duckdb")  # a readable snapshot, but outside the store
        store.current_file.write_text("../../elders/x.duckdb\n")
        return "geen geldige snapshotnaam"
    if kind == "rommel":
        store.current_file.write_bytes(b"\x1b[2Jrommel\n")
        return "geen geldige snapshotnaam"
    if kind == "afgekapt":
        size = snap.stat().st_size
        with open(snap, "r+b") as f:
            f.truncate(size // 3)
        return "kan niet geopend worden"
    if kind == "zonder-current":
        store.current_file.unlink()
        return "CURRENT ontbreekt"
    raise AssertionError(kind)


DAMAGES = ["ontbrekend", "pad", "rommel", "afgekapt", "zonder-current"]


@pytest.mark.parametrize("kind", DAMAGES)
def test_a_damaged_store_stops_every_command_and_changes_nothing(filled, tmp_path, kind):
    fragment = damage(filled, kind)
    before = tree(filled.root)
    new = write_csv(tmp_path / "utrecht_casussen_2024-Q2.csv", [casus(casus_id="UT-1", proeftuin="utrecht", werkgebied=None)])
    data = ["--data-dir", str(filled.root)]
    for args in (["ingest", str(new)], ["export", "leveringslog"], ["herbouw", "--altijd"],
                 ["purge", "--levering", "1", "--door", "beheerder"], ["controleer"]):
        r = run_cli(*data, *args)
        assert r.returncode == 3, (args, r.stdout, r.stderr)
        assert fragment in (r.stderr + r.stdout), (args, r.stderr)
        assert "Traceback" not in r.stderr and "\x1b" not in r.stderr + r.stdout, args
        assert "OK" not in r.stdout and "geaccepteerd" not in r.stdout
    assert tree(filled.root) == before  # nothing published, nothing cleaned away


@pytest.mark.parametrize("kind", DAMAGES)
def test_app_start_on_a_damaged_store_exits_3_without_demo_data(filled, kind):
    damage(filled, kind)
    before = tree(filled.root)
    env = {**os.environ, "MONITOR_DATA_DIR": str(filled.root)}
    env.pop("MONITOR_DEBUG", None)
    started = time.monotonic()
    r = subprocess.run([sys.executable, "app.py"], capture_output=True, text=True, cwd=PROJECT, env=env, timeout=60)
    assert r.returncode == 3, r.stdout + r.stderr
    assert time.monotonic() - started < 30
    assert "beschadigd" in r.stderr and "Traceback" not in r.stderr
    assert "gunicorn" not in r.stdout + r.stderr and "Proeftuinmonitor op" not in r.stdout
    assert not (filled.root / "demo-bestanden").exists()
    assert tree(filled.root) == before


def test_demo_data_only_into_a_store_that_never_held_anything(tmp_path):
    from dashboard.demo_load import ensure_demo

    # Archived files but no snapshot: not empty, so no demo set (and not a silent empty store).
    store = Store(tmp_path / "store")
    store.archive_dir.mkdir(parents=True)
    (store.archive_dir / ("a" * 64)).write_bytes(b"x")
    with pytest.raises(StoreDamaged, match="CURRENT ontbreekt"):
        ensure_demo(store.root)
    assert not (store.root / "demo-bestanden").exists()


def test_healthz_names_the_damage(filled):
    from dashboard.app import create_app

    damage(filled, "afgekapt")
    client = create_app(filled.root).server.test_client()
    r = client.get("/healthz")
    assert r.status_code == 503
    assert "gegevensmap beschadigd" in r.get_data(as_text=True)
    assert "kan niet geopend worden" in r.get_data(as_text=True)
    # A page and a callback show nothing of it: a Dutch 503 that names no file or value.
    for response in (client.get("/"), client.post("/_dash-update-component", json={})):
        assert response.status_code == 503
        text = response.get_data(as_text=True)
        assert "Gegevens niet beschikbaar" in text and ".duckdb" not in text and "Traceback" not in text


def test_current_snapshot_tells_never_held_from_damaged(tmp_path, filled):
    assert Store(tmp_path / "leeg").current_snapshot() is None
    assert Store(tmp_path / "leeg").has_snapshot() is False
    filled.current_file.write_text("../../elders/x.duckdb\n")
    with pytest.raises(StoreDamaged):
        filled.current_snapshot()


# --- one transaction per ingest ----------------------------------------------------------

# Kill -9 the ingest at the last moment before it publishes: every file checked, archived and
# logged, the reports written into the snapshot being built.
KILLED_INGEST = r"""
import os, signal, sys
import dashboard.store
from dashboard.cli import main
def killed(con):
    os.kill(os.getpid(), signal.SIGKILL)
dashboard.store._materialize = killed
sys.exit(main(sys.argv[1:]))
"""


def test_a_killed_ingest_leaves_no_report_for_the_next_delivery(filled, tmp_path):
    (tmp_path / "fr").mkdir()
    secret = "friesland-ruwe-waarde"
    friesland = write_csv(tmp_path / "fr" / "friesland_casussen_2024-Q2.csv",
                          [casus(casus_id="FR-1", proeftuin="friesland", instroomroute=secret)])
    before = tree(filled.root)
    r = subprocess.run([sys.executable, "-c", KILLED_INGEST, "--data-dir", str(filled.root), "ingest", str(friesland)],
                       cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert r.returncode == -9, r.stderr
    assert "OK" not in r.stdout and "FOUT" not in r.stdout  # nothing said before publishing
    # Published: nothing. Left: a staged archive file and an unfinished snapshot.
    assert tree(filled.root)["CURRENT"] == before["CURRENT"]
    assert list(filled.archive_dir.glob("*.nieuw")) and list(filled.snapshots_dir.glob("*.bouw"))

    utrecht = write_csv(tmp_path / "utrecht_casussen_2024-Q2.csv", [casus(casus_id="UT-1", proeftuin="utrecht", werkgebied=None)])
    (fr,) = ingest_files([utrecht], filled).files
    assert fr.status == "geaccepteerd"
    assert fr.levering_id == 4  # 1 and 2 in the store, 3 given to the killed ingest: never again
    assert not list(filled.archive_dir.glob("*.nieuw")) and not list(filled.snapshots_dir.glob("*.bouw*"))
    assert sorted(p.name for p in filled.archive_dir.iterdir()) == sorted(
        r[0] for r in snapshot_rows(filled, "SELECT checksum FROM leveringen"))
    reports = snapshot_rows(filled, "SELECT levering_id, rapport FROM foutrapporten")
    assert [r[0] for r in reports] == [2]
    assert all(secret.encode() not in bytes(r[1]) for r in reports)
    assert check_store(filled).ok


def test_the_report_download_comes_from_the_snapshot_and_refuses_a_delivery_without_findings(filled):
    from dashboard.figuredata import error_report

    name, body = error_report(2, filled.root)
    assert name == "foutrapport_2_flevoland_casussen_2024-Q3.csv"
    assert b";instroomroute;onzin;" in body
    assert error_report(1, filled.root) is None  # accepted without findings: nothing to give
    assert error_report(99, filled.root) is None


def test_leftovers_of_an_old_interrupted_ingest_are_cleaned_at_the_next(filled, tmp_path):
    raw = b"ruwe waarden zonder logregel"
    stray = filled.archive_dir / hashlib.sha256(raw).hexdigest()
    stray.write_bytes(raw)
    (filled.archive_dir / ("c" * 64 + ".tmp")).write_bytes(b"half")
    filled.reports_dir.mkdir(exist_ok=True)
    (filled.reports_dir / "7.csv").write_bytes(b"rapport van een levering die niet bestaat")
    (filled.snapshots_dir / "20240101T000000000000-1.bouw").write_bytes(b"half")
    outcome = check_store(filled)
    assert any("geen levering in het logboek" in p for p in outcome.problems)
    rows = [casus(casus_id="UT-1", proeftuin="utrecht", werkgebied=None)]
    ingest_files([write_csv(tmp_path / "utrecht_casussen_2024-Q2.csv", rows)], filled)
    assert not stray.exists() and not list(filled.archive_dir.glob("*.tmp"))
    assert not (filled.reports_dir / "7.csv").exists()
    assert not list(filled.snapshots_dir.glob("*.bouw"))
    assert check_store(filled).ok


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    return r.returncode == 0


@pytest.mark.parametrize("where", ["archief", "snapshot"])
def test_a_full_disk_publishes_nothing_and_says_so(tmp_path, where):
    # A snapshot of this store is about 5.5 MB: 8 MB holds the first, not a second one next to
    # it ("snapshot": DuckDB fails writing), nor a 3 MB file in the archive ("archief").
    disk = tmp_path / "schijf"
    mounted = _mount_tmpfs(disk, "8m")
    try:
        store = Store(disk / "store")
        first = write_csv(tmp_path / f"{NAME}.csv", [casus()])
        r = run_cli("--data-dir", str(store.root), "ingest", str(first))
        assert r.returncode == 0, r.stderr
        before = tree(store.root)
        if where == "archief":
            new = write_big_csv(tmp_path / "utrecht_casussen_2026-Q3.csv", 60_000)
            assert new.stat().st_size > 3 * 1024 * 1024
        else:
            new = write_csv(tmp_path / "utrecht_casussen_2024-Q2.csv",
                            [casus(casus_id="UT-1", proeftuin="utrecht", werkgebied=None)])
        if mounted:
            r = run_cli("--data-dir", str(store.root), "ingest", str(new))
        else:  # no mount allowed here: the real OSError a full disk gives, raised by the copy
            code = ("import errno, shutil, sys\n"
                    "def full(*a, **k): raise OSError(errno.ENOSPC, 'No space left on device')\n"
                    "shutil.copyfile = full\n"
                    "from dashboard.cli import main\nsys.exit(main(sys.argv[1:]))\n")
            r = subprocess.run([sys.executable, "-c", code, "--data-dir", str(store.root), "ingest", str(new)],
                               cwd=PROJECT, capture_output=True, text=True, timeout=300)
        assert r.returncode == 3, r.stdout + r.stderr
        assert "de schijf is vol" in r.stderr and "Traceback" not in r.stderr
        assert "OK" not in r.stdout and "geaccepteerd" not in r.stdout
        after = tree(store.root)
        # Exactly as before, except the id high-water mark and the log with the traceback.
        for changed in ("volgnummer", "logboek/opdrachten.log"):
            before.pop(changed, None)
            after.pop(changed, None)
        assert after == before
        log = (store.root / "logboek" / "opdrachten.log").read_text()
        assert "No space left on device" in log or f"Errno {errno.ENOSPC}" in log
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], check=True)


def test_control_characters_from_a_delivery_are_not_echoed(tmp_path):
    store_dir = tmp_path / "store"
    name = tmp_path / "export\x1b[2J\x1b[1;1HOK alles geaccepteerd.csv"
    write_csv(name, [casus(instroomroute="\x1b[2J\x9bwis\x7f")])
    r = run_cli("--data-dir", str(store_dir), "ingest", str(name),
                "--proeftuin", "flevoland", "--soort", "casussen", "--periode", "2024-Q2")
    assert r.returncode == 1, r.stderr
    out = r.stdout + r.stderr
    assert not any(ch in out for ch in "\x1b\x9b\x7f"), repr(out)
    assert "export?[2J?[1;1HOK alles geaccepteerd.csv" in r.stdout
    assert "'?[2J?wis?'" in r.stdout


def test_controleer_on_a_good_store_and_on_each_damage_to_the_archive(filled):
    r = run_cli("--data-dir", str(filled.root), "controleer")
    assert r.returncode == 0 and "in orde" in r.stdout, r.stdout + r.stderr
    before = tree(filled.root)
    good, bad = snapshot_rows(filled, "SELECT checksum FROM leveringen ORDER BY levering_id")
    (filled.archive_dir / good[0]).write_bytes(b"veranderd")
    (filled.archive_dir / bad[0]).unlink()
    extra = hashlib.sha256(b"x").hexdigest()
    (filled.archive_dir / extra).write_bytes(b"x")
    r = run_cli("--data-dir", str(filled.root), "controleer")
    assert r.returncode == 3
    assert f"archief/{good[0]}: de inhoud klopt niet met de controlesom" in r.stdout
    assert f"levering 2: het archiefbestand {bad[0]} ontbreekt" in r.stdout
    assert f"archief/{extra}: geen levering in het logboek verwijst naar dit bestand" in r.stdout
    assert "3 problemen" in r.stdout
    changed = tree(filled.root)
    assert set(changed) == set(before) - {f"archief/{bad[0]}"} | {f"archief/{extra}"}
    assert changed[f"archief/{good[0]}"] == hashlib.sha256(b"veranderd").hexdigest()  # reported, not repaired


def test_a_garbled_id_high_water_mark_stops_the_ingest(filled, tmp_path):
    filled.id_file.write_text("\x1b[2J12x\n")
    before = tree(filled.root)
    new = write_csv(tmp_path / "utrecht_casussen_2024-Q2.csv", [casus(casus_id="UT-1", proeftuin="utrecht", werkgebied=None)])
    with pytest.raises(StoreDamaged, match="volgnummer bevat geen leveringsnummer: '\\?\\[2J12x'"):
        ingest_files([new], filled)
    assert tree(filled.root) == before
    assert any("volgnummer" in p for p in check_store(filled).problems)


def test_without_demo_an_empty_store_stays_empty_and_a_damaged_one_still_stops(tmp_path, filled):
    from dashboard.demo_load import prepare_store

    empty = tmp_path / "leeg"
    prepare_store(empty, say=lambda _line: None, demo=False)  # serve --zonder-demo, the container
    assert Store(empty).current_snapshot() is None and not Store(empty).holds_data()
    damage(filled, "afgekapt")
    with pytest.raises(StoreDamaged):
        prepare_store(filled.root, say=lambda _line: None, demo=False)
