"""Webhooks: a company's own systems told about its events by a signed POST.

`emit` is called by the one service that makes each change, inside its transaction: it
writes one WebhookDelivery per active endpoint of the company subscribed to the event, so
the deliveries commit or roll back with the change, and on commit each is handed to a
worker (companies/tasks.py registers that hook). The periodic sweep (`send_due`) sends any
whose message was lost, and the retries, which are due later.

Each POST carries `Webhook-Id` (the event's id: the same on every retry and on a replay),
`Webhook-Timestamp` (unix seconds) and `Webhook-Signature`: "v1=" and the hex HMAC-SHA256
of "{timestamp}.{body}" with the endpoint's secret.

An address is checked when the endpoint is made and again before each attempt, and the
attempt connects to the very address checked: a host name that resolved to a public
address when subscribed and to a private one later (DNS rebinding) gets nothing. No
redirect is followed: a 3xx is a failure.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import socket
import ssl
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import emails
from .errors import WebhookURLRefused
from .models import WebhookDelivery, WebhookEndpoint
from .webhook_addresses import allowed_addresses, check_url, default_port

BOOKING_CREATED = "booking.created"
BOOKING_CANCELLED = "booking.cancelled"
RESERVATION_CONFIRMED = "pod_reservation.confirmed"
RESERVATION_REJECTED = "pod_reservation.rejected"
RESERVATION_CANCELLED = "pod_reservation.cancelled"
MEMBER_JOINED = "member.joined"
MEMBER_LEFT = "member.left"
# Sent only by the admin's "Send test event" button, whatever the endpoint subscribed to.
TEST_EVENT = "webhook.test"

EVENT_TYPES = {
    BOOKING_CREATED: _("A seat booked in the company's pods"),
    BOOKING_CANCELLED: _("A booking in the company's pods cancelled"),
    RESERVATION_CONFIRMED: _("A pod reservation confirmed"),
    RESERVATION_REJECTED: _("A pod reservation rejected"),
    RESERVATION_CANCELLED: _("A pod reservation cancelled, or some of its days given up"),
    MEMBER_JOINED: _("A member joined the company"),
    MEMBER_LEFT: _("A member left the company"),
}

USER_AGENT = "WNH-Seats-Webhooks/1"
# An attempt holds its delivery this long (a claim), far longer than one attempt can take,
# so the sweep never sends a delivery that a worker is sending.
CLAIM_SECONDS = 300
ERROR_LENGTH = 200

# Called on commit with (delivery id, seconds to wait): companies/tasks.py queues the task.
delivery_queued_hooks: list[Callable[[int, float], None]] = []


def _queue_on_commit(delivery_id: int, countdown: float = 0.0) -> None:
    for hook in delivery_queued_hooks:
        transaction.on_commit(lambda hook=hook: hook(delivery_id, countdown))


# -- events --------------------------------------------------------------------------------


def emit(
    *, company_id: int, event_type: str, data: dict | Callable[[], dict]
) -> list[WebhookDelivery]:
    """Record `event_type` for the company's subscribed endpoints, inside the caller's
    transaction, and send it after commit. `data` may be a function: it is called only when
    some endpoint listens, so a change nobody subscribed to costs one query."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(company_id=company_id, is_active=True)
        if event_type in endpoint.event_types
    ]
    if not endpoints:
        return []
    payload = _envelope(
        event_id=uuid.uuid4(),
        event_type=event_type,
        company_id=company_id,
        data=data() if callable(data) else data,
    )
    return [_record(endpoint=endpoint, payload=payload) for endpoint in endpoints]


def _envelope(*, event_id: uuid.UUID, event_type: str, company_id: int, data: dict) -> dict:
    # Through the JSON encoder once, so dates and decimals are stored as they will be sent.
    return json.loads(
        json.dumps(
            {
                "id": str(event_id),
                "type": event_type,
                "created_at": timezone.now().isoformat(),
                "company_id": company_id,
                "data": data,
            },
            cls=DjangoJSONEncoder,
        )
    )


def _record(*, endpoint: WebhookEndpoint, payload: dict) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=payload["id"],
        event_type=payload["type"],
        payload=payload,
        next_attempt_at=timezone.now(),
    )
    _queue_on_commit(delivery.pk)
    return delivery


