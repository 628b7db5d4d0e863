"""Start the dashboard for real: `python app.py` and `python -m dashboard serve` both run `serve`.

The order matters: settings and the bind address are checked before anything touches the
store; then the store is prepared (demo data only into an empty one); then this process
becomes gunicorn (os.execv), whose workers import dashboard.wsgi after the fork so that each
opens its own DuckDB connection.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from . import logs, settings
from .config import PROJECT_DIR

DEFAULT_PORT = 8050
DEFAULT_WORKERS = 2

log = logging.getLogger(__name__)


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def gunicorn_argv(host: str, port: int, workers: int) -> list[str]:
    """The command line that serves dashboard.wsgi on host:port with this many workers."""
    return [
        sys.executable, "-m", "gunicorn",
        "--chdir", str(PROJECT_DIR),
        "--workers", str(workers),
        "--timeout", "120",  # room for each worker's warm-up before it serves (dashboard/warm.py)
        "--bind", _address(host, port),
        "--access-logfile", "-",
        "--logger-class", "dashboard.logs.GunicornLogger",  # its log lines in MONITOR_LOG_FORMAT too
        "--no-control-socket",
        "dashboard.wsgi:server",
    ]


def check_bind(host: str) -> None:
    """Stop with a Dutch message when serving on `host` is not allowed (dashboard.security)."""
    from .security import BindRefused
    from .security import check_bind as check

    try:
        warning = check(host, debug=settings.value("MONITOR_DEBUG"))
    except BindRefused as e:
        sys.exit(f"fout: {e}")
    if warning:
        log.warning(warning)


def prepare_store(data_dir: Path) -> None:
    """Fill a store that never held anything with the demo set, or rebuild the snapshot after an
    upgrade (dashboard.demo_load.prepare_store); a damaged store stops the start with exit code 3
    before anything is served or written."""
    from .demo_load import prepare_store as prepare
    from .store import StoreDamaged

    try:
        prepare(data_dir, say=log.info)
    except StoreDamaged as e:
        print(f"fout: de gegevensmap is beschadigd: {e}. Het dashboard start niet en er is niets gewijzigd. "
              "Zie 'python -m dashboard controleer' en docs/operations.md", file=sys.stderr, flush=True)
        sys.exit(3)


def serve(host: str | None = None, port: int = DEFAULT_PORT, workers: int = DEFAULT_WORKERS,
          data_dir: Path | None = None) -> None:
    """Check, prepare the store, then replace this process by gunicorn (or Dash's debug server)."""
    try:
        settings.check()
    except settings.SettingError as e:
        sys.exit(f"fout: {e}")
    logs.configure()
    host = host or settings.value("MONITOR_BIND")
    check_bind(host)
    from .app import create_app, resolve_data_dir

    data_dir = resolve_data_dir(data_dir)
    prepare_store(data_dir)

    if settings.value("MONITOR_DEBUG"):
        create_app(data_dir).run(host=host, port=port, debug=True)
        return

    os.environ["MONITOR_DATA_DIR"] = str(data_dir)  # the workers read the same folder
    log.info("Proeftuinmonitor op http://%s/", _address(host, port))
    os.execv(sys.executable, gunicorn_argv(host, port, workers))
