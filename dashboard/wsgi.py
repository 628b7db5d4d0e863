"""WSGI entry for gunicorn: `gunicorn dashboard.wsgi:server`."""

from dashboard import logs, settings, warm
from dashboard.app import create_app, resolve_data_dir

settings.check()  # an unknown MONITOR_ variable or an invalid value: the worker does not boot
logs.configure()
app = create_app()
server = app.server
warm.start(app, resolve_data_dir())  # each worker draws every page once per new snapshot
