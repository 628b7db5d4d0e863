"""Delivery files for the 11 proeftuinen at national scale, with the demo's distributions.

For each proeftuin of the reference data one casussen file for the period ``--tot`` (every case
registered up to its peildatum, as a real delivery), plus its teamleden and themas files for the
same period, so that an ingest of the folder gives a complete store. The cases come from the
demo generator (dashboard/demo.py) with each proeftuin's intake multiplied by one factor, chosen
so that the expected total is ``--rows``; the count comes out within a few tenths of a percent
(Poisson noise) and is written to ``scale.json``. Teams and themes keep the demo's size.

Usage:
  python bench/scale.py --rows 1000000 --out DIR [--layout utf8|excel_nl] [--seed 2026]
  (--rows also takes 10k, 100k, 1m, 10m)
                        [--tot 2026-Q3] [--proeftuin CODE ...]

Files are streamed case by case (memory stays flat at 10M rows); ``--proeftuin`` writes some of
the files only, to write a big scale in parts (the same seed gives the same file either way).
Nothing in the dashboard depends on this script.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import contract, demo  # noqa: E402

SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
LAYOUTS = ("utf8", "excel_nl")  # plain UTF-8 CSV (the measurement), Dutch Excel CSV


def rows_asked(text: str) -> int:
    return SCALES.get(text.lower()) or int(text)


def scaled_profiles(rows: int, seed: int, tot: str) -> list[demo.Profile]:
    """The demo's profiles with every proeftuin's intake multiplied by the same factor."""
    horizon = contract.peildatum(tot)
    profiles = demo.make_profiles(seed)
    factor = rows / sum(demo.expected_cases(p, horizon) for p in profiles)
    return [dataclasses.replace(p, site_intake=p.site_intake * factor) for p in profiles]


def file_name(code: str, soort: str, tot: str) -> str:
    return f"{code}_{soort}_{tot}.csv"


def write_proeftuin(out: Path, base: demo.Profile, scaled: demo.Profile, seed: int, tot: str,
                    layout: demo.Layout) -> dict[str, int]:
    """Write one proeftuin's three files; returns {file name: data rows}."""
    code = base.proeftuin.code
    horizon = contract.peildatum(tot)
    # The demo's own random stream for the cases (make_history): at the demo's intake these are
    # the demo's cases.
    cases = demo.iter_cases(scaled, random.Random(f"{seed}:{code}:casussen"), horizon)
    columns = base.columns["casussen"]
    text = demo.csv_formatter(layout)
    name = file_name(code, "casussen", tot)
    counts = {}
    with open(out / name, "w", encoding=layout.encoding, newline="") as f:
        writer = csv.writer(f, delimiter=layout.delimiter, lineterminator=layout.newline)
        writer.writerow(columns)
        for case in cases:
            row = case.row(horizon)
            writer.writerow([text(row[c]) for c in columns])
            counts[name] = counts.get(name, 0) + 1
    counts.setdefault(name, 0)
    history = demo.make_history(base, seed, horizon)
    for soort in ("teamleden", "themas"):
        rows = history.rows(demo.Delivery(code, soort, tot, horizon))
        demo.write_csv(out / file_name(code, soort, tot), layout, base.columns[soort], rows)
        counts[file_name(code, soort, tot)] = len(rows)
    return counts


def write_scale(out: Path, rows: int, layout: str = "utf8", seed: int = 2026, tot: str = "2026-Q3",
                only: list[str] | None = None) -> dict:
    """Write the files into out and ``scale.json`` (what was asked, rows per file); returns the latter."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    bases = demo.make_profiles(seed)
    unknown = set(only or ()) - {b.proeftuin.code for b in bases}
    if unknown:
        raise SystemExit(f"onbekende proeftuin: {', '.join(sorted(unknown))}")
    files: dict[str, int] = {}
    for base, scaled in zip(bases, scaled_profiles(rows, seed, tot)):
        if not only or base.proeftuin.code in only:
            files.update(write_proeftuin(out, base, scaled, seed, tot, demo.LAYOUTS[layout]))
    manifest_path = out / "scale.json"
    manifest = json.loads(manifest_path.read_text()) if only and manifest_path.exists() else {"files": {}}
    manifest["files"].update(files)
    manifest.update(rows_asked=rows, layout=layout, seed=seed, tot=tot,
                    case_rows=sum(n for name, n in manifest["files"].items() if "_casussen_" in name))
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    written = {name: n for name, n in files.items() if "_casussen_" in name}
    print(f"{sum(written.values()):,} case rows in {len(written)} casussen files written to {out} "
          f"in {time.perf_counter() - started:.1f} s")
    return manifest


def casussen_files(folder: Path) -> list[Path]:
    """The casussen files of a folder written by this script, in proeftuin order."""
    return sorted(folder.glob("*_casussen_*.csv"))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=rows_asked, required=True,
                        help="case rows over all proeftuinen: a number (1000000) or 10k, 100k, 1m, 10m")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the files into")
    parser.add_argument("--layout", choices=LAYOUTS, default="utf8")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--tot", default="2026-Q3", help="the delivery period (jjjj-Qk)")
    parser.add_argument("--proeftuin", action="append", help="write only this proeftuin's files (repeatable)")
    args = parser.parse_args(argv)
    return write_scale(args.out, args.rows, layout=args.layout, seed=args.seed, tot=args.tot,
                       only=args.proeftuin)


if __name__ == "__main__":
    main()
