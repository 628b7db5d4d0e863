"""Start the dashboard for real, and how gunicorn serves it.

`python app.py` and `python -m dashboard serve` both run `serve`. The order matters: settings and
the bind address are checked before anything touches the store; then the store is prepared (demo
data only into a store that never held anything; a damaged store stops the start with exit code
3); then this process becomes gunicorn (os.execv), whose workers import dashboard.wsgi after the
fork so that each opens its own DuckDB connection. On a first start a child process writes and
ingests the demo set meanwhile (load_demo_beside); the workers build the app and then wait for
its snapshot before they serve, or stop gunicorn (exit code 3) when there is none.

Worker class, threads and timeouts live in `gunicorn_argv`. Measured on loopback
(tests/test_availability.py, docs/operations.md): with gunicorn's sync workers two sockets that
send a request line and one header hold both workers, and /healthz stops answering until
gunicorn kills them after --timeout. Here:

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
import os
import select
import selectors
import socket
import sys
import time
from functools import partial
from pathlib import Path

from gunicorn.workers.gthread import TConn, ThreadWorker

from . import config, logs, settings

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 8050
DEFAULT_WORKERS = 2
THREADS = 16  # per worker: concurrent slow clients one worker survives
CLIENT_TIMEOUT = 30.0  # seconds one read or write on a client socket may block
KEEPALIVE = 5  # seconds an idle connection (new, or between requests) is kept open
WORKER_TIMEOUT = 120  # room for each worker's warm-up before it serves (dashboard/warm.py)
WORKER_CLASS = "dashboard.serving.Worker"


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def gunicorn_argv(host: str, port: int, workers: int) -> list[str]:
    """The command that serves dashboard.wsgi on host:port (argv[0] is this Python)."""
    return [
        sys.executable, "-m", "dashboard.master",  # gunicorn, halting once (dashboard/master.py)
        "--chdir", str(ROOT),
        "--workers", str(workers),
        "--worker-class", WORKER_CLASS,
        "--threads", str(THREADS),
        "--keep-alive", str(KEEPALIVE),
        "--timeout", str(WORKER_TIMEOUT),
        "--bind", _address(host, port),
        "--access-logfile", "-",
        "--logger-class", "dashboard.logs.GunicornLogger",  # its log lines in MONITOR_LOG_FORMAT too
        "--no-control-socket",
        # The workers' heartbeat files in memory, not on a container's (overlay) disk.
        *(["--worker-tmp-dir", "/dev/shm"] if Path("/dev/shm").is_dir() else []),
        "dashboard.wsgi:server",
    ]


def check_bind(host: str) -> None:
    """Stop with a Dutch message when serving on `host` is not allowed (dashboard.security)."""
    from .security import BindRefused
    from .security import check_bind as check

    try:
        warning = check(host, debug=settings.value("MONITOR_DEBUG"))
    except BindRefused as e:
        sys.exit(f"fout: {e}")
    if warning:
        log.warning(warning)


def prepare_store(data_dir: Path, demo: bool = True, beside: bool = False) -> None:
    """Fill a store that never held anything with the demo set (unless `demo` is off), or rebuild
    the snapshot after an upgrade (dashboard.demo_load.prepare_store); a damaged store stops the
    start with exit code 3 before anything is served or written, and so does a demo set that
    could not be written or ingested (nothing of it published). `beside`: the demo set is loaded
    by a child process while this one goes on to become gunicorn (load_demo_beside)."""
    from .demo_load import DemoLoadFailed
    from .demo_load import prepare_store as prepare
    from .store import StoreDamaged

    try:
        prepare(data_dir, say=log.info, demo=demo, load_demo=load_demo_beside if beside else None)
    except StoreDamaged as e:
        sys.exit(_damaged(e))
    except DemoLoadFailed as e:
        sys.exit(_demo_failed(e))


def _damaged(e: Exception) -> int:
    print(f"fout: de gegevensmap is beschadigd: {e}. Het dashboard start niet en er is niets gewijzigd. "
          "Zie 'python -m dashboard controleer' en docs/operations.md", file=sys.stderr, flush=True)
    return 3


def _demo_failed(e: Exception) -> int:
    log.error("demodata mislukt", exc_info=e.__cause__)  # the details, in the configured log format
    print(f"fout: {e}. Het dashboard start niet.", file=sys.stderr, flush=True)
    return 3


# The read end of a pipe whose only write end the demo load holds: it reads end-of-file once the
# load has ended. Not a MONITOR_ name: it is no setting (settings.check refuses unknown ones).
DEMO_PIPE = "PROEFTUINMONITOR_DEMOPIJP"


def load_demo_beside(data_dir: Path, say=log.info) -> None:
    """Write and ingest the demo set in a child process; once the files are written this process
    goes on to become gunicorn: its first worker imports Dash and builds the app during the ingest
    (a second or two of a first start, on the core the ingest leaves free), then waits in
    wait_for_demo; the other workers build it once the load has ended. A load that fails before
    its files are written stops the start here, with its exit code. Forked before anything opened
    DuckDB or started a thread; the child leaves with os._exit."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        code = 3
        try:
            code = _load_demo(data_dir, say, written=lambda: os.write(write, b"."))
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)  # the pipe's write end closes: the workers read end-of-file
    os.close(write)
    # gunicorn once the files are written: the writers use both cores, the ingest leaves one free
    # (for the first worker: Worker.load_wsgi).
    if not os.read(read, 1):  # the load ended before that: it has said why
        code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        if code:
            sys.exit(code)
        os.close(read)
        return  # it found the store no longer empty: nothing to wait for
    os.set_inheritable(read, True)  # through the exec into gunicorn and its workers
    os.environ[DEMO_PIPE] = str(read)


