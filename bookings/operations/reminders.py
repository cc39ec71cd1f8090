"""Booking reminders: the evening before, and (when WNH_REMINDER_MORNING_AT is set) that morning.

A periodic sweep (`send_due`) finds bookings due a reminder and sends each one at most once.
Nothing is queued per booking: the database says what is due, so a broker that was down for
an hour, a lost message or a dead worker only delays reminders until the next sweep.

How "claimed but the worker died before the mail was sent" is handled: the claim and the
send share one database transaction. For each booking the sweep, in a transaction,

1. locks the row if nobody else holds it (`SELECT ... FOR UPDATE SKIP LOCKED`, so two sweeps
   never wait on each other, they just split the batch),
2. claims it with `UPDATE ... SET reminder_sent_at = now WHERE reminder_sent_at IS NULL`
   (DESIGN.md rule 8; the WHERE is the last word where the lock is a no-op, on SQLite),
3. hands the mail to the email backend, and
4. commits.

If the worker dies or the mail server refuses before the commit, PostgreSQL rolls the claim
back when the connection drops, so the next sweep sends the reminder: never skipped. Once
committed, the marker is set, so it is never sent again. The row lock is the lease: no
lease length to tune and no wait for it to run out. The one window left is between the mail
server accepting the message and the COMMIT (microseconds): a process killed exactly there
sends that reminder twice. Every reminder carries a stable Message-ID
(`<reminder-evening-<id>@wnh-seats>`) so such a duplicate can be recognised. We chose this
over "mark, then send" (which loses the reminder in that window) because a second copy of a
reminder is a smaller harm than none.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bookings.core.ics import calendar_of
from bookings.core.services import claim_reminder
from bookings.models import SeatBooking
from wnh.mail import build_email

logger = logging.getLogger(__name__)

# How many reminders one sweep sends; the next sweep continues where it stopped.
BATCH_SIZE = 500


@dataclass(frozen=True)
class Kind:
    name: str
    field: str  # the "sent" marker on SeatBooking

    @property
    def sends_at(self) -> time | None:
        if self.name == "evening":
            return settings.WNH_REMINDER_EVENING_AT
        return settings.WNH_REMINDER_MORNING_AT


EVENING = Kind("evening", "reminder_sent_at")
MORNING = Kind("morning", "morning_reminder_sent_at")
KINDS = (EVENING, MORNING)


def due_reminders(*, kind: Kind, now: datetime) -> QuerySet[SeatBooking]:
    """Active bookings owed a `kind` reminder at `now`, oldest day first.

    The evening reminder for day D is due from the evening of D-1 until D's check-in
    deadline; the morning one from its time on D until that deadline. After the deadline
    the booking is released as a no-show, so a reminder would only confuse.
    """
    if kind.sends_at is None:
        return SeatBooking.objects.none()
    local = timezone.localtime(now)
    today = local.date()
    before_deadline = Q(day=today, seat__pod__centre__check_in_deadline__gt=local.time())
    if kind is EVENING:
        due = before_deadline
        if local.time() >= kind.sends_at:
            due |= Q(day=today + timedelta(days=1))
    elif local.time() >= kind.sends_at:
        due = before_deadline
    else:
        return SeatBooking.objects.none()
    return (
        SeatBooking.objects.filter(due, status=SeatBooking.Status.BOOKED, **{kind.field: None})
        .order_by("day", "pk")
        .only("pk")
    )


def lag_seconds(*, now: datetime | None = None) -> float:
    """How long the oldest reminder still due has waited since it fell due (0: none waits).

    The `wnh_reminder_lag_seconds` gauge (wnh/metrics.py): a few minutes is the sweep's
    period; more means beat, the mail workers or the mail server are not keeping up.
    """
    now = now or timezone.now()
    worst = 0.0
    for kind in KINDS:
        oldest_day = due_reminders(kind=kind, now=now).values_list("day", flat=True).first()
        if oldest_day is None:
            continue
        # The evening reminder of day D falls due on D-1, the morning one on D.
        due_day = oldest_day - timedelta(days=1) if kind is EVENING else oldest_day
        due_at = datetime.combine(due_day, kind.sends_at, tzinfo=timezone.get_default_timezone())
        worst = max(worst, (now - due_at).total_seconds())
    return worst


def send_due(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Send every reminder due at `now` that nobody has sent; returns how many this run sent."""
    now = now or timezone.now()
    sent = 0
    for kind in KINDS:
        for booking_id in list(
            due_reminders(kind=kind, now=now).values_list("pk", flat=True)[:batch_size]
        ):
            if send_reminder(booking_id=booking_id, kind=kind, now=now):
                sent += 1
    return sent


def send_reminder(*, booking_id: int, kind: Kind = EVENING, now: datetime | None = None) -> bool:
    """Claim one booking's reminder and send it, in one transaction (see the module's doc).

    Returns False when it was already sent, is being sent by another worker right now, or
    the booking is no longer active.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        booking = claim_reminder(booking_id=booking_id, field=kind.field, now=now)
        if booking is None:
            return False
        # A person who signed up with a mobile number alone has no address: the claim stands
        # (there is nothing to mail), and no mail is tried.
        if booking.user.email:
            reminder_email(booking, kind=kind).send()
    logger.info("Sent the %s reminder for booking %s", kind.name, booking_id)
    return True


def reminder_email(booking: SeatBooking, *, kind: Kind = EVENING) -> EmailMultiAlternatives:
    seat = booking.seat
    centre = seat.pod.centre
    email = build_email(
        template="bookings/reminder",
        context={
            "booking": booking,
            "seat": seat,
            "pod": seat.pod,
            "centre": centre,
            "person": booking.user,
            "is_today": kind is MORNING or booking.day == timezone.localdate(),
        },
        to=booking.user.email,
        language=booking.user.language or settings.LANGUAGE_CODE,
        message_id=f"<reminder-{kind.name}-{booking.pk}@wnh-seats>",
    )
    email.attach(f"wnh-booking-{booking.pk}.ics", calendar_of([booking]), "text/calendar")
    return email
