"""The upload route under real gunicorn (2 workers, warm-up on, as `python app.py` serves): two
uploads at the same moment, in two worker processes, both land one after the other; a file over
the limit is refused on its size; both workers then show the new data."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.exportfiles import write_csv
from tests.test_upload import _cases, _log, store_dir  # noqa: F401 - the store fixture

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post(base: str, path: Path) -> tuple[int, dict]:
    request = urllib.request.Request(f"{base}/_aanleveren/bestand", data=path.read_bytes(), method="POST",
                                     headers={"X-Bestandsnaam": path.name, "Sec-Fetch-Site": "same-origin",
                                              "Content-Type": "application/octet-stream"})
    try:
        with urllib.request.urlopen(request, timeout=120) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def _layout(base: str) -> str:
    """The shell's layout as text (Dash's JSON writes '/' as \\u002f)."""
    with urllib.request.urlopen(f"{base}/_dash-layout", timeout=60) as r:
        return json.dumps(json.loads(r.read()), ensure_ascii=False)


def test_uploads_through_gunicorn(store_dir, tmp_path):
    port = _free_port()
    env = {**os.environ, "MONITOR_DATA_DIR": str(store_dir), "MONITOR_MAX_FILE_MB": "1"}
    for name in ("MONITOR_AUTH", "MONITOR_WARM"):
        env.pop(name, None)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--timeout", "120", "--bind", f"127.0.0.1:{port}",
         "--no-control-socket", "dashboard.wsgi:server"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if "Gegevens t/m 30-06-2024" in _layout(base):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("gunicorn did not serve within two minutes")
        files = [write_csv(tmp_path / f"{code}_casussen_2024-Q3.csv", _cases(code, n, code[:2].upper()))
                 for code, n in (("flevoland", 5), ("foodvalley", 8))]
        answers = {}
        threads = [threading.Thread(target=lambda p=p: answers.__setitem__(p.name, _post(base, p))) for p in files]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
        published = time.monotonic()
        assert {status for status, _ in answers.values()} == {200}
        assert sorted(a["levering_id"] for _, a in answers.values()) == [3, 4]
        assert {a["uitkomst"] for _, a in answers.values()} == {"geaccepteerd"}
        log = {(r[1], r[2]): r[4] for r in _log(store_dir)}
        assert log[("flevoland", "2024-Q3")] == 5 and log[("foodvalley", "2024-Q3")] == 8

        big = tmp_path / "flevoland_casussen_2024-Q4.csv"
        big.write_bytes(files[0].read_bytes() + b"\r\n" * (1024 * 1024))
        status, answer = _post(base, big)
        assert status == 413 and answer["uitkomst"] == "geweigerd"
        assert len(_log(store_dir)) == 4

        # Both workers show the new peildatum: ten requests in a row (spread over the workers).
        seen = 0
        while seen < 10 and time.monotonic() - published < 60:
            seen = seen + 1 if "Gegevens t/m 30-09-2024" in _layout(base) else 0
        assert seen == 10, "a worker still shows the old data a minute after the upload"
        print(f"both workers show the new data {time.monotonic() - published:.1f} s after the uploads")
    finally:
        server.terminate()
        server.wait(timeout=30)
