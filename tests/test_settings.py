"""Every MONITOR_* variable is declared once in dashboard.settings, documented, and checked at start-up."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import config, settings

ROOT = Path(__file__).resolve().parent.parent
FLASK_CONFIG_KEYS = {"MONITOR_AUTH_SETTINGS"}  # server.config keys, not environment variables


def _clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    env.update(extra)
    return env


def test_docs_table_is_the_settings_list():
    text = (ROOT / "docs" / "operations.md").read_text()
    table = text.split("<!-- instellingen: begin -->\n")[1].split("\n<!-- instellingen: eind -->")[0]
    assert table == settings.markdown_table(), "werk de tabel bij met: python -m dashboard.settings"
    for s in settings.SETTINGS:
        row = next(line for line in table.splitlines() if line.startswith(f"| `{s.name}` |"))
        assert row.endswith(f"| `{s.default}` |" if s.default else "| (leeg) |")


def test_every_monitor_name_in_the_code_is_a_declared_setting():
    sources = [ROOT / "app.py", *sorted((ROOT / "dashboard").rglob("*.py"))]
    named = {name for path in sources for name in re.findall(r"\bMONITOR_[A-Z_]+\b", path.read_text())}
    assert named - FLASK_CONFIG_KEYS - set(settings.BY_NAME) == set()


def test_no_module_reads_a_monitor_variable_from_the_environment_itself():
    sources = [ROOT / "app.py", *sorted((ROOT / "dashboard").rglob("*.py"))]
    # Reads only: serve hands the resolved data folder to the gunicorn workers by writing it.
    direct = re.compile(r"""(environ\.get\(|getenv\()\s*["']MONITOR_|environ\[\s*["']MONITOR_\w+["']\s*\](?!\s*=)""")
    offenders = [str(p.relative_to(ROOT)) for p in sources if p.name != "settings.py" and direct.search(p.read_text())]
    assert offenders == []


def test_defaults():
    empty: dict[str, str] = {}
    assert settings.value("MONITOR_SMALL_CELL_THRESHOLD", empty) == 5
    assert settings.value("MONITOR_MAX_ROWS", empty) == 5_000_000
    assert settings.value("MONITOR_BIND", empty) == "127.0.0.1"
    assert settings.value("MONITOR_AUTH", empty) is None
    assert settings.value("MONITOR_WARM", empty) is True
    assert settings.value("MONITOR_DEBUG", empty) is False
    assert settings.value("MONITOR_LOG_FORMAT", empty) == "text"
    assert settings.value("MONITOR_TRUSTED_PROXIES", empty) == ()
    assert settings.value("MONITOR_AUTH_USER_HEADER", {"MONITOR_AUTH_USER_HEADER": "  "}) == "X-Remote-User"


def test_config_functions_read_through_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("MONITOR_MAX_FILE_MB", "3")
    monkeypatch.setenv("MONITOR_MAX_XLSX_UNPACKED_MB", "2")
    monkeypatch.setenv("MONITOR_DATA_DIR", str(tmp_path))
    assert config.max_file_bytes() == 3 * 1024 * 1024
    assert config.max_xlsx_unpacked_bytes() == 2 * 1024 * 1024
    assert config.data_dir() == tmp_path
    monkeypatch.setenv("MONITOR_DATA_DIR", "")
    assert config.data_dir() == ROOT / "data" / "store"


def test_check_names_each_unknown_or_invalid_variable_and_what_is_allowed():
    env = {"MONITOR_SMALL_CEL_THRESHOLD": "5", "MONITOR_LOG_FORMAT": "xml", "MONITOR_MAX_ROWS": "-3",
           "MONITOR_WARM": "ja", "MONITOR_TRUSTED_PROXIES": "10.0.0.5, proxy.local", "MONITOR_AUTH": "Basic",
           "PATH": "/usr/bin"}
    assert settings.problems(env) == [
        "MONITOR_LOG_FORMAT: 'xml' is onbekend; toegestaan: text of json",
        "MONITOR_MAX_ROWS: '-3' is negatief; toegestaan: een geheel getal van 0 of meer",
        "MONITOR_SMALL_CEL_THRESHOLD is geen instelling van de Proeftuinmonitor; bedoel je "
        "MONITOR_SMALL_CELL_THRESHOLD? (zie docs/operations.md)",
        "MONITOR_TRUSTED_PROXIES: '10.0.0.5, proxy.local' bevat 'proxy.local', dat is geen IP-adres of netwerk "
        "(CIDR); toegestaan: IP-adressen of netwerken (CIDR), met komma's gescheiden",
        "MONITOR_WARM: 'ja' is geen 0 of 1; toegestaan: 0 of 1",
    ]
    with pytest.raises(settings.SettingError, match="MONITOR_LOG_FORMAT"):
        settings.check(env)
    settings.check({"MONITOR_AUTH": "header", "MONITOR_MAX_ROWS": "0", "HOME": "/root"})


def test_a_secret_is_never_repeated_in_a_message():
    # A secret cannot be invalid today; a stand-in setting with the secret flag shows the wording.
    secret = settings.Setting("MONITOR_X", "", "", "iets", settings._integer, secret=True)
    assert settings._problem(secret, "geheim123", "is geen geheel getal") == \
        "MONITOR_X: de waarde is geen geheel getal; toegestaan: iets"


def test_cli_stops_on_an_unknown_variable(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dashboard", "--data-dir", str(tmp_path), "figures"],
                            env=_clean_env(MONITOR_MAX_ROW="10"), capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert result.returncode == 2
    assert "MONITOR_MAX_ROW is geen instelling" in result.stderr and "bedoel je MONITOR_MAX_ROWS?" in result.stderr
    assert result.stdout == ""


def test_app_stops_on_an_invalid_value_before_anything_happens(tmp_path):
    data_dir = tmp_path / "leeg"
    data_dir.mkdir()
    result = subprocess.run([sys.executable, str(ROOT / "app.py")],
                            env=_clean_env(MONITOR_DATA_DIR=str(data_dir), MONITOR_LOG_FORMAT="xml"),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "MONITOR_LOG_FORMAT: 'xml' is onbekend; toegestaan: text of json" in result.stderr
    assert not any(data_dir.iterdir())
