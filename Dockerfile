# Proeftuinmonitor: the dashboard, served by gunicorn. The store lives on the /data volume.
FROM python:3.11-slim-bookworm

# The container listens on all interfaces, so login is on: MONITOR_AUTH=basic with the users in
# /data/gebruikers.json (add them with `python -m dashboard gebruiker`). Give MONITOR_SECRET_KEY
# at run time (the app refuses to start without it), or MONITOR_AUTH=header with
# MONITOR_TRUSTED_PROXIES behind the organisation's SSO proxy. Only behind a proxy that already
# logs users in: MONITOR_AUTH= and MONITOR_ALLOW_OPEN_BIND=1. See docs/security.md.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MONITOR_DATA_DIR=/data \
    MONITOR_AUTH=basic

WORKDIR /app

# Dependencies first, from the lock with hashes (scripts/lock.sh), so a code change reuses the layer.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY pyproject.toml ./
COPY dashboard/ dashboard/
COPY queries/ queries/
COPY assets/ assets/
COPY data/reference/ data/reference/

# Editable, so the code, queries/, assets/ and data/reference/ stay together in /app (the
# package finds them relative to itself). Built with the locked setuptools: no unhashed download.
RUN pip install --no-cache-dir --no-deps --no-build-isolation -e .

RUN groupadd --system --gid 10001 monitor \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin monitor \
    && mkdir -p /data \
    && chown 10001:10001 /data \
    && chmod 0700 /data

VOLUME ["/data"]
USER 10001:10001
EXPOSE 8050

# slim has no curl: ask /healthz with Python (200 only when the snapshot in force opens).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8050/healthz', timeout=4).status != 200)"]

# The same start as `python app.py` (dashboard/serving.py): settings and store checked first (a
# damaged store stops it), then gunicorn with its gthread workers, time-outs and log format.
# Each worker opens its own read-only DuckDB connection after the fork and draws every page once
# before it serves (dashboard/warm.py). An empty /data stays empty: no demo data in production.
CMD ["python", "-m", "dashboard", "serve", "--host", "0.0.0.0", "--zonder-demo"]
