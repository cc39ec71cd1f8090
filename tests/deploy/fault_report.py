"""What the fault round (tests/deploy/fault_round.py) checks after the restart, and its table.

The bookings are read from the database itself; reminders and waitlist offers are counted in
the workers' mailbox (tests/support/mailbox.py), one file per message sent, by Message-ID:
each reminder and each offer has a stable one, so a second copy shows as a count of two.
"""

import json
import time
from collections import Counter

from django.db import connections
from django.db.models import Count

from bookings.models import SeatBooking, WaitlistEntry
from tests.deploy.fault_clients import percentile, tally
from tests.deploy.stack import Stack, wait_until
from tests.support.mailbox import message_ids

REMINDER, OFFER = "<reminder-", "<waitlist-offer-"


class After:
    def __init__(self, stack: Stack, *, centre, day, seats: int) -> None:
        self.stack, self.centre, self.day, self.seats = stack, centre, day, seats
        self.failures: list[str] = []
        self.figures: dict[str, object] = {}
        connections.close_all()  # this process's connection died with the restart

    def fail(self, message: str) -> None:
        self.failures.append(message)

    def check_bookings(self, clients) -> None:
        active = SeatBooking.objects.filter(
            seat__pod__centre=self.centre, day=self.day, status__in=SeatBooking.ACTIVE
        )
        rows = list(active.values_list("pk", "seat_id", "user_id"))
        twice_seat = active.values("seat_id").annotate(n=Count("pk")).filter(n__gt=1).count()
        twice_person = (
            SeatBooking.objects.filter(day=self.day, status__in=SeatBooking.ACTIVE)
            .values("user_id")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count()
        )
        answered = {client.booking_id for client in clients if client.booking_id}
        stored = {pk for pk, _, _ in rows}
        self.figures.update(
            {
                "bookings in the database": len(rows),
                "seats booked twice": twice_seat,
                "people booked twice": twice_person,
                "bookings without a 201": len(stored - answered),
                "201s without a booking": len(answered - stored),
            }
        )
        if len(rows) != self.seats:
            self.fail(f"{len(rows)} bookings in the database for {self.seats} seats")
        if twice_seat or twice_person:
            self.fail(f"booked twice: {twice_seat} seats, {twice_person} people")
        if stored != answered:
            self.fail("the database's bookings are not the ones answered 201")

    def run_task(self, name: str) -> None:
        from wnh.celery import app

        app.send_task(name)

    def sent(self, prefix: str) -> Counter:
        return Counter(
            {key: n for key, n in message_ids(self.stack.mailbox).items() if key.startswith(prefix)}
        )

    def reminders(self, *, expected: int) -> None:
        """The reminder sweep, twice, on the mail worker: every booking reminded exactly once."""
        for _ in range(2):
            self.run_task("bookings.send_due_reminders")
        self.settle(REMINDER, expected, "reminders")

    def offers(self, *, expected: int) -> None:
        """Seats freed: the waitlist worker offers them (the cancellations' hook), then the
        sweep runs twice more; every offer once, the database agreeing."""
        wait_until(lambda: len(self.sent(OFFER)) >= expected, timeout=60, what="the offers")
        for _ in range(2):
            self.run_task("bookings.sweep_waitlists")
        self.settle(OFFER, expected, "offers")
        offered = WaitlistEntry.objects.filter(
            centre=self.centre, day=self.day, status=WaitlistEntry.Status.OFFERED
        ).count()
        self.figures["waitlist entries offered a seat"] = offered
        if offered != expected:
            self.fail(f"{offered} waitlist entries offered a seat, {expected} expected")

    def settle(self, prefix: str, expected: int, what: str) -> None:
        try:
            wait_until(lambda: len(self.sent(prefix)) >= expected, timeout=60, what=what)
        except AssertionError as error:
            self.fail(str(error))
        time.sleep(5)  # the workers finish what they were given: nothing may come twice
        sent = self.sent(prefix)
        copies = max(sent.values(), default=0)
        self.figures[f"{what} sent (expected {expected})"] = f"{len(sent)}, at most {copies} each"
        if len(sent) != expected or copies > 1:
            self.fail(f"{what}: {len(sent)} sent of {expected}, at most {copies} copies")

    def nginx_seconds(self) -> list[float]:
        """How long nginx took over each booking and waitlist request (its access log's
        request_time): the server's side of the latency, without the clients' own waits
        for a core (2,000 threads in one process on a machine of two)."""
        times = []
        for line in self.stack.log("nginx").splitlines():
            if line.startswith("{") and '"POST /api/' in line:
                times.append(json.loads(line)["duration"])
        return sorted(times)

    def keep_answers(self, clients) -> None:
        """Every answer, one JSON line each, beside the stack's logs."""
        with (self.stack.folder / "answers.jsonl").open("w") as out:
            for client in clients:
                for a in client.answers:
                    row = {"client": client.index, "path": a.path, "status": a.status}
                    row |= {"code": a.code, "at": round(a.at, 3), "seconds": round(a.seconds, 3)}
                    out.write(json.dumps(row | {"portal": a.from_portal}) + "\n")

    def logged_errors(self) -> list[dict]:
        """The web processes' ERROR records (JSON lines), tracebacks included."""
        errors = []
        for index in range(len(self.stack.ports.web)):
            for line in self.stack.log(f"web-{index}").splitlines():
                if line.startswith("{") and '"level": "ERROR"' in line:
                    errors.append(json.loads(line))
        return errors


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} s"


