"""Text messages (SMS) the portal sends people, through the backend SMS_URL chooses.

    console://   the message is written to the log and to stdout (the default, as the demo's mail)
    memory://    kept in `wnh.sms.outbox`, for tests (as Django's locmem mail backend)
    exotel://    Exotel's DLT gateway over HTTPS (wnh/sms/exotel.py), configured by SMS_* variables

Each message has a kind: in India every transactional SMS goes out on a template registered
under TRAI's DLT rules, so a provider's adapter looks the template id up by kind.

    send(Sms(to="+919447012345", kind="code", text="..."))

`send` talks to the provider at once and raises `Unavailable` (worth a retry: a timeout, a
5xx) or `Refused` (not worth one: a 4xx). Callers that must not wait on a provider queue the
message instead: `send_later` hands it, once the transaction commits, to the Celery task
`wnh.send_sms` (wnh/sms/tasks.py), retried with backoff on `Unavailable`, never on `Refused`.
The reminders and waitlist offers call `send` inside the transaction of their claim instead,
so that the claim says whether the message went (bookings/operations/reminders.py).

A message in Malayalam goes as Unicode: 70 characters a segment (160 in plain text), so
senders keep theirs within `MAX_SEGMENTS` (see `segments`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import pgettext

# The kinds of message, each one DLT template.
KINDS = ("code", "unknown_account", "reminder", "waitlist_offer")

outbox: list[Sms] = []  # memory:// keeps what it was given here

logger = logging.getLogger("wnh.sms")

# What a person's SMS may cost: two segments (140 characters of Malayalam).
MAX_SEGMENTS = 2


@dataclass(frozen=True)
class Sms:
    to: str  # E.164, such as "+919447012345"
    kind: str  # one of KINDS
    text: str  # the whole message, in the person's language

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"Unknown kind of SMS: {self.kind!r}")


class SmsError(Exception):
    """The message did not reach the provider, or the provider would not take it."""


class Unavailable(SmsError):
    """A timeout, a connection refused, a 5xx: the same message may well go through later."""


class Refused(SmsError):
    """The provider refused the message (a 4xx): sending it again would be refused again."""


def backend():
    return import_string(settings.SMS_BACKEND)(**settings.SMS_OPTIONS)


def send(sms: Sms) -> None:
    backend().send(sms)


def segments(text: str) -> int:
    """How many SMS segments `text` takes: 160 characters in one, 153 each when split, in
    plain text; 70, then 67 each, in Unicode (Malayalam)."""
    single, split = (160, 153) if text.isascii() else (70, 67)
    return 1 if len(text) <= single else -(-len(text) // split)


def fitted(build: Callable[[str], str], value: str) -> str:
    """`build(value)`, with `value` (a centre's name, say) cut short as far as it takes to
    keep the message within MAX_SEGMENTS."""
    text = build(value)
    while segments(text) > MAX_SEGMENTS and len(value) > 4:
        value = value[: len(value) - 4].rstrip() + "..."
        text = build(value)
    return text


def day_words(day: date, today: date) -> str:
    """A day as short as an SMS needs it, in the active language: today, tomorrow, or 9/12."""
    if day == today:
        return pgettext("sms", "today")
    if day == today + timedelta(days=1):
        return pgettext("sms", "tomorrow")
    return f"{day.day}/{day.month}"


def send_later(sms: Sms) -> None:
    """Queue the message once the current transaction commits (at once outside one); a
    worker sends it (the task `wnh.send_sms`), with retries."""
    transaction.on_commit(lambda: queue(sms))


def queue(sms: Sms) -> bool:
    """Hand `sms` to a worker now. With the broker down it is sent from here instead (a
    sign-in code that waits for the broker is no use), and a failure is logged, not raised:
    the caller's transaction has committed."""
    from wnh.sms.tasks import send_sms

    try:
        send_sms.apply_async(kwargs={"to": sms.to, "kind": sms.kind, "text": sms.text})
    except Exception:
        logger.exception("Could not enqueue wnh.send_sms (%s); sending it at once", sms.kind)
    else:
        return True
    try:
        send(sms)
    except SmsError as error:
        logger.error("Could not send an SMS (%s): %s", sms.kind, error)
    return False
