"""Export format v1: the columns, types and rules of the three kinds of delivery.

This module is the single definition of the format; validation, the demo generator and
docs/export-format.md follow it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

FORMAT_VERSION = "1"

SOORTEN = ("casussen", "teamleden", "themas")
EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}

INSTROOMROUTES = (
    "veilig_thuis", "lokaal_team", "politie", "raad_kinderbescherming",
    "gecertificeerde_instelling", "zorg_en_veiligheidshuis", "overig",
)
WERKWIJZEN = ("duo", "rvt", "lokaal_team")
MAATREGELEN = ("geen", "vots", "ots", "voogdij")
UITKOMSTEN = ("veiligheid_hersteld", "deels_hersteld", "niet_hersteld", "onbekend")
ORGANISATIES = (
    "raad_kinderbescherming", "veilig_thuis", "gecertificeerde_instelling", "lokaal_team",
    "vrouwenopvang", "ggz", "verslavingszorg", "jeugdreclassering", "jeugdhulp", "gemeente",
    "politie", "overig",
)
ROLLEN = (
    "gezinsprofessional", "gedragswetenschapper", "jurist", "vertrouwensarts", "spv",
    "ervaringsdeskundige", "teamleider", "overig",
)
THEMA_STATUSSEN = ("gepland", "lopend", "afgerond")
LEEFGEBIEDEN = ("financien", "wonen", "zorg", "gezin", "werk")
LEEFGEBIED_KOLOMMEN = tuple(f"leefgebied_{x}" for x in LEEFGEBIEDEN)
KENMERK_KOLOMMEN = (
    "verklarende_analyse", "veiligheidsplan", "volwassenen_ggz", "ervaringsdeskundige",
    "complexe_scheiding", "tijdelijk_huisverbod", "uithuisplaatsing", "jeugdreclassering",
    "netwerkdossier", "gezin_inzage",
)

# Accepted spellings of ja/nee, compared after trimming and lower-casing.
JA = ("ja", "j", "1", "waar", "true", "yes", "y")
NEE = ("nee", "n", "0", "onwaar", "false", "no")

EARLIEST_DATE = dt.date(2021, 1, 1)


@dataclass(frozen=True)
class Column:
    """One column of a delivery.

    kind: text | code | date | int | decimal | janee
    """

    name: str
    kind: str
    required: bool
    codes: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    rule: str = ""
    extra: dict = field(default_factory=dict)
    min_date: dt.date | None = None  # earliest date allowed; the latest is always the peildatum


CASUSSEN = (
    Column("casus_id", "text", True, max_length=64, rule="1-64 tekens, uniek binnen het bestand"),
    Column("proeftuin", "code", True, rule="gelijk aan de proeftuin van de levering"),
    Column("werkgebied", "text", False, max_length=100),
    Column("datum_aanmelding", "date", True, rule="2021-01-01 t/m peildatum", min_date=EARLIEST_DATE),
    Column("datum_start_hulp", "date", False, rule="datum_aanmelding t/m peildatum"),
    Column("datum_afsluiting", "date", False, rule="datum_aanmelding t/m peildatum"),
    Column("instroomroute", "code", True, codes=INSTROOMROUTES),
    Column("aantal_minderjarigen", "int", True, min=0, max=15),
    Column("aantal_volwassenen", "int", True, min=0, max=10,
           rule="aantal_minderjarigen + aantal_volwassenen >= 1"),
    Column("vaste_professional", "janee", True),
    Column("werkwijze", "code", True, codes=WERKWIJZEN),
    Column("aantal_overdrachten", "int", False, min=0, max=1000),
    *(Column(c, "janee", False) for c in LEEFGEBIED_KOLOMMEN),
    *(Column(c, "janee", False) for c in KENMERK_KOLOMMEN),
    Column("kinderbeschermingsmaatregel", "code", True, codes=MAATREGELEN),
    Column("uitkomst", "code", False, codes=UITKOMSTEN, rule="verplicht als datum_afsluiting gevuld is"),
)

TEAMLEDEN = (
    Column("proeftuin", "code", True, rule="gelijk aan de proeftuin van de levering"),
    Column("team", "text", True, max_length=100),
    Column("organisatie", "code", True, codes=ORGANISATIES),
    Column("rol", "code", True, codes=ROLLEN),
    Column("fte", "decimal", True, min=0, max=1, rule="groter dan 0 en hoogstens 1"),
    Column("datum_start", "date", True, rule="2021-01-01 t/m peildatum", min_date=EARLIEST_DATE),
    Column("datum_einde", "date", False, rule="niet voor datum_start"),
)

THEMAS = (
    Column("proeftuin", "code", True, rule="gelijk aan de proeftuin van de levering"),
    Column("thema", "code", True, rule="een code uit de themalijst (data/reference/themas.csv)"),
    Column("status", "code", True, codes=THEMA_STATUSSEN),
    Column("jaar", "int", True, min=2021, max=2030),
)

COLUMNS = {"casussen": CASUSSEN, "teamleden": TEAMLEDEN, "themas": THEMAS}

FILENAME_RE = re.compile(
    r"^(?P<proeftuin>[a-z0-9-]+)_(?P<soort>[a-z]+)_(?P<jaar>\d{4})-Q(?P<kwartaal>[1-4])\.(?P<ext>csv|xlsx|parquet)$",
    re.IGNORECASE,
)
PERIODE_RE = re.compile(r"^(\d{4})-Q([1-4])$")


def parse_periode(text: str) -> tuple[int, int]:
    """'2024-Q2' -> (2024, 2). Raises ValueError with a Dutch message."""
    m = PERIODE_RE.match(text.strip().upper()) if text else None
    if not m:
        raise ValueError(f"periode '{text}' is geen kwartaal in de vorm 2024-Q2")
    return int(m.group(1)), int(m.group(2))


def periode_start(text: str) -> dt.date:
    jaar, k = parse_periode(text)
    return dt.date(jaar, 3 * k - 2, 1)


def peildatum(text: str) -> dt.date:
    """The last day of the period: the delivery's peildatum."""
    jaar, k = parse_periode(text)
    if k == 4:
        return dt.date(jaar, 12, 31)
    return dt.date(jaar, 3 * k + 1, 1) - dt.timedelta(days=1)


