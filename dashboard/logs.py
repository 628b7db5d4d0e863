"""Logging configured once, in one format, for the CLI, `serve`, the gunicorn workers and gunicorn itself.

Every line carries time, level and logger name. MONITOR_LOG_FORMAT=json writes one JSON object per
line (`tijd`, `niveau`, `logger`, `bericht`, and `exc` with the traceback) for a log collector;
`text` (the default) writes the same fields as a plain line for a person at a terminal.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

from gunicorn.glogging import Logger as _GunicornLogger

from . import settings

TEXT_FORMAT = "%(tijd)s %(levelname)s %(name)s: %(message)s"


def _time(record: logging.LogRecord) -> str:
    # Local time with its offset: readable here, unambiguous once collected elsewhere.
    return dt.datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        record.tijd = _time(record)
        return super().format(record)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"tijd": _time(record), "niveau": record.levelname, "logger": record.name, "bericht": record.getMessage()}
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def formatter(fmt: str | None = None) -> logging.Formatter:
    """The formatter for `fmt` ('text' or 'json'), by default MONITOR_LOG_FORMAT."""
    return JsonFormatter() if (fmt or settings.value("MONITOR_LOG_FORMAT")) == "json" else TextFormatter()


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (pytest swaps it per test)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr


def configure(fmt: str | None = None, level: int = logging.INFO) -> None:
    """Route every logger through one stderr handler in the configured format; safe to call again."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)
    handler = _StderrHandler()
    handler.setFormatter(formatter(fmt))
    root.addHandler(handler)
    root.setLevel(level)


class GunicornLogger(_GunicornLogger):
    """gunicorn's error and access log in the same format (`--logger-class dashboard.logs.GunicornLogger`)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter())
