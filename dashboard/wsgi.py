"""WSGI entry for gunicorn: `gunicorn dashboard.wsgi:server` (options: dashboard/serving.py)."""

from dashboard import logs, serving, settings, warm
from dashboard.app import create_app, finish_setup
from dashboard.config import resolve_data_dir

settings.check()  # an unknown MONITOR_ variable or an invalid value: the worker does not boot
logs.configure()
app = create_app()
server = app.server
serving.wait_for_demo(resolve_data_dir())  # on a first start: the demo set published, or no worker
finish_setup(app)  # before the worker serves
warm.start(app, resolve_data_dir())  # the first page now; every page and each new snapshot in the background
