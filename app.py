"""Start the Proeftuinmonitor locally: `python app.py`, then open http://127.0.0.1:8050/.

An empty store is first filled with the fictitious demo set. The app is served by gunicorn
(2 workers, bound to this machine only); MONITOR_DEBUG=1 uses Dash's development server.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
HOST, PORT, WORKERS = "127.0.0.1", 8050, 2


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from dashboard.app import create_app, has_snapshot, resolve_data_dir

    data_dir = resolve_data_dir()
    if not has_snapshot(data_dir):
        try:
            from dashboard.demo_load import ensure_demo
        except ImportError as exc:
            sys.exit(
                f"De gegevensmap {data_dir} heeft nog geen snapshot, en de demodata kan niet "
                f"worden aangemaakt (dashboard.demo_load.ensure_demo ontbreekt: {exc})."
            )
        print(f"Geen gegevens in {data_dir}: demodata (fictief) aanmaken en inlezen...", flush=True)
        ensure_demo(data_dir)

    if os.environ.get("MONITOR_DEBUG") == "1":
        create_app(data_dir).run(host=HOST, port=PORT, debug=True)
        return

    # Workers import dashboard.wsgi after the fork, so each opens its own DuckDB connection.
    os.environ["MONITOR_DATA_DIR"] = str(data_dir)
    argv = [
        sys.executable, "-m", "gunicorn",
        "--chdir", str(ROOT),
        "--workers", str(WORKERS),
        "--bind", f"{HOST}:{PORT}",
        "--access-logfile", "-",
        "--no-control-socket",
        "dashboard.wsgi:server",
    ]
    print(f"Proeftuinmonitor op http://{HOST}:{PORT}/", flush=True)
    os.execv(sys.executable, argv)


if __name__ == "__main__":
    main()
