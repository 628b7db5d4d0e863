"""Start the Proeftuinmonitor locally: `python app.py`, then open http://127.0.0.1:8050/.

A store that never held anything is first filled with the fictitious demo set; a damaged store
stops the start with exit code 3 (`python -m dashboard controleer` says what is wrong). The app is served by gunicorn
(2 workers, bound to this machine only); MONITOR_DEBUG=1 uses Dash's development server.
`--bind ADRES` (or MONITOR_BIND) listens on another address: only with login (MONITOR_AUTH),
or with MONITOR_ALLOW_OPEN_BIND=1; see docs/security.md.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
HOST, PORT, WORKERS = "127.0.0.1", 8050, 2


def check_bind(host: str) -> None:
    """Stop with a Dutch message when serving on `host` is not allowed (dashboard.security)."""
    sys.path.insert(0, str(ROOT))
    from dashboard.security import BindRefused
    from dashboard.security import check_bind as check

    try:
        warning = check(host, debug=os.environ.get("MONITOR_DEBUG") == "1")
    except BindRefused as e:
        sys.exit(f"fout: {e}")
    if warning:
        print(warning, file=sys.stderr, flush=True)


def check_store(data_dir: Path) -> None:
    """Prepare the store (demo set, rebuild: dashboard.demo_load.prepare_store); a damaged store
    stops the start with exit code 3 before anything is served or written."""
    from dashboard.demo_load import prepare_store
    from dashboard.store import StoreDamaged

    try:
        prepare_store(data_dir, say=lambda line: print(line, flush=True))
    except StoreDamaged as e:
        print(f"fout: de gegevensmap is beschadigd: {e}. Het dashboard start niet en er is niets gewijzigd. "
              "Zie 'python -m dashboard controleer' en docs/operations.md", file=sys.stderr, flush=True)
        sys.exit(3)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Start de Proeftuinmonitor.")
    parser.add_argument("--bind", metavar="ADRES", help=f"het adres om op te luisteren (standaard MONITOR_BIND of {HOST})")
    host = parser.parse_args(argv).bind or os.environ.get("MONITOR_BIND", "").strip() or HOST
    check_bind(host)
    from dashboard.app import create_app, resolve_data_dir

    data_dir = resolve_data_dir()
    check_store(data_dir)

    if os.environ.get("MONITOR_DEBUG") == "1":
        create_app(data_dir).run(host=host, port=PORT, debug=True)
        return

    # Workers import dashboard.wsgi after the fork, so each opens its own DuckDB connection.
    os.environ["MONITOR_DATA_DIR"] = str(data_dir)
    address = f"[{host}]" if ":" in host else host
    argv = [
        sys.executable, "-m", "gunicorn",
        "--chdir", str(ROOT),
        "--workers", str(WORKERS),
        "--timeout", "120",  # room for each worker's warm-up before it serves (dashboard/warm.py)
        "--bind", f"{address}:{PORT}",
        "--access-logfile", "-",
        "--no-control-socket",
        "dashboard.wsgi:server",
    ]
    print(f"Proeftuinmonitor op http://{address}:{PORT}/", flush=True)
    os.execv(sys.executable, argv)


if __name__ == "__main__":
    main()
