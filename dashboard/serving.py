"""How gunicorn serves the app: worker class, threads and timeouts, in one place.

`gunicorn_argv(host, port, workers)` is the command line for `python app.py` and
`python -m dashboard serve`. Measured on loopback (tests/test_availability.py, docs/operations.md):
with gunicorn's sync workers two sockets that send a request line and one header hold both
workers, and /healthz stops answering until gunicorn kills them after --timeout. Here:

- gthread workers (THREADS threads each): a slow client holds one thread, not a worker;
- a new connection waits in the worker's poller, not in a thread, until its first bytes
  arrive (gunicorn's gthread hands it to a thread at once, which then waits up to 5 s): idle
  connections cost no thread, and are closed after the keep-alive time;
- every blocking read or write on a client socket gives up after CLIENT_TIMEOUT seconds, so a
  client that stops sending half-way through its headers or body frees its thread.

This module is imported by the gunicorn master to find the worker class: keep it free of Dash.
"""

from __future__ import annotations

import errno
import logging
import selectors
import socket
import sys
import time
from functools import partial
from pathlib import Path

from gunicorn.workers.gthread import TConn, ThreadWorker

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
THREADS = 16  # per worker: concurrent slow clients one worker survives
CLIENT_TIMEOUT = 30.0  # seconds one read or write on a client socket may block
KEEPALIVE = 5  # seconds an idle connection (new, or between requests) is kept open
WORKER_TIMEOUT = 120  # room for each worker's warm-up before it serves (dashboard/warm.py)
WORKER_CLASS = "dashboard.serving.Worker"


def gunicorn_argv(host: str, port: int, workers: int) -> list[str]:
    """The command that serves dashboard.wsgi on host:port (argv[0] is this Python)."""
    address = f"[{host}]" if ":" in host else host
    return [
        sys.executable, "-m", "gunicorn",
        "--chdir", str(ROOT),
        "--workers", str(workers),
        "--worker-class", WORKER_CLASS,
        "--threads", str(THREADS),
        "--keep-alive", str(KEEPALIVE),
        "--timeout", str(WORKER_TIMEOUT),
        "--bind", f"{address}:{port}",
        "--access-logfile", "-",
        "--no-control-socket",
        "dashboard.wsgi:server",
    ]


class ClientSocket(socket.socket):
    """A client connection whose blocking operations time out after CLIENT_TIMEOUT seconds.

    gthread switches a connection to blocking mode before it reads a request; here blocking
    means 'with a timeout'. A read that times out ends the connection as if the client had
    closed it (gunicorn then drops it quietly) and is logged once.
    """

    def setblocking(self, flag: bool) -> None:
        if flag:
            self.settimeout(CLIENT_TIMEOUT)
        else:
            super().setblocking(False)

    def recv(self, *args):
        try:
            return super().recv(*args)
        except TimeoutError:
            log.warning("verbinding gesloten: de client stuurde %d s niets", CLIENT_TIMEOUT)
            return b""


class Worker(ThreadWorker):
    """gunicorn's gthread worker with ClientSocket connections that wait in the poller first."""

    def accept(self, listener):
        try:
            client, address = listener.accept()
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        sock = ClientSocket(client.family, client.type, client.proto, fileno=client.detach())
        conn = TConn(self.cfg, sock, address, listener.getsockname())  # non-blocking now
        # Waits for its first bytes without a thread; closed by gunicorn after the keep-alive
        # time, like a connection kept open between requests.
        conn.timeout = time.monotonic() + self.cfg.keepalive
        self.pending_conns.append(conn)
        self.poller.register(sock, selectors.EVENT_READ, partial(self.on_pending_socket_readable, conn))
