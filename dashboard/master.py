"""The gunicorn master, as `python -m dashboard.master` (dashboard.serving.gunicorn_argv).

gunicorn's own, with one change: a server that is halting already does not halt a second time.
When no worker can boot (a first start whose demo set was not ingested: dashboard.serving
.wait_for_demo), every worker exits with gunicorn's boot-error code 3. The first one reaped makes
the arbiter halt; if a second one exits while `halt` is still reaping, gunicorn 27 raises its
HaltServer again out of `halt`, and the master dies with a traceback and exit code 1 instead of
stopping the other workers and exiting with 3. Seen in CI (tests/test_first_start.py);
tests/test_master.py makes it happen every time.

Imported before gunicorn's application module reads its arbiter: keep it free of Dash.
"""

from __future__ import annotations

from gunicorn.arbiter import Arbiter as GunicornArbiter
from gunicorn.errors import HaltServer


class Arbiter(GunicornArbiter):
    """gunicorn's arbiter, which halts once with the first reason and exit code."""

    _halting = False

    def halt(self, reason: str | None = None, exit_status: int = 0) -> None:
        self._halting = True
        super().halt(reason=reason, exit_status=exit_status)

    def reap_workers(self) -> None:
        if not self._halting:
            super().reap_workers()
            return
        # gunicorn has reaped, logged and forgotten the worker before it raises; the reaping
        # goes on at the next turn of `stop`, which waits for the remaining workers.
        try:
            super().reap_workers()
        except HaltServer:
            pass


def main() -> None:
    from gunicorn.app import base

    base.Arbiter = Arbiter  # gunicorn's application runs Arbiter(self).run()
    from gunicorn.app.wsgiapp import run

    run(prog="gunicorn")


if __name__ == "__main__":
    main()
