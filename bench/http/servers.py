"""gunicorn under the bench: started as an operator would here (2 sync workers, loopback
only), waited for, drained of queued requests, and always stopped."""

import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@contextmanager
def gunicorn(app: str, *, env: dict, port: int, log_file: Path, ready: str) -> Iterator[int]:
    """gunicorn as an operator would run it here: 2 sync workers, loopback only. Stopped
    (the master, which stops its workers) however the block ends. Yields the master's pid."""
    with log_file.open("ab") as output:
        server = subprocess.Popen(  # noqa: S603
            [
                str(Path(PYTHON).with_name("gunicorn")),
                app,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--graceful-timeout",
                "5",
                # gunicorn 27's control socket is one path for every server on the machine.
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        began = time.perf_counter()
        wait_until_up(port, ready, server)
        log(f"{app} up on port {port} in {time.perf_counter() - began:.1f} s")
        yield server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_up(port: int, path: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn on port {port} stopped at start: see its log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn on port {port} did not answer {path} in {timeout:.0f} s")


def drain(port: int, path: str) -> None:
    """Wait for the requests a finished wrk left queued: a sync worker still serves them,
    and the next measurement would pay for them. Two at once, one for each worker."""

    def ask():
        with suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120).close()  # noqa: S310

    askers = [threading.Thread(target=ask) for _ in range(2)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()


# Measuring --------------------------------------------------------------------------------
