"""`python -m dashboard serve` checks, then becomes gunicorn serving the store (real processes, loopback)."""

import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.ingest import ingest_files
from dashboard.serving import gunicorn_argv
from dashboard.store import Store
from tests.exportfiles import casus, write_csv

ROOT = Path(__file__).resolve().parent.parent
TEXT_LINE = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d (DEBUG|INFO|WARNING|ERROR|CRITICAL) ([\w.]+): ")


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    """One accepted delivery of three cases: enough for a snapshot, far quicker than the demo set."""
    tmp = tmp_path_factory.mktemp("serving")
    rows = [casus(casus_id=f"FL-{i:04d}", proeftuin="flevoland", datum_aanmelding=dt.date(2024, 4, 1 + i)) for i in range(3)]
    store = Store(tmp / "store")
    assert ingest_files([write_csv(tmp / "flevoland_casussen_2024-Q2.csv", rows)], store,
                        ontvangen=dt.date(2024, 7, 10)).all_accepted
    return store.root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    env.update(extra)
    return env


def wait_for_health(port: int, process: subprocess.Popen, seconds: float = 90) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                return response.status
        except OSError:  # refused, reset or timed out while the worker boots
            time.sleep(0.5)
    raise AssertionError("no /healthz answer in time")


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        out, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out


def test_gunicorn_argv_binds_the_address_with_the_workers():
    argv = gunicorn_argv("::1", 8123, 3)
    assert argv[:3] == [sys.executable, "-m", "dashboard.master"]
    assert argv[argv.index("--bind") + 1] == "[::1]:8123"
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--chdir") + 1] == str(ROOT)
    assert argv[-1] == "dashboard.wsgi:server"
    assert gunicorn_argv("127.0.0.1", 80, 1)[argv.index("--bind") + 1] == "127.0.0.1:80"


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_serve_becomes_gunicorn_on_the_store_and_logs_in_one_format(small_store, log_format):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", "--port", str(port), "--workers", "1", "--data-dir", str(small_store)],
        env=clean_env(MONITOR_WARM="0", MONITOR_LOG_FORMAT=log_format), cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_for_health(port, process) == 200
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        assert b"dashboard.master" in cmdline and b"dashboard.wsgi:server" in cmdline  # the same process, exec'd
    finally:
        out = stop(process)
    lines = out.splitlines()
    if log_format == "json":
        records = [json.loads(line) for line in lines]  # every line, gunicorn's own included
        loggers = {r["logger"] for r in records}
        messages = [r["bericht"] for r in records]
    else:
        assert all(TEXT_LINE.match(line) for line in lines), out
        loggers = {TEXT_LINE.match(line)[2] for line in lines}
        messages = [line.split(": ", 1)[1] for line in lines]
    assert {"dashboard.serving", "gunicorn.error", "gunicorn.access"} <= loggers
    assert f"Proeftuinmonitor op http://127.0.0.1:{port}/" in messages
    assert any('"GET /healthz HTTP/1.1" 200' in m for m in messages)


def test_serve_refuses_an_open_address_without_login_before_touching_the_store(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dashboard", "serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path)],
                            env=clean_env(), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "geen login" in result.stderr and "127.0.0.1" in result.stderr
    assert list(tmp_path.iterdir()) == []
