"""WSGI entry for gunicorn: `gunicorn dashboard.wsgi:server`."""

from dashboard import warm
from dashboard.app import create_app, resolve_data_dir

app = create_app()
server = app.server
warm.start(app, resolve_data_dir())  # each worker draws every page once per new snapshot