def send_test_event(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """The admin's button: one delivery of a test event to this endpoint alone."""
    payload = _envelope(
        event_id=uuid.uuid4(),
        event_type=TEST_EVENT,
        company_id=endpoint.company_id,
        data={"message": "A test event from WNH Seats."},
    )
    return _record(endpoint=endpoint, payload=payload)


def replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery's event again, as a new delivery with the same event id (and body):
    the receiver recognises it by its Webhook-Id."""
    return _record(endpoint=delivery.endpoint, payload=delivery.payload)


# -- sending -------------------------------------------------------------------------------


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


@dataclass
class Outcome:
    """What one attempt got: an HTTP status, or an error before there was one."""

    code: int | None = None
    error: str = ""
    may_retry: bool = True

    @property
    def delivered(self) -> bool:
        return self.code is not None and 200 <= self.code < 300

    @property
    def retryable(self) -> bool:
        if self.code is None:
            return self.may_retry  # a timeout or a connection error, not a refused address
        return self.code >= 500 or self.code in (408, 429)


def post(*, url: str, secret: str, event_id: str, body: bytes) -> Outcome:
    """POST `body` to `url`, signed, connecting only to an address checked just now."""
    try:
        parts = check_url(url)
        port = default_port(parts)
        address = allowed_addresses(parts.hostname, port)[0]
    except WebhookURLRefused as error:
        return Outcome(error=str(error.message), may_retry=False)
    timeout = settings.WEBHOOKS_TIMEOUT_SECONDS
    if parts.scheme.lower() == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)

    # The Host header and TLS (SNI, the certificate) keep the name; the socket goes to the
    # address checked above, not to whatever the name resolves to a moment later.
    def connect_checked(where, timeout=None, source_address=None):
        return socket.create_connection((address, where[1]), timeout, source_address)

    connection._create_connection = connect_checked
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Webhook-Id": event_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signature(secret=secret, timestamp=timestamp, body=body),
    }
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(4096)  # a little of the answer, never a download
    except TimeoutError:
        return Outcome(error="Timed out")
    except (OSError, http.client.HTTPException) as error:
        return Outcome(error=f"Connection failed: {type(error).__name__}")
    finally:
        connection.close()
    if 300 <= response.status < 400:
        return Outcome(code=response.status, error="Redirects are not followed")
    return Outcome(code=response.status)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 30 s, 2 min, 8 min, 32 min, ~2 h."""
    return timedelta(seconds=settings.WEBHOOKS_RETRY_SECONDS * 4 ** (attempts - 1))


def attempt(*, delivery_id: int, now: datetime | None = None) -> WebhookDelivery | None:
    """One attempt at a due delivery. None when it is not due: sent, failed for good, or
    being sent by another worker (the claim), so running twice sends once."""
    now = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:
        return None  # its endpoint was deleted a moment ago
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        outcome = Outcome(error="The endpoint is turned off", may_retry=False)
        return _settle(delivery=delivery, outcome=outcome, counts=False)
    outcome = post(
        url=endpoint.url,
        secret=endpoint.secret,
        event_id=str(delivery.event_id),
        body=body_of(delivery),
    )
    return _settle(delivery=delivery, outcome=outcome)


@transaction.atomic
def _settle(*, delivery: WebhookDelivery, outcome: Outcome, counts: bool = True):
    now = timezone.now()
    delivery.response_code = outcome.code
    delivery.last_error = outcome.error[:ERROR_LENGTH]
    if outcome.delivered:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(consecutive_failures=0)
    elif outcome.retryable and delivery.attempts < settings.WEBHOOKS_MAX_ATTEMPTS:
        wait = retry_delay(delivery.attempts)
        delivery.next_attempt_at = now + wait
        _queue_on_commit(delivery.pk, countdown=wait.total_seconds())
    else:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
        if counts:
            _count_failure(endpoint=delivery.endpoint, now=now)
    delivery.save(
        update_fields=["status", "response_code", "last_error", "next_attempt_at", "delivered_at"]
    )
    return delivery


def _count_failure(*, endpoint: WebhookEndpoint, now: datetime) -> None:
    """A delivery failed for good. After WEBHOOKS_DISABLE_AFTER_FAILURES in a row the
    endpoint is turned off, and its company's admins are told once: only the update that
    turns it off sends the mail."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    turned_off = WebhookEndpoint.objects.filter(
        pk=endpoint.pk,
        disabled_at__isnull=True,
        consecutive_failures__gte=settings.WEBHOOKS_DISABLE_AFTER_FAILURES,
    ).update(is_active=False, disabled_at=now)
    if turned_off:
        company = endpoint.company
        emails.send_on_commit(
            template="webhook_disabled",
            to=emails.admin_addresses(company),
            context={
                "company": company,
                "endpoint": endpoint,
                "failures": settings.WEBHOOKS_DISABLE_AFTER_FAILURES,
            },
        )


def due_deliveries(*, now: datetime, limit: int = 500) -> list[int]:
    """Pending deliveries whose time has come: the sweep hands each to a worker."""
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def prune(*, now: datetime | None = None) -> int:
    """Forget deliveries settled more than WEBHOOKS_LOG_DAYS ago (the log shows the last 50
    of an endpoint anyway). A pending one stays until it is settled."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.WEBHOOKS_LOG_DAYS)
    deleted, _ = (
        WebhookDelivery.objects.filter(created_at__lt=cutoff)
        .exclude(status=WebhookDelivery.Status.PENDING)
        .delete()
    )
    return deleted
