"""The PostgreSQL-restart round (#25): the evening rush through a database restart.

`make fault-round` (DATABASE_URL: the local PostgreSQL server). On a fresh database of its
own, a centre of SEATS seats bookable tomorrow and CLIENTS people signed in beforehand, it
starts the stack of docker-compose.yml as processes (tests/deploy/stack.py: nginx, two
gunicorn processes, PgBouncer, a private redis-server, the mail and waitlist workers and
beat), lets every client book at once through nginx (tests/deploy/fault_clients.py) and,
once RESTART_AFTER seats are booked, restarts the machine's PostgreSQL cluster
(`pg_ctlcluster ... restart -m fast`) once. Then it shows, and fails unless:

- exactly SEATS bookings exist for the centre and day, each answered 201, no seat and no
  person twice;
- every answer was 201, 409 or 503 with Retry-After: no other 5xx, nothing else, no request
  unanswered at the client's timeout;
- /readyz failed during the outage and is green again by itself;
- afterwards the reminder sweep sends each booking's reminder exactly once, and seats freed
  by cancellations are offered to the people waiting, each offer exactly once.

A restart drops every session on that server, other projects' too: never run it while a
benchmark measures there (--hold-file: a file whose presence stops the restart).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.http.databases import on_server, sql
from tests.deploy.stack import Ports, Stack, request

KNOBS = {  # name: (default, help)
    "clients": (2000, "racing clients, each a person signed in beforehand"),
    "seats": (40, "seats at the centre (pods of at most 10)"),
    "restart_after": (None, "201s before PostgreSQL restarts (default: a quarter of the seats)"),
    "ramp": (20.0, "seconds over which the clients start, one after another (0: at once)"),
    "joiners": (100, "the first clients refused join the waitlist"),
    "cancels": (5, "bookings cancelled after the round, so the waitlist is offered seats"),
    "timeout": (30.0, "client timeout in seconds: an answer later than this is a hang"),
    "deadline": (180.0, "seconds after which a client stops retrying"),
    "port_base": (8380, "nginx listens here; web, PgBouncer and Redis on the next four ports"),
}


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name, (default, text) in KNOBS.items():
        kind = type(default) if default is not None else int
        parser.add_argument(f"--{name.replace('_', '-')}", type=kind, default=default, help=text)
    parser.add_argument("--database", default="wnh_fault", help="made afresh on DATABASE_URL")
    parser.add_argument("--cluster", default="", help="version/name (default: the only one)")
    parser.add_argument("--hold-file", default="", help="no restart while this file exists")
    parsed = parser.parse_args()
    parsed.restart_after = parsed.restart_after or max(1, parsed.seats // 4)
    return parsed


def configure(args: argparse.Namespace, ports: Ports) -> str:
    """This process's settings (the round's own database, the stack's Redis as broker);
    returns the database's URL."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        sys.exit("make fault-round needs DATABASE_URL=postgres://...: the server it restarts")
    url = urlunsplit(urlsplit(server)._replace(path=f"/{args.database}"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="wnh.settings",
        DJANGO_DEBUG="true",
        DATABASE_URL=url,
        REDIS_URL=f"redis://127.0.0.1:{ports.redis}/0",
        REDIS_CACHE_URL=f"redis://127.0.0.1:{ports.redis}/1",
    )
    os.environ.pop("DATABASE_REPLICA_URL", None)
    os.environ.pop("DATABASE_POOLER", None)
    return url


def fresh_database(url: str, name: str) -> None:
    sql(on_server(url), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sql(on_server(url), f'CREATE DATABASE "{name}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("setup_schedules", verbosity=0)


def seed(args: argparse.Namespace):
    """The centre, tomorrow, and the clients' people, signed in."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.deploy.people import people, sign_in
    from tests.support.factories import CentreFactory, PodFactory
    from wnh import weekdays

    centre = CentreFactory(name="Kottarakkara", open_weekdays=weekdays.ALL_DAYS)
    pods = -(-args.seats // 10)
    for number in range(pods):
        capacity = args.seats // pods + (number < args.seats % pods)
        PodFactory(centre=centre, code=f"P{number + 1}", capacity=capacity)
    day = timezone.localdate() + timedelta(days=1)
    headers = sign_in(people("racer", args.clients))
    return centre, day, list(headers.values())


def cluster_of(args: argparse.Namespace) -> tuple[str, str]:
    if args.cluster:
        version, name = args.cluster.split("/")
        return version, name
    versions = sorted(os.listdir("/etc/postgresql"))
    if len(versions) != 1:
        sys.exit(f"--cluster version/name: more than one PostgreSQL here ({versions})")
    return versions[0], "main"


class Restarter(threading.Thread):
    """Restarts PostgreSQL once, when the round has booked `after` seats."""

    def __init__(self, round_, *, after: int, cluster: tuple[str, str], hold_file: str):
        super().__init__(daemon=True)
        self.round, self.after, self.cluster, self.hold_file = round_, after, cluster, hold_file
        self.done = threading.Event()  # set by the round when every client is done
        self.began: float | None = None
        self.seconds: float | None = None
        self.refused = ""

    def run(self) -> None:
        while self.round.booked < self.after and not self.done.is_set():
            time.sleep(0.005)
        if self.done.is_set():
            self.refused = "the round ended before the restart"
            return
        if self.hold_file and os.path.exists(self.hold_file):
            self.refused = f"{self.hold_file} exists: a benchmark is measuring; no restart"
            return
        self.began = time.monotonic() - self.round.started
        version, name = self.cluster
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"]
        started = time.monotonic()
        done = subprocess.run(  # noqa: S603 - our own arguments
            [*command, "-m", "fast"], capture_output=True, text=True, timeout=120
        )
        self.seconds = time.monotonic() - started
        if done.returncode:
            self.refused = f"pg_ctlcluster failed: {done.stderr.strip()}"


def wait_while_held(hold_file: str) -> None:
    while hold_file and os.path.exists(hold_file):
        print(f"{hold_file} exists (a benchmark is measuring): waiting", flush=True)
        time.sleep(60)


def start(stack: Stack) -> None:
    stack.start_portal()
    status, body = stack.readyz()
    if status != 200:
        raise RuntimeError(f"/readyz before the round: {status} {body}")


def play(args, stack: Stack, centre, day, headers: list[dict]):
    from tests.deploy.fault_clients import Client, ReadyzWatcher, Round, race

    clients = [Client(index, headers) for index, headers in enumerate(headers)]
    round_ = Round(
        port=stack.ports.nginx,
        centre=centre.slug,
        day=day.isoformat(),
        timeout=args.timeout,
        deadline=args.deadline,
    )
    watcher = ReadyzWatcher(round_, stack.ports.web)
    restarter = Restarter(
        round_, after=args.restart_after, cluster=cluster_of(args), hold_file=args.hold_file
    )
    watcher.start()
    restarter.start()
    race(round_, clients, joiners=args.joiners, ramp=args.ramp)
    restarter.done.set()
    restarter.join()
    # /readyz green for two seconds in a row, by itself, within a minute of the round's end.
    end = time.monotonic() + 60
    while time.monotonic() < end:
        since = watcher.ready_since()
        if since is not None and time.monotonic() - round_.started - since >= 2:
            break
        time.sleep(0.25)
    watcher.stopped.set()
    watcher.join()
    return clients, round_, watcher, restarter


def cancel_some(stack: Stack, clients, count: int) -> list[int]:
    """Cancel `count` bookings as their people would, through the API: seats freed."""
    cancelled = []
    for client in [c for c in clients if c.booking_id][:count]:
        path = f"/api/bookings/{client.booking_id}/cancel/"
        status, body, _ = request(stack.ports.nginx, "POST", path, headers=client.headers)
        if status != 200:
            raise RuntimeError(f"cancelling booking {client.booking_id}: {status} {body}")
        cancelled.append(client.booking_id)
    return cancelled


def main() -> int:
    args = arguments()
    ports = Ports.from_base(args.port_base)
    url = configure(args, ports)
    wait_while_held(args.hold_file)
    folder = Path(tempfile.mkdtemp(prefix="wnh-fault-round-"))
    folder.chmod(0o755)  # PgBouncer runs as postgres and reads its files here
    now = datetime.now(UTC).isoformat()
    stack = Stack(folder, database=args.database, now=now, ports=ports)
    passed = False
    try:
        # Redis first: this process's settings name it as cache and broker, and the
        # portal's metrics read the broker as soon as Django is set up.
        stack.start_redis()
        import django

        django.setup()
        from tests.deploy import fault_report

        print(f"fresh database {args.database}: migrating", flush=True)
        fresh_database(url, args.database)
        centre, day, headers = seed(args)
        print(f"{args.clients} people signed in; starting the stack in {folder}", flush=True)
        start(stack)
        wait_while_held(args.hold_file)
        print(f"round: {args.clients} clients, {args.seats} seats on {day}", flush=True)
        clients, round_, watcher, restarter = play(args, stack, centre, day, headers)
        after = fault_report.After(stack, centre=centre, day=day, seats=args.seats)
        after.check_bookings(clients)
        after.reminders(expected=args.seats)
        cancelled = cancel_some(stack, clients, args.cancels)
        after.offers(expected=min(len(cancelled), sum(c.waitlisted for c in clients)))
        after.reminders(expected=args.seats)  # once more: nothing new
        failures = fault_report.show(args, clients, round_, watcher, restarter, after)
        passed = not failures
    finally:
        stack.stop()
        print(f"the stack's logs are in {folder}", flush=True)
    print("PASSED" if passed else "FAILED: " + "; ".join(failures), flush=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