def periode_of(date: dt.date) -> str:
    return f"{date.year}-Q{(date.month - 1) // 3 + 1}"


# --- the format described for people and tools (template, Table Schema, docs) ----------------

KIND_LABELS = {
    "text": "tekst",
    "code": "code",
    "date": "datum (dd-mm-jjjj of jjjj-mm-dd)",
    "int": "geheel getal",
    "decimal": "getal (decimale komma of punt)",
    "janee": "ja/nee",
}
JA_NEE = ("ja", "nee")  # the spelling the template offers; JA and NEE list every accepted one


def allowed_codes(col: Column) -> tuple[str, ...]:
    """The codes a code column accepts: its own list, or the reference list it is checked against."""
    from . import reference

    if col.codes:
        return col.codes
    if col.name == "proeftuin":
        return tuple(p.code for p in reference.proeftuinen())
    if col.name == "thema":
        return tuple(r["code"] for r in reference.read_rows("themas.csv"))
    return ()


def format_number(x: float) -> str:
    """A bound as the rules write it: 15, or 0,5 with a decimal comma."""
    return str(int(x)) if float(x).is_integer() else str(x).replace(".", ",")


def rule_text(col: Column, list_codes: bool = True) -> str:
    """The column's rule in Dutch, as validation enforces it: required, type, range, codes, rule."""
    parts = ["verplicht" if col.required else "niet verplicht", KIND_LABELS[col.kind]]
    if col.kind == "int" and col.min is not None:
        parts.append(f"{format_number(col.min)} t/m {format_number(col.max)}" if col.max is not None
                     else f"{format_number(col.min)} of meer")
    if col.max_length and not col.rule:
        parts.append(f"hoogstens {col.max_length} tekens")
    if col.rule:
        parts.append(col.rule)
    codes = allowed_codes(col)
    if codes and list_codes:
        parts.append("een van: " + ", ".join(codes))
    elif codes:
        parts.append("een van de codes op het blad Toelichting")
    return "; ".join(parts)
