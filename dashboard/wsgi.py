"""WSGI entry for gunicorn: `gunicorn dashboard.wsgi:server` (options: dashboard/serving.py)."""

from dashboard import logs, serving, settings, warm
from dashboard.app import create_app, resolve_data_dir

settings.check()  # an unknown MONITOR_ variable or an invalid value: the worker does not boot
logs.configure()
app = create_app()
server = app.server
serving.wait_for_demo(resolve_data_dir())  # on a first start: the demo set published, or no worker
# Dash finishes its set-up (the page router's callbacks among it) on the first request; two
# first requests at once on gthread's threads can then find a callback missing (a 500). One
# request now, before the worker serves, finishes it.
server.test_client().get("/healthz")
warm.start(app, resolve_data_dir())  # the first page now; every page and each new snapshot in the background
