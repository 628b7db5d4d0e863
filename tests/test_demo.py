"""The demo generator: reproducible, named by the contract, shaped like the programme."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from dashboard import contract, reference
from dashboard.demo import write_demo

TOT = "2026-Q3"


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, list]:
    out = tmp_path_factory.mktemp("demo")
    return out, write_demo(out, seed=2026, tot=TOT, processes=2)


@pytest.fixture(scope="module")
def latest_cases(demo) -> dict[str, list[dict]]:
    """The rows of each proeftuin's accepted casussen delivery for the last quarter."""
    out, files = demo
    return {f.path.name.split("_")[0]: read_table(f.path) for f in files
            if f.path.parent == out and f.path.stem.endswith(f"_casussen_{TOT}")}


def read_table(path: Path) -> list[dict]:
    """Rows as dicts: XLSX through calamine, CSV in whichever encoding and separator it uses."""
    if path.suffix == ".xlsx":
        header, *body = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        return [dict(zip(header, row)) for row in body]
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    delimiter = ";" if ";" in text.split("\n", 1)[0] else ","
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    raise ValueError(value)


def contents(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes(demo, tmp_path):
    """Also when one process writes every file (the fixture's were shared out over a pool)."""
    out, _ = demo
    write_demo(tmp_path, seed=2026, tot=TOT, processes=1)
    first, second = contents(out), contents(tmp_path)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_other_seed_gives_other_files(demo, tmp_path):
    out, _ = demo
    write_demo(tmp_path, seed=7, tot=TOT)
    first, second = contents(out), contents(tmp_path)
    common = first.keys() & second.keys() - {"ontvangen.csv"}
    assert first["ontvangen.csv"] != second["ontvangen.csv"]
    assert common and sum(first[name] != second[name] for name in common) > len(common) / 2


def test_file_names_follow_the_contract(demo):
    out, files = demo
    for f in files:
        relative = f.path.relative_to(out)
        assert contract.FILENAME_RE.match(f.path.name), relative
        assert str(relative.parent) in (".", "afgekeurd")
        assert f.path.is_file()


def test_every_proeftuin_delivers_up_to_tot(latest_cases):
    assert set(latest_cases) == set(reference.proeftuin_codes())
    assert len(latest_cases) == 11


def test_rejected_deliveries_are_corrected_a_week_later(demo):
    out, files = demo
    received = {str(f.path.relative_to(out)): f.ontvangen for f in files}
    rejected = [name for name in received if name.startswith("afgekeurd/")]
    assert 2 <= len(rejected) <= 3
    for name in rejected:
        assert received[name.removeprefix("afgekeurd/")] - received[name] == dt.timedelta(days=7)


def test_manifest_lists_files_in_returned_order(demo):
    out, files = demo
    with open(out / "ontvangen.csv", encoding="utf-8", newline="") as f:
        manifest = [(r["bestandsnaam"], r["ontvangen"]) for r in csv.DictReader(f)]
    assert manifest == [(str(f.path.relative_to(out)), f.ontvangen.isoformat()) for f in files]
    assert manifest == sorted(manifest, key=lambda entry: (entry[1], entry[0]))


def test_tranche_1_has_more_cases_than_tranche_2(latest_cases):
    tranche = {p.code: p.tranche for p in reference.proeftuinen()}
    totals = {1: 0, 2: 0}
    for code, rows in latest_cases.items():
        totals[tranche[code]] += len(rows)
    assert totals[1] > totals[2] > 0
    assert 4000 <= totals[1] + totals[2] <= 8000


def test_case_ids_are_demo_pseudonyms(latest_cases):
    for rows in latest_cases.values():
        ids = [r["casus_id"] for r in rows]
        assert len(set(ids)) == len(ids)
        assert all(i.startswith("DEMO-") for i in ids)


def test_zeeland_takes_no_cases_between_its_two_teams(latest_cases):
    dates = [as_date(r["datum_aanmelding"]) for r in latest_cases["zeeland"]]
    assert any(dt.date(2022, 4, 1) <= d < dt.date(2022, 10, 1) for d in dates)
    assert not any(dt.date(2022, 10, 1) <= d <= dt.date(2022, 12, 31) for d in dates)


def test_a_writer_that_fails_fails_the_whole_set(tmp_path):
    """A file that cannot be written in a pool process stops write_demo (no set with a gap)."""
    (tmp_path / "afgekeurd").write_text("in de weg")  # the rejected files' folder cannot be made
    with pytest.raises(FileExistsError):
        write_demo(tmp_path, seed=2026, tot=TOT, processes=2)
    assert not (tmp_path / "ontvangen.csv").exists()


def test_a_writer_failing_while_the_ingest_follows_publishes_nothing(demo, tmp_path):
    """ensure_demo ingests each file as soon as it is written. A file half-way through the set
    that cannot be written stops the ingest there: no snapshot, nothing archived, no writer left."""
    import multiprocessing

    from dashboard.demo_load import DemoLoadFailed, ensure_demo
    from dashboard.store import Store

    out, files = demo
    middle = files[len(files) // 2].path.relative_to(out)
    store = tmp_path / "store"
    (store / "demo-bestanden" / middle).mkdir(parents=True)  # a folder where the file should go
    with pytest.raises(DemoLoadFailed, match=r"IsADirectoryError.*er is niets gepubliceerd"):
        ensure_demo(store)
    assert Store(store).current_snapshot() is None
    assert not (store / "CURRENT").exists() and not list(store.glob("snapshots/*.duckdb"))
    assert not list(store.glob("archief/*"))
    assert multiprocessing.active_children() == []
    assert (store / "demo-bestanden" / files[0].path.relative_to(out)).is_file()  # the files before it were written
