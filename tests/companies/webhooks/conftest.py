"""A receiver the tests start on 127.0.0.1 (http.server in a thread) that answers from a
script and keeps every request; the portal allowed to post to it (http, a loopback address),
retries without waiting, and the deliveries sent in this process on commit."""

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from companies import services


@dataclass
class Received:
    headers: dict
    body: bytes

    @property
    def event(self) -> dict:
        return json.loads(self.body)

    def signed_with(self, secret: str) -> bool:
        """What a receiver does: recompute the signature from the timestamp and the exact
        body, and compare in constant time."""
        timestamp = self.headers["Webhook-Timestamp"]
        expected = hmac.new(
            secret.encode(), f"{timestamp}.".encode() + self.body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(self.headers["Webhook-Signature"], f"v1={expected}")


@dataclass
class Receiver:
    url: str
    answers: list[int] = field(default_factory=list)  # status codes in turn; then 200
    received: list[Received] = field(default_factory=list)

    def answer(self, *codes: int) -> None:
        self.answers[:] = codes


@pytest.fixture
def receiver():
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            state.received.append(Received(headers=dict(self.headers), body=body))
            code = state.answers.pop(0) if state.answers else 200
            self.send_response(code)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/hooks/wnh"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _webhooks_to_the_test_receiver(settings):
    """The tests' receiver is plain http on a loopback address: allowed here, never by
    default. Retries come at once, not after 30 s."""
    settings.WEBHOOKS_ALLOW_INSECURE = True
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOKS_RETRY_SECONDS = 0
    settings.WEBHOOKS_TIMEOUT_SECONDS = 3


@pytest.fixture
def production_addresses(settings):
    """Production's rules: https only, public addresses only."""
    settings.DEBUG = False
    settings.WEBHOOKS_ALLOW_INSECURE = False
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False


@pytest.fixture
def queued(monkeypatch):
    """Deliveries queued on commit run at once in this process, as a worker runs them (the
    wait of a retry skipped); each (task, kwargs) is kept."""
    ran = []

    def run(task, *, countdown=0.0, **kwargs):
        ran.append((task.name, kwargs))
        task.run(**kwargs)
        return True

    monkeypatch.setattr("companies.tasks.enqueue", run)
    return ran


@pytest.fixture
def sent(django_capture_on_commit_callbacks, queued):
    """Run `sent(lambda: ...)`: the change, then what its commit sends (retries too)."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            result = change()
        return result

    return run


@pytest.fixture
def endpoint(company_a, admin_a, receiver):
    from companies import webhooks

    return services.add_webhook_endpoint(
        company=company_a, url=receiver.url, event_types=list(webhooks.EVENT_TYPES), by=admin_a
    )
