"""Text messages (SMS) the portal sends people, through the backend SMS_URL chooses.

    console://   the message is written to the log and to stdout (the default, as the demo's mail)
    memory://    kept in `wnh.sms.outbox`, for tests (as Django's locmem mail backend)

Each message has a kind: in India every transactional SMS goes out on a template registered
under TRAI's DLT rules, so a provider's adapter looks the template id up by kind.

    send(Sms(to="+919447012345", kind="code", text="..."))

`send` talks to the provider at once and raises `Unavailable` (worth a retry: a timeout, a
5xx) or `Refused` (not worth one: a 4xx). Callers that must not wait on a provider queue the
message instead; see `send_later`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

# The kinds of message, each one DLT template.
KINDS = ("code", "unknown_account", "reminder", "waitlist_offer")

outbox: list[Sms] = []  # memory:// keeps what it was given here


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


def send_later(sms: Sms) -> None:
    """Send after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send(sms))
