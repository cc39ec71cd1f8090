"""The fault round's clients (tests/deploy/fault_round.py): people booking through the load
balancer as a well-behaved app would, and a watcher of /readyz.

A client sends its booking with an Idempotency-Key of its own and, when the answer is 503 with
Retry-After, sends the same request again after that many seconds, until its deadline: a
booking whose answer was lost comes back as the first 201, never as a second booking or
"already booked". Every answer is kept, so the round can say how each request was answered
and how long it took; a request still unanswered at the client's timeout counts as a hang.
"""

import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

from tests.deploy.stack import get, request

# A client that sees an answer with no Retry-After (a 502 from the load balancer, a timeout)
# waits this long before it tries again: an app's back-off.
FALLBACK_WAIT = 1.0
HUNG, UNREACHABLE = "hung", "unreachable"
BOOKINGS, WAITLIST = "/api/bookings/", "/api/v1/waitlist/"
OTHER_5XX = set(range(500, 600)) - {503}
READY, NOT_READY, NO_ANSWER = "ready", "not ready", "no answer"


@dataclass
class Answer:
    """One request's fate: an HTTP status, or HUNG (no answer within the client's timeout) or
    UNREACHABLE (the connection failed)."""

    status: int | str
    seconds: float
    at: float  # seconds since the round began
    code: str = ""  # the API's error code
    retry_after: str | None = None
    body: object = None
    path: str = ""
    # The portal sends back every request's X-Request-ID; nginx's own answers (a 503 busy
    # when it sheds the rush, its 502 and 504) carry none.
    from_portal: bool = False


@dataclass
class Client:
    index: int
    headers: dict
    answers: list[Answer] = field(default_factory=list)
    booking_id: int | None = None
    outcome: str = "gave up"  # booked, refused, or gave up at the deadline
    waitlisted: bool = False


class Round:
    """Where every client of the round sends its requests, and when the round began."""

    def __init__(self, *, port: int, centre: str, day: str, timeout: float, deadline: float):
        self.port, self.timeout, self.seconds = port, timeout, deadline
        self.body = {"centre": centre, "day": day}
        self.begin()
        self.booked = 0  # 201s so far: the restart waits for some
        self.lock = threading.Lock()

    def begin(self) -> None:
        """The round's clock starts: when every client is ready to send."""
        self.started = time.monotonic()
        self.deadline = self.started + self.seconds

    def send(self, client: Client, path: str) -> Answer:
        """One POST of the round's body to `path`, retried after each 503 or lost answer with
        the same Idempotency-Key, until a 2xx or 4xx answer or the deadline."""
        headers = {**client.headers, "Idempotency-Key": uuid.uuid4().hex}
        while True:
            answer = self.post(path, headers)
            client.answers.append(answer)
            # A 409 "request_in_progress": the first try with this key is still running.
            settled = isinstance(answer.status, int) and answer.status < 500
            if settled and answer.code != "request_in_progress":
                return answer
            wait = FALLBACK_WAIT
            if answer.status == 503 and answer.retry_after is not None:
                wait = float(answer.retry_after)
            if time.monotonic() + wait > self.deadline:
                return answer
            time.sleep(wait)

    def post(self, path: str, headers: dict) -> Answer:
        began = time.monotonic()
        at = began - self.started
        try:
            status, body, answer_headers = request(
                self.port, "POST", path, body=self.body, headers=headers, timeout=self.timeout
            )
        except TimeoutError:
            return Answer(HUNG, time.monotonic() - began, at, path=path)
        except OSError as error:
            return Answer(
                UNREACHABLE, time.monotonic() - began, at, type(error).__name__, path=path
            )
        code = body.get("code", "") if isinstance(body, dict) else ""
        seconds = time.monotonic() - began
        retry_after = answer_headers.get("Retry-After")
        from_portal = "X-Request-ID" in answer_headers
        return Answer(status, seconds, at, code, retry_after, body, path, from_portal)

    def book(self, client: Client, *, join_waitlist: bool) -> None:
        answer = self.send(client, BOOKINGS)
        if answer.status == 201:
            client.outcome, client.booking_id = "booked", answer.body["id"]
            with self.lock:
                self.booked += 1
        elif answer.status == 409:
            client.outcome = "refused"
            if join_waitlist and answer.code == "no_free_seat":
                client.waitlisted = self.send(client, WAITLIST).status == 201