def show(args, clients, round_, watcher, restarter, after: After) -> list[str]:
    """Print the round's table; returns every failure (none: the round passed)."""
    figures = tally(clients)
    failures = list(after.failures)
    statuses, outcomes = figures["statuses"], figures["outcomes"]
    down = watcher.first_failure_after(restarter.began or 0.0)
    up = watcher.ready_since()
    back = watcher.back_after(restarter.began or 0.0)
    errors = after.logged_errors()
    after.keep_answers(clients)
    at_nginx = after.nginx_seconds()
    first_503, last_503 = figures["first unavailable at"], figures["last unavailable at"]
    took = max((a.at + a.seconds for c in clients for a in c.answers), default=0.0)
    rows = [
        ("clients (started over)", f"{args.clients} ({args.ramp:g} s)"),
        ("seats", args.seats),
        ("requests (retries included)", figures["requests"]),
        ("201 booked", figures["booked"]),
        ("409 refused", statuses[409]),
        ("503 with Retry-After", figures["503 with Retry-After"]),
        ("503 without Retry-After", figures["503 without Retry-After"]),
        ("other 5xx", f"{figures['5xx not 503']} {dict(figures['other 5xx by status'])}"),
        ("hung past the client timeout", figures["hung"]),
        ("connection failed", figures["unreachable"]),
        ("other answers", figures["other"]),
        ("answers by code", dict(figures["codes"])),
        (
            "clients booked / refused / gave up",
            f"{outcomes['booked']} / {outcomes['refused']} / {outcomes['gave up']}",
        ),
        ("waitlist joins (201)", figures["waitlisted"]),
        ("latency p50 / p99, every answer", "{} / {}".format(*map(seconds, figures["p50 / p99"]))),
        (
            "latency p50 / p99, the portal's answers",
            "{} / {}".format(*map(seconds, figures["portal p50 / p99"])),
        ),
        (
            "latency p50 / p99 / max at nginx",
            " / ".join(seconds(percentile(at_nginx, f)) for f in (0.5, 0.99, 1.0)),
        ),
        ("restart began at / took", f"{seconds(restarter.began)} / {seconds(restarter.seconds)}"),
        ("503 unavailable answered from / to", f"{seconds(first_503)} / {seconds(last_503)}"),
        ("/readyz not ready from / green again at", f"{seconds(down)} / {seconds(back)}"),
        ("/readyz changes", " ".join(f"{at:.1f}:{state}" for at, state in watcher.changes)),
        ("round took", seconds(took)),
        *after.figures.items(),
        ("ERROR records in the web logs", len(errors)),
    ]
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    kinds = Counter(
        (error["message"], (error.get("exception") or "-").strip().splitlines()[-1])
        for error in errors
    )
    for (message, last_line), count in kinds.most_common(5):
        print(f"  {count} x {message} ({last_line.strip()})")
    if restarter.refused or restarter.seconds is None:
        failures.append(restarter.refused or "PostgreSQL was not restarted")
    if figures["booked"] != args.seats or outcomes["booked"] != args.seats:
        failures.append(f"{figures['booked']} bookings answered 201 for {args.seats} seats")
    for name in ("503 without Retry-After", "5xx not 503", "hung", "unreachable", "other"):
        if figures[name]:
            failures.append(f"{figures[name]} {name}")
    if outcomes["gave up"]:
        failures.append(f"{outcomes['gave up']} clients gave up at the deadline")
    if down is None:
        failures.append("/readyz never failed during the outage")
    if up is None or back is None:
        failures.append("/readyz did not recover by itself")
    if restarter.began is not None and (watcher.last_failure() or 0) < restarter.began:
        failures.append("/readyz did not fail after the restart")
    return failures