def _load_demo(data_dir: Path, say, written) -> int:
    from .demo_load import DemoLoadFailed, ensure_demo
    from .store import StoreDamaged

    try:
        ensure_demo(data_dir, say=say, written=written)
    except StoreDamaged as e:
        return _damaged(e)
    except DemoLoadFailed as e:
        return _demo_failed(e)
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the ingest stopped, nothing published
        return 3
    return 0


def _wait_for_demo_load() -> bool:
    """Return once a demo load started beside this process has ended; False when there is none."""
    fd = os.environ.get(DEMO_PIPE)
    if fd is None:
        return False
    pipe = int(fd)
    while True:
        # gunicorn kills a worker that has not signalled for --timeout seconds, booting or not;
        # a demo load on a busy machine may take longer.
        if _booting is not None:
            _booting.notify()
        if select.select([pipe], [], [], 1.0)[0] and not os.read(pipe, 1):  # the load never writes
            return True


def wait_for_demo(data_dir: Path) -> None:
    """In a worker started beside the demo load: return once the load has ended with its snapshot
    published. Without one the worker exits with gunicorn's boot-error code 3, and gunicorn stops
    ("Worker failed to boot"); the demo load has said why. Nothing to wait for otherwise."""
    if not _wait_for_demo_load():
        return
    from .store import Store

    if Store(data_dir).current_snapshot() is None:
        log.error("de demodata zijn niet ingelezen; deze worker start niet")
        sys.exit(3)


def serve(host: str | None = None, port: int = DEFAULT_PORT, workers: int = DEFAULT_WORKERS,
          data_dir: Path | None = None, demo: bool = True) -> None:
    """Check, prepare the store, then replace this process by gunicorn (or Dash's debug server).

    `demo=False` (the container, `serve --zonder-demo`): an empty store stays empty and the app
    says there is no data yet; a damaged store still stops the start."""
    try:
        settings.check()
    except settings.SettingError as e:
        sys.exit(f"fout: {e}")
    logs.configure()
    host = host or settings.value("MONITOR_BIND")
    check_bind(host)
    # config's, not anything of dashboard.app: importing Dash here would cost this process a
    # second before the demo set, and it becomes gunicorn (whose workers import Dash) after it.
    data_dir = config.resolve_data_dir(data_dir)
    prepare_store(data_dir, demo=demo, beside=not settings.value("MONITOR_DEBUG"))

    if settings.value("MONITOR_DEBUG"):
        from .app import create_app

        create_app(data_dir).run(host=host, port=port, debug=True)
        return

    os.environ["MONITOR_DATA_DIR"] = str(data_dir)  # the workers read the same folder
    log.info("Proeftuinmonitor op http://%s/", _address(host, port))
    os.execv(sys.executable, gunicorn_argv(host, port, workers))


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


_booting: ThreadWorker | None = None  # the worker of this process while it loads dashboard.wsgi


class Worker(ThreadWorker):
    """gunicorn's gthread worker with ClientSocket connections that wait in the poller first."""

    def load_wsgi(self):
        global _booting
        _booting = self  # wait_for_demo keeps its heartbeat going
        try:
            # Beside a demo load only the first worker builds the app meanwhile, on the core the
            # ingest leaves free; the others wait for the load to end and then build it while the
            # first one serves. Two workers building beside the ingest took 3 s of CPU from it.
            if self.age > 1 and _wait_for_demo_load():
                self.log.info("worker %d bouwt de app na de demodata", self.age)
            super().load_wsgi()
        finally:
            _booting = None

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
