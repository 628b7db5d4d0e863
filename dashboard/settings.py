"""Every MONITOR_* environment variable in one list: name, default, what it does, what is allowed.

Code reads a setting with `value(NAME)`, never from os.environ directly. `check()` runs at
start-up (the CLI, `serve`/`python app.py`, dashboard.wsgi) and stops on an unknown MONITOR_
variable or an invalid value, naming the variable and what is allowed. The table in
docs/operations.md is `markdown_table()` (`python -m dashboard.settings` prints it; a test
keeps them equal). To add a setting: one entry in SETTINGS, then the table.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PREFIX = "MONITOR_"


class SettingError(ValueError):
    """A MONITOR_* variable that is unknown or has a value that is not allowed (Dutch message)."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str  # as it would be written in the environment; "" means not set
    help: str  # Dutch: what it does
    allowed: str  # Dutch: which values are allowed
    parse: Callable[[str], Any]  # stripped text -> value; raises ValueError saying what is wrong
    secret: bool = False  # never repeat the value in a message


def _text(text: str) -> str:
    return text


def _path(text: str) -> Path | None:
    return Path(text) if text else None


def _flag(text: str) -> bool:
    if text not in ("", "0", "1"):
        raise ValueError("is geen 0 of 1")
    return text == "1"


def _integer(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise ValueError("is geen geheel getal") from None
    if number < 0:
        raise ValueError("is negatief")
    return number


def _choice(*options: str) -> Callable[[str], str | None]:
    def parse(text: str) -> str | None:
        if text.lower() not in options:
            raise ValueError("is onbekend")
        return text.lower() or None

    return parse


def _networks(text: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"bevat '{item}', dat is geen IP-adres of netwerk (CIDR)") from None
    return tuple(networks)


def _header_name(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9-]+", text):
        raise ValueError("is geen naam van een kopregel")
    return text


def _host(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9.:\[\]_-]+", text):
        raise ValueError("is geen adres")
    return text


SETTINGS: tuple[Setting, ...] = (
    # --- data and limits
    Setting("MONITOR_DATA_DIR", "", "de gegevensmap; leeg: `data/store` in de projectmap", "een map", _path),
    Setting("MONITOR_SMALL_CELL_THRESHOLD", "5",
            "drempel voor kleine aantallen; `0` zet de afscherming uit (niet in presentatiemodus en niet voor de stuurgroep)",
            "een geheel getal van 0 of meer", _integer),
    Setting("MONITOR_MAX_FILE_MB", "1024", "het grootste leveringsbestand in MB (zie export-format.md)",
            "een geheel getal van 0 of meer", _integer),
    Setting("MONITOR_MAX_ROWS", "5000000", "het grootste aantal gegevensrijen in één levering",
            "een geheel getal van 0 of meer", _integer),
    Setting("MONITOR_MAX_XLSX_UNPACKED_MB", "2048", "de grootste uitgepakte omvang van een XLSX in MB",
            "een geheel getal van 0 of meer", _integer),
    # --- serving
    Setting("MONITOR_BIND", "127.0.0.1", "het adres waarop `python app.py` luistert; anders dan deze machine alleen "
            "met login of `MONITOR_ALLOW_OPEN_BIND=1` (zie security.md)", "een IP-adres of hostnaam", _host),
    Setting("MONITOR_DEBUG", "", "`1`: de Dash-ontwikkelserver met debugger in plaats van gunicorn (alleen lokaal)",
            "leeg, 0 of 1", _flag),
    Setting("MONITOR_WARM", "1", "`0`: geen voorverwarmen. Anders tekent elke worker bij de start de eerste pagina "
            "voordat hij bezoekers bedient, en daarna op de achtergrond alle andere pagina's en elke nieuwe snapshot; "
            "bezoekers wachten daar niet op: het verzoek na het inlezen leest de nieuwe snapshot al",
            "0 of 1", _flag),
    Setting("MONITOR_PAGE_CACHE_MB", "32", "het geheugen in MB per worker voor getekende pagina's: een weergave die al "
            "eens getekend is (zelfde snapshot, rol, filters en instellingen) komt daaruit; `0` zet het uit",
            "een geheel getal van 0 of meer", _integer),
    Setting("MONITOR_LOG_FORMAT", "text", "de vorm van het logboek: `text` (regels voor mensen) of `json` (één "
            "JSON-object per regel met `tijd`, `niveau`, `logger`, `bericht`)", "text of json",
            _choice("text", "json")),
    # --- login and roles (docs/security.md)
    Setting("MONITOR_AUTH", "", "login: leeg is geen login (alleen op 127.0.0.1), `basic` het gebruikersbestand, "
            "`header` de kopregels van de SSO-proxy", "leeg, basic of header", _choice("", "basic", "header")),
    Setting("MONITOR_SECRET_KEY", "", "de geheime sessiesleutel, voor alle workers en replica's dezelfde; verplicht "
            "met login", "minstens 32 tekens", _text, secret=True),
    Setting("MONITOR_USERS_FILE", "", "het gebruikersbestand bij `MONITOR_AUTH=basic`; leeg: `gebruikers.json` in "
            "de gegevensmap", "een bestand", _path),
    Setting("MONITOR_TRUSTED_PROXIES", "", "de adressen van de reverse proxy waarvan `MONITOR_AUTH=header` de "
            "kopregels gelooft", "IP-adressen of netwerken (CIDR), met komma's gescheiden", _networks),
    Setting("MONITOR_AUTH_USER_HEADER", "X-Remote-User", "de kopregel met de gebruikersnaam bij `MONITOR_AUTH=header`",
            "de naam van een kopregel", _header_name),
    Setting("MONITOR_AUTH_ROLE_HEADER", "X-Remote-Role", "de kopregel met de rol bij `MONITOR_AUTH=header`",
            "de naam van een kopregel", _header_name),
    Setting("MONITOR_ALLOW_OPEN_BIND", "", "`1`: luisteren op een ander adres dan deze machine zonder eigen login, "
            "alleen als een proxy met login ervoor staat", "leeg, 0 of 1", _flag),
    # --- pages
    Setting("MONITOR_TOEGANKELIJKHEID_CONTACT",
            "het landelijk programmateam (via uw contactpersoon bij het programma)",
            "bij wie bezoekers een toegankelijkheidsprobleem melden (de toegankelijkheidsverklaring)",
            "tekst, bijvoorbeeld een e-mailadres", _text),
)
BY_NAME = {s.name: s for s in SETTINGS}


def _problem(setting: Setting, text: str, problem: str) -> str:
    shown = "de waarde" if setting.secret else f"'{text}'"
    return f"{setting.name}: {shown} {problem}; toegestaan: {setting.allowed}"


def value(name: str, environ: Mapping[str, str] | None = None) -> Any:
    """The setting's value from the environment (or `environ`), its default when unset or empty."""
    setting = BY_NAME[name]
    env = os.environ if environ is None else environ
    text = env.get(name, "").strip() or setting.default
    try:
        return setting.parse(text)
    except ValueError as e:
        raise SettingError(_problem(setting, text, str(e))) from None


def problems(environ: Mapping[str, str] | None = None) -> list[str]:
    """Every unknown MONITOR_ variable and every invalid value, as Dutch lines."""
    env = os.environ if environ is None else environ
    found = []
    for name in sorted(n for n in env if n.startswith(PREFIX)):
        if name not in BY_NAME:
            guess = difflib.get_close_matches(name, BY_NAME, n=1)
            hint = f"; bedoel je {guess[0]}?" if guess else ""
            found.append(f"{name} is geen instelling van de Proeftuinmonitor{hint} (zie docs/operations.md)")
            continue
        try:
            value(name, env)
        except SettingError as e:
            found.append(str(e))
    return found


def check(environ: Mapping[str, str] | None = None) -> None:
    """Raise SettingError naming every unknown or invalid MONITOR_ variable (start-up stops)."""
    found = problems(environ)
    if found:
        raise SettingError("de instellingen kloppen niet:\n  " + "\n  ".join(found))


def markdown_table() -> str:
    """The table of docs/operations.md."""
    lines = ["| variabele | betekenis | toegestaan | standaard |", "|---|---|---|---|"]
    for s in SETTINGS:
        default = "(leeg)" if not s.default else f"`{s.default}`"
        lines.append(f"| `{s.name}` | {s.help} | {s.allowed} | {default} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown_table())
