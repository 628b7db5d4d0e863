"""Start the Proeftuinmonitor locally: `python app.py`, then open http://127.0.0.1:8050/.

An empty store is first filled with the fictitious demo set. The app is served by gunicorn
(2 workers, dashboard/serving.py; bound to this machine only); MONITOR_DEBUG=1 uses Dash's development server.
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Start de Proeftuinmonitor.")
    parser.add_argument("--bind", metavar="ADRES", help=f"het adres om op te luisteren (standaard MONITOR_BIND of {HOST})")
    host = parser.parse_args(argv).bind or os.environ.get("MONITOR_BIND", "").strip() or HOST
    check_bind(host)
    from dashboard.app import create_app, has_snapshot, resolve_data_dir
    from dashboard.demo_load import ensure_demo
    from dashboard.store import Store

    data_dir = resolve_data_dir()
    if not has_snapshot(data_dir):
        print(f"Geen gegevens in {data_dir}: demodata (fictief) aanmaken en inlezen...", flush=True)
        ensure_demo(data_dir)
    elif Store(data_dir).rebuild_if_needed():
        print("Snapshot opnieuw gebouwd voor de nieuwe versie van schema en referentiegegevens.", flush=True)

    if os.environ.get("MONITOR_DEBUG") == "1":
        create_app(data_dir).run(host=host, port=PORT, debug=True)
        return

    # Workers import dashboard.wsgi after the fork, so each opens its own DuckDB connection.
    os.environ["MONITOR_DATA_DIR"] = str(data_dir)
    from dashboard.serving import gunicorn_argv

    argv = gunicorn_argv(host, PORT, WORKERS)
    address = f"[{host}]" if ":" in host else host
    print(f"Proeftuinmonitor op http://{address}:{PORT}/", flush=True)
    os.execv(sys.executable, argv)


if __name__ == "__main__":
    main()
