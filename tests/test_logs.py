"""Logging configured once: time, level and logger on every line; JSON lines with MONITOR_LOG_FORMAT=json."""

import json
import logging
import re

import pytest

from dashboard import logs

TEXT_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+: ")


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _log_a_failure():
    log = logging.getLogger("dashboard.proef")
    log.info("levering %s ingelezen", 7)
    try:
        1 / 0
    except ZeroDivisionError:
        log.exception("inlezen mislukt: 'schijf vol'")


def test_text_lines_carry_time_level_and_logger(capsys, restore_logging):
    logs.configure("text")
    _log_a_failure()
    lines = capsys.readouterr().err.splitlines()
    assert TEXT_LINE.match(lines[0]) and lines[0].endswith(" INFO dashboard.proef: levering 7 ingelezen")
    assert TEXT_LINE.match(lines[1]) and lines[1].endswith(" ERROR dashboard.proef: inlezen mislukt: 'schijf vol'")
    assert lines[2] == "Traceback (most recent call last):" and lines[-1] == "ZeroDivisionError: division by zero"


def test_json_lines_are_one_object_per_line_with_the_traceback_in_exc(capsys, restore_logging):
    logs.configure("json")
    _log_a_failure()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2  # the traceback stays inside its line
    first, second = (json.loads(line) for line in lines)
    assert set(first) == {"tijd", "niveau", "logger", "bericht"}
    assert (first["niveau"], first["logger"], first["bericht"]) == ("INFO", "dashboard.proef", "levering 7 ingelezen")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d", first["tijd"])
    assert (second["niveau"], second["bericht"]) == ("ERROR", "inlezen mislukt: 'schijf vol'")
    assert second["exc"].startswith("Traceback") and second["exc"].endswith("ZeroDivisionError: division by zero")


def test_configure_twice_keeps_one_handler(capsys, restore_logging):
    logs.configure("text")
    logs.configure("json")
    logging.getLogger("dashboard.proef").warning("één keer")
    lines = capsys.readouterr().err.splitlines()
    assert [json.loads(line)["bericht"] for line in lines] == ["één keer"]


def test_the_format_comes_from_the_setting(monkeypatch):
    monkeypatch.setenv("MONITOR_LOG_FORMAT", "json")
    assert isinstance(logs.formatter(), logs.JsonFormatter)
    monkeypatch.delenv("MONITOR_LOG_FORMAT")
    assert isinstance(logs.formatter(), logs.TextFormatter)
