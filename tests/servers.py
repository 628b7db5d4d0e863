"""Real gunicorn servers for tests: started as `python app.py` starts them
(dashboard.serving.gunicorn_argv), on a free loopback port, over a given data folder."""

from __future__ import annotations

import base64
import http.client
import os
import socket
import subprocess
import time
from pathlib import Path

from dashboard.serving import gunicorn_argv

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving dashboard.wsgi over `data_dir`; its output goes to `log`."""

    def __init__(self, data_dir: Path, log: Path, env: dict | None = None, workers: int = 2):
        self.port = free_port()
        self.log = log
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
        full_env.update({"MONITOR_DATA_DIR": str(data_dir), **(env or {})})
        self._out = open(log, "wb")
        self.proc = subprocess.Popen(gunicorn_argv("127.0.0.1", self.port, workers), cwd=ROOT, env=full_env,
                                     stdout=self._out, stderr=subprocess.STDOUT)

    def wait_ready(self, seconds: float = 120) -> None:
        """Until /healthz answers 200 (the workers have drawn every page once)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text(errors="replace")[-3000:]
            try:
                if self.get("/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError("gunicorn kwam niet op: " + self.log.read_text(errors="replace")[-3000:])

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                timeout: float = 30) -> tuple[int, dict, bytes]:
        con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            con.request(method, path, body=body, headers=headers or {})
            r = con.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            con.close()

    def get(self, path: str, headers: dict | None = None, timeout: float = 30) -> tuple[int, bytes]:
        status, _, body = self.request("GET", path, headers=headers, timeout=timeout)
        return status, body

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._out.close()


def basic(name: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()}


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
