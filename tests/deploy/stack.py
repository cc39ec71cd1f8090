"""The Compose file's stack as processes on this machine (there is no Docker here): PgBouncer
and nginx from Debian's packages with the configs in deploy/, gunicorn, Celery workers and
beat run with the commands docker-compose.yml gives them, and a private redis-server.

Everything binds 127.0.0.1 on the ops ports; every process is started in its own process
group and killed with it in `Stack.stop`.
"""

import configparser
import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests import ROOT_DIR

ROOT = ROOT_DIR
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Ports:
    """Where the stack's parts listen on 127.0.0.1: the stack test's ports by default, or
    five from WNH_STACK_PORT_BASE on; the fault round (tests/deploy/fault_round.py) takes
    its own, so both can be set up at once."""

    nginx: int = 8310
    web: tuple[int, int] = (8311, 8312)
    pgbouncer: int = 6432
    redis: int = 6391

    @classmethod
    def from_base(cls, base: int) -> "Ports":
        """nginx on `base`; the web processes, PgBouncer and Redis on the next four."""
        return cls(nginx=base, web=(base + 1, base + 2), pgbouncer=base + 3, redis=base + 4)


PORTS = (
    Ports.from_base(int(os.environ["WNH_STACK_PORT_BASE"]))
    if os.environ.get("WNH_STACK_PORT_BASE")
    else Ports()
)
NGINX_PORT, WEB_PORTS, PGBOUNCER_PORT, REDIS_PORT = (
    PORTS.nginx,
    PORTS.web,
    PORTS.pgbouncer,
    PORTS.redis,
)
# A production start refuses the development key: the stack gets one of its own.
SECRET_KEY = "ops-stack-test-key-k7Q2vX9pL4mN8rT1wY6zB3cF5hJ0sD-aG8eU2iO4qW6yR0tP1"