def race(round_: Round, clients: list[Client], *, joiners: int, ramp: float) -> None:
    """The clients start one after another over `ramp` seconds (0: all at once), those
    numbered below `joiners` join the waitlist when the centre turns out full; returns when
    every client is done."""
    barrier = threading.Barrier(len(clients), action=round_.begin)

    def run(client: Client) -> None:
        barrier.wait(timeout=60)
        time.sleep(ramp * client.index / len(clients))
        round_.book(client, join_waitlist=client.index < joiners)

    threading.stack_size(512 * 1024)  # 2,000 threads: small stacks
    threads = [threading.Thread(target=run, args=(client,), daemon=True) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class ReadyzWatcher(threading.Thread):
    """Polls /readyz of each web process in turn, straight, as Compose's health check does
    (nginx would shed the probe with the rush), and keeps every change of its answer: READY
    (200), NOT_READY (the portal's 503 naming the checks that failed) or NO_ANSWER (none
    within 6 s: the probe waits in line behind the bookings in hand)."""

    def __init__(self, round_: Round, ports: tuple[int, ...], every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.round, self.ports, self.every = round_, ports, every
        self.changes: list[tuple[float, str]] = []  # (seconds since the round began, state)
        self.stopped = threading.Event()

    def run(self) -> None:
        polls = 0
        while not self.stopped.is_set():
            port = self.ports[polls % len(self.ports)]
            polls += 1
            try:
                status, body, _ = get(port, "/readyz", timeout=6)
            except OSError:
                status, body = None, None
            if status == 200:
                state = READY
            elif isinstance(body, dict) and body.get("failed"):
                state = NOT_READY  # the portal's own answer: which checks failed
            else:
                state = NO_ANSWER  # a timeout, or nginx shedding the probe with the rush
            if not self.changes or self.changes[-1][1] != state:
                self.changes.append((time.monotonic() - self.round.started, state))
            self.stopped.wait(self.every)

    def back_after(self, moment: float) -> float | None:
        """When /readyz was first green after its last "not ready" following `moment`."""
        last = self.last_failure()
        if last is None or last < moment:
            return None
        return next((at for at, state in self.changes if state == READY and at > last), None)

    def ready_since(self) -> float | None:
        """When /readyz last turned green (None: it is not green now)."""
        if self.changes and self.changes[-1][1] == READY:
            return self.changes[-1][0]
        return None

    def first_failure_after(self, moment: float) -> float | None:
        return next((at for at, state in self.changes if state == NOT_READY and at >= moment), None)

    def last_failure(self) -> float | None:
        return next((at for at, state in reversed(self.changes) if state == NOT_READY), None)


def percentile(ordered: list[float], fraction: float) -> float | None:
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def tally(clients: list[Client]) -> dict:
    """The round's figures from every answer its clients got."""
    answers = [answer for client in clients for answer in client.answers]
    statuses = Counter(answer.status for answer in answers)
    seconds = sorted(answer.seconds for answer in answers)
    # The portal's own answers: what a person waited for a booking, a refusal or a 503.
    portal = sorted(a.seconds for a in answers if a.from_portal)
    unavailable = [a for a in answers if a.status == 503]
    down = [a for a in unavailable if a.code == "unavailable"]  # the database out of reach
    return {
        "requests": len(answers),
        "statuses": statuses,
        "booked": sum(a.status == 201 and a.path == BOOKINGS for a in answers),
        "codes": Counter(
            f"{a.status} {a.code}{'' if a.from_portal else ' (nginx)'}" for a in answers if a.code
        ),
        "503 with Retry-After": sum(a.retry_after is not None for a in unavailable),
        "503 without Retry-After": sum(a.retry_after is None for a in unavailable),
        "5xx not 503": sum(isinstance(a.status, int) and a.status >= 500 for a in answers)
        - len(unavailable),
        "hung": statuses[HUNG],
        "unreachable": statuses[UNREACHABLE],
        "other": sum(
            1
            for a in answers
            if not (isinstance(a.status, int) and (a.status in (201, 409) or a.status >= 500))
            and a.status not in (HUNG, UNREACHABLE)
        ),
        "p50 / p99": (percentile(seconds, 0.5), percentile(seconds, 0.99)),
        "portal p50 / p99": (percentile(portal, 0.5), percentile(portal, 0.99)),
        "other 5xx by status": Counter(
            a.status for a in answers if isinstance(a.status, int) and a.status in OTHER_5XX
        ),
        "first unavailable at": min((a.at + a.seconds for a in down), default=None),
        "last unavailable at": max((a.at + a.seconds for a in down), default=None),
        "outcomes": Counter(client.outcome for client in clients),
        "waitlisted": sum(client.waitlisted for client in clients),
    }
