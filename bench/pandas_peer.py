"""The pandas peer of ingest: what a straightforward pandas script does with the same files.

Reads each casussen file (text, as a validator must), applies the export format's main checks
(required fields, codes, dates, numbers, yes/no values, unique casus_id, proeftuin of the file,
dates up to the peildatum, the order of the dates, at least one person) and computes three
fixed figures: instroom per proeftuin and quarter, open cases per proeftuin on the peildatum,
and the share of cases with a vaste professional per proeftuin. No archive, no store, no
privacy scan, no report: the floor a hand-written script would pay.

Usage: python bench/pandas_peer.py FILE [FILE ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import contract  # noqa: E402

JA = list(contract.JA)
NEE = list(contract.NEE)


def check_file(path: Path) -> tuple[pd.DataFrame, int]:
    """The file's rows, typed, and its number of errors (the main checks of the contract)."""
    proeftuin, _soort, periode = path.stem.split("_")
    peildatum = pd.Timestamp(contract.peildatum(periode))
    with open(path, encoding="utf-8-sig") as f:
        sep = ";" if f.readline().count(";") > 0 else ","
    df = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    df = df.apply(lambda col: col.str.strip())
    errors = 0
    typed = {}
    for c in contract.CASUSSEN:
        text = df[c.name] if c.name in df else pd.Series("", index=df.index)
        filled = text != ""
        if c.required:
            errors += int((~filled).sum())
        if c.kind == "date":
            value = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
            value = value.fillna(pd.to_datetime(text, format="%d-%m-%Y", errors="coerce"))
            errors += int((filled & value.isna()).sum())
            if c.min_date is not None:
                errors += int(((value < pd.Timestamp(c.min_date)) | (value > peildatum)).sum())
        elif c.kind == "int":
            value = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
            errors += int((filled & (value.isna() | (value % 1 != 0))).sum())
            errors += int(((value < c.min) | (value > c.max)).sum())
        elif c.kind == "janee":
            lower = text.str.lower()
            value = pd.Series(pd.NA, index=text.index, dtype="boolean")
            value[lower.isin(JA)] = True
            value[lower.isin(NEE)] = False
            errors += int((filled & value.isna()).sum())
        elif c.kind == "code":
            value = text.str.lower().str.replace(r"[\s\-]+", "_", regex=True)
            if c.name == "proeftuin":
                value = text.str.lower()
                errors += int((filled & (value != proeftuin)).sum())
            if c.codes:
                errors += int((filled & ~value.isin(c.codes)).sum())
        else:
            value = text
            if c.max_length:
                errors += int((text.str.len() > c.max_length).sum())
        typed[c.name] = value
    out = pd.DataFrame(typed)
    errors += int(out["casus_id"].duplicated().sum())
    errors += int((out["datum_start_hulp"] < out["datum_aanmelding"]).sum())
    errors += int((out["datum_afsluiting"] < out["datum_aanmelding"]).sum())
    errors += int((out["datum_start_hulp"] > peildatum).sum() + (out["datum_afsluiting"] > peildatum).sum())
    errors += int((out["aantal_minderjarigen"] + out["aantal_volwassenen"] < 1).sum())
    out["peildatum"] = peildatum
    return out, errors


def figures(cases: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The three fixed figures."""
    kwartaal = cases["datum_aanmelding"].dt.to_period("Q").astype(str)
    instroom = cases.groupby(["proeftuin", kwartaal]).size().rename("instroom").reset_index()
    open_ = cases["datum_afsluiting"].isna() | (cases["datum_afsluiting"] > cases["peildatum"])
    lopend = cases[open_].groupby("proeftuin").size().rename("lopend").reset_index()
    vast = cases.groupby("proeftuin")["vaste_professional"].mean()
    return {"instroom": instroom, "lopend": lopend, "vaste_professional": vast.rename("aandeel").reset_index()}


def run(paths: list[Path]) -> tuple[int, int, dict[str, pd.DataFrame]]:
    """(rows, errors, figures) of the files together."""
    frames, errors = [], 0
    for path in paths:
        frame, n = check_file(path)
        frames.append(frame)
        errors += n
    cases = pd.concat(frames, ignore_index=True)
    return len(cases), errors, figures(cases)


if __name__ == "__main__":
    rows, errors, result = run([Path(p) for p in sys.argv[1:]])
    print(f"{rows:,} rijen, {errors} fouten; instroom {len(result['instroom'])} regels")