def installed(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")


def binary(name: str) -> str:
    found = installed(name)
    if not found:
        raise RuntimeError(f"{name} is not installed (make ops-tools)")
    return found


def compose_command(service: str) -> list[str]:
    """The service's command from docker-compose.yml, its program from this virtualenv."""
    command = list(COMPOSE[service]["command"])
    if (BIN / command[0]).exists():
        command[0] = str(BIN / command[0])
    return command


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False


def wait_until(condition, *, timeout: float, what: str, every: float = 0.1) -> float:
    """Poll `condition` until it holds; returns the seconds it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)
    return time.monotonic() - start


def get(port: int, path: str, *, headers: dict | None = None, timeout: float = 10):
    """(status, JSON body or text, headers) of a GET on 127.0.0.1:`port`."""
    return request(port, "GET", path, headers=headers, timeout=timeout)


def request(port: int, method: str, path: str, *, body=None, headers=None, timeout: float = 30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        all_headers = {"Host": "127.0.0.1", **(headers or {})}
        if payload is not None:
            all_headers["Content-Type"] = "application/json"
        connection.request(method, path, body=payload, headers=all_headers)
        answer = connection.getresponse()
        text = answer.read().decode()
        try:
            content = json.loads(text)
        except ValueError:
            content = text
        return answer.status, content, dict(answer.getheaders())
    finally:
        connection.close()


class Stack:
    def __init__(self, folder: Path, *, database: str, now: str, ports: Ports = PORTS) -> None:
        self.folder, self.database, self.now, self.ports = folder, database, now, ports
        self.processes: dict[str, subprocess.Popen] = {}
        self.mailbox = folder / "mailbox"
        self.mailbox.mkdir()

    # -- what every portal process is given ------------------------------------------------

    def portal_env(self, **extra) -> dict:
        return {
            **os.environ,
            # The portal's settings plus the test's clock and a mailbox folder
            # (tests/support/worker_settings.py), in production mode.
            "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_LOG_FORMAT": "json",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.ports.pgbouncer}/{self.database}",
            "DATABASE_POOLER": "pgbouncer",
            "REDIS_URL": f"redis://127.0.0.1:{self.ports.redis}/0",
            "REDIS_CACHE_URL": f"redis://127.0.0.1:{self.ports.redis}/1",
            "WNH_TEST_NOW": self.now,
            "WNH_TEST_MAILBOX": str(self.mailbox),
            "WNH_REMINDER_EVENING_AT": "00:00",  # tomorrow's bookings are due a reminder
            "PYTHONPATH": str(ROOT),
            **extra,
        }

    def start(self, name: str, command: list[str], env: dict | None = None) -> None:
        log = (self.folder / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our own arguments
            command,
            cwd=ROOT,
            env=env or os.environ,
            stdout=log,
            stderr=subprocess.STDOUT if name != "nginx" else (self.folder / "nginx.err").open("ab"),
            start_new_session=True,
        )

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def kill(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for name in list(self.processes):
            self.kill(name)

    # -- the parts -------------------------------------------------------------------------

    def start_redis(self) -> None:
        self.start(
            "redis",
            [binary("redis-server"), "--port", str(self.ports.redis), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
            # The broker's policy in docker-compose.yml.
            + ["--maxmemory-policy", "noeviction"],
        )
        wait_until(lambda: port_open(self.ports.redis), timeout=10, what="redis-server")

    def start_pgbouncer(self) -> None:
        """deploy/pgbouncer/pgbouncer.ini, pointed at the test database, with trust auth."""
        config = configparser.ConfigParser()
        config.read(ROOT / "deploy/pgbouncer/pgbouncer.ini")
        assert config["pgbouncer"]["pool_mode"] == "transaction"
        config["databases"] = {self.database: f"host=127.0.0.1 port=5432 dbname={self.database}"}
        userlist = self.folder / "userlist.txt"
        userlist.write_text('"postgres" ""\n')
        config["pgbouncer"].update(
            listen_addr="127.0.0.1",
            listen_port=str(self.ports.pgbouncer),
            auth_type="trust",
            auth_file=str(userlist),
            default_pool_size="20",
        )
        ini = self.folder / "pgbouncer.ini"
        with ini.open("w") as out:
            config.write(out)
        # PgBouncer refuses to run as root: it drops to postgres, who must read its files.
        command = [binary("pgbouncer"), str(ini)]
        if os.geteuid() == 0:
            command[1:1] = ["-u", "postgres"]
        self.start("pgbouncer", command)
        wait_until(lambda: port_open(self.ports.pgbouncer), timeout=10, what="pgbouncer")

    def start_web(self) -> None:
        for index, port in enumerate(self.ports.web):
            metrics = self.folder / f"metrics-{index}"
            env = self.portal_env(
                WNH_BIND=f"127.0.0.1:{port}",
                WEB_CONCURRENCY="2",
                PROMETHEUS_MULTIPROC_DIR=str(metrics),
            )
            self.start(f"web-{index}", compose_command("web"), env)

    def wait_for_web(self) -> None:
        for index, port in enumerate(self.ports.web):
            wait_until(
                lambda port=port: self.ready(port),
                timeout=40,
                what=f"web-{index} /readyz ({self.folder}/web-{index}.log)",
                every=0.3,
            )

    def start_nginx(self) -> None:
        """deploy/nginx/nginx.conf on our port, upstream.conf naming both web processes."""
        conf = (ROOT / "deploy/nginx/nginx.conf").read_text()
        for old, new in (
            ("listen 8080;", f"listen 127.0.0.1:{self.ports.nginx};"),
            ("pid /tmp/nginx.pid;", f"pid {self.folder}/nginx.pid;"),
        ):
            assert old in conf, f"deploy/nginx/nginx.conf no longer says {old!r}"
            conf = conf.replace(old, new)
        (self.folder / "nginx.conf").write_text(conf)
        upstream = (ROOT / "deploy/nginx/upstream.conf").read_text()
        assert "server web:8000 " in upstream
        servers = "\n".join(
            upstream.splitlines()[-1].replace("web:8000", f"127.0.0.1:{port}")
            for port in self.ports.web
        )
        (self.folder / "upstream.conf").write_text(servers + "\n")
        self.start(
            "nginx", [binary("nginx"), "-c", str(self.folder / "nginx.conf"), "-g", "daemon off;"]
        )
        wait_until(lambda: port_open(self.ports.nginx), timeout=10, what="nginx")

    def start_celery(self) -> None:
        """The mail and waitlist workers (one process each) and beat, as Compose runs them."""
        for service in ("worker-mail", "worker-waitlist"):
            command = compose_command(service)
            command[command.index("--concurrency") + 1] = "1"
            command += ["--without-gossip", "--without-mingle"]
            self.start(service, command, self.portal_env())
        self.start("beat", compose_command("beat"), self.portal_env())

    def wait_for_celery(self) -> None:
        for service in ("worker-mail", "worker-waitlist"):
            wait_until(
                lambda service=service: " ready." in self.log(service),
                timeout=40,
                what=f"{service} ({self.folder}/{service}.log)",
                every=0.3,
            )

    def start_portal(self) -> None:
        """Everything behind Redis (start_redis first), in the Compose file's order: PgBouncer,
        the web processes, the workers and beat, nginx; back once web and workers answer."""
        self.start_pgbouncer()
        self.start_web()
        self.start_celery()
        self.start_nginx()
        self.wait_for_web()
        self.wait_for_celery()

    def ready(self, port: int | None = None) -> bool:
        try:
            return get(port or self.ports.nginx, "/readyz", timeout=6)[0] == 200
        except OSError:
            return False

    def readyz(self) -> tuple[int, object]:
        status, body, _ = get(self.ports.nginx, "/readyz", timeout=6)
        return status, body
