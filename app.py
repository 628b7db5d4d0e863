"""Start the Proeftuinmonitor locally: `python app.py`, then open http://127.0.0.1:8050/.

A store that never held anything is first filled with the fictitious demo set; a damaged store
stops the start with exit code 3 (`python -m dashboard controleer` says what is wrong). The app
is served by gunicorn (2 workers, bound to this machine only); MONITOR_DEBUG=1 uses Dash's
development server.
`--bind ADRES` (or MONITOR_BIND) listens on another address: only with login (MONITOR_AUTH),
or with MONITOR_ALLOW_OPEN_BIND=1; see docs/security.md. The same as `python -m dashboard serve`
(dashboard/serving.py).
"""

from __future__ import annotations

import argparse

from dashboard.serving import check_bind, serve

__all__ = ["check_bind", "main"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Start de Proeftuinmonitor.")
    parser.add_argument("--bind", metavar="ADRES", help="het adres om op te luisteren (standaard MONITOR_BIND of 127.0.0.1)")
    serve(host=parser.parse_args(argv).bind)


if __name__ == "__main__":
    main()
