"""The waitlist: people waiting for a seat at a full centre on a day, first come first served.

When a seat frees (a cancellation, a no-show release, pod days given up) the services
announce it (bookings/core/hooks.py) and, on commit, the task module's hook enqueues
`serve_waitlist`. Serving offers each free seat
that no open offer holds to the next person waiting; the offer and its email commit
together, so a mail failure leaves the person waiting for the next try rather than holding
an offer they never heard of. An offer not taken within WNH_WAITLIST_OFFER_MINUTES expires
and the seat passes on. A periodic sweep (`serve_all`) expires offers and serves every line
for today and later, so a lost hook message only delays an offer.

Accepting books the offered seat (or, if it went meanwhile, any free seat there) in one
transaction; two people accepting offers for one seat are decided by the seat constraint.
"""

import contextlib
import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bookings.core import demand, services
from bookings.core.days import ensure_bookable
from bookings.core.errors import (
    AlreadyOnWaitlist,
    BookingError,
    CentreNotFull,
    NoFreeSeat,
    NotYourBooking,
    OfferNotOpen,
    SeatTaken,
)
from bookings.core.hooks import announce_seat_freed
from bookings.core.locks import lock_centre
from bookings.core.pods import free_seats
from bookings.models import SeatBooking, WaitlistEntry
from centres.models import Centre
from wnh.db import Busy, locking_transaction
from wnh.mail import build_email

logger = logging.getLogger(__name__)

OPEN = (WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED)


def held_seat_ids(*, centre: Centre, day: date, now: datetime) -> set[int]:
    """Seats held by offers still open: not offered to anyone else until they expire."""
    return set(
        WaitlistEntry.objects.filter(
            centre=centre,
            day=day,
            status=WaitlistEntry.Status.OFFERED,
            offer_expires_at__gt=now,
        ).values_list("offered_seat_id", flat=True)
    )


def waitlist_of(user: User, *, today: date):
    """A person's places in line from `today` on, soonest first (the page and the API)."""
    return (
        WaitlistEntry.objects.filter(user=user, day__gte=today)
        .select_related("centre", "offered_seat__pod")
        .order_by("day", "created_at", "pk")
    )


@locking_transaction
def join_waitlist(
    *, user: User, centre: Centre, day: date, now: datetime | None = None
) -> WaitlistEntry:
    """Put `user` in line for `centre` on `day`; only when the centre is full for them."""
    now = now or timezone.now()
    ensure_bookable(centre=centre, day=day, now=now)
    services.ensure_not_booked_that_day(user=user, day=day)
    held = held_seat_ids(centre=centre, day=day, now=now)
    if free_seats(centre=centre, day=day, user=user).exclude(pk__in=held).exists():
        raise CentreNotFull()
    try:
        with transaction.atomic():
            return WaitlistEntry.objects.create(user=user, centre=centre, day=day)
    except IntegrityError as error:
        raise AlreadyOnWaitlist() from error


@locking_transaction
def leave_waitlist(*, entry: WaitlistEntry, user: User) -> WaitlistEntry:
    """Withdraw from a line; an offer given up passes to the next person."""
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.user_id != user.pk:
        raise NotYourBooking()
    if entry.status in OPEN:
        was_offered = entry.status == WaitlistEntry.Status.OFFERED
        entry.status = WaitlistEntry.Status.WITHDRAWN
        entry.save(update_fields=["status"])
        if was_offered:
            announce_seat_freed(centre_id=entry.centre_id, day=entry.day)
    return entry


def offer_minutes() -> int:
    return settings.WNH_WAITLIST_OFFER_MINUTES


@locking_transaction
def serve_waitlist(*, centre_id: int, day: date, now: datetime | None = None) -> int:
    """Expire old offers for the line and offer each unheld free seat to the next person.

    Runs twice without harm: the second run finds no unheld free seat. Returns the number of
    offers made.
    """
    now = now or timezone.now()
    centre = lock_centre(centre_id)
    if centre is None:
        return 0  # a stale message about a centre that is gone
    _expire(
        WaitlistEntry.objects.filter(
            centre=centre, day=day, status=WaitlistEntry.Status.OFFERED, offer_expires_at__lte=now
        )
    )
    try:
        ensure_bookable(centre=centre, day=day, now=now)
    except BookingError:
        return 0  # the day has passed or the centre stopped taking bookings
    waiting = list(
        WaitlistEntry.objects.filter(centre=centre, day=day, status=WaitlistEntry.Status.WAITING)
        .exclude(user__in=services.active_bookings_on(day).values("user_id"))
        .select_related("user")
        .order_by("created_at", "pk")
    )
    if not waiting:
        return 0
    held = held_seat_ids(centre=centre, day=day, now=now)
    seats = list(free_seats(centre=centre, day=day).exclude(pk__in=held)[: len(waiting)])
    expires = now + timedelta(minutes=offer_minutes())
    for entry, seat in zip(waiting, seats, strict=False):
        entry.status = WaitlistEntry.Status.OFFERED
        entry.offered_seat = seat
        entry.offered_at = now
        entry.offer_expires_at = expires
        entry.save(update_fields=["status", "offered_seat", "offered_at", "offer_expires_at"])
        # Inside the transaction on purpose: a mail that fails rolls the offer back. A person
        # without an email address (a mobile number alone) sees the offer on their pages.
        if entry.user.email:
            offer_email(entry).send()
    return min(len(waiting), len(seats))


def serve_all(*, now: datetime | None = None) -> int:
    """The sweep: every line with someone waiting or an offer out, today and later."""
    now = now or timezone.now()
    lines = (
        WaitlistEntry.objects.filter(status__in=OPEN, day__gte=timezone.localdate(now))
        .values_list("centre_id", "day")
        .distinct()
        .order_by("day", "centre_id")
    )
    offers = 0
    for centre_id, day in list(lines):
        try:
            offers += serve_waitlist(centre_id=centre_id, day=day, now=now)
        except Busy:
            logger.warning("Waitlist for centre %s on %s is busy; next sweep", centre_id, day)
    return offers


@transaction.atomic
def expire_past_entries(*, today: date) -> int:
    """Lines for days gone by are closed: nobody can take those seats any more."""
    return _expire(WaitlistEntry.objects.filter(status__in=OPEN, day__lt=today))


def _expire(entries) -> int:
    """Close `entries` (inside the caller's transaction); each person left without a seat is
    recorded as not served, once: the rows are locked, so no other expiry counts them too."""
    ids = list(entries.select_for_update(of=("self",)).values_list("pk", flat=True))
    demand.waitlist_not_served(entry_ids=ids)
    return WaitlistEntry.objects.filter(pk__in=ids).update(status=WaitlistEntry.Status.EXPIRED)


def accept_offer(*, entry: WaitlistEntry, user: User, now: datetime | None = None) -> SeatBooking:
    """Book the seat an offer holds (or another free one there) for the person it was made to.

    When no seat is left the entry goes back to waiting, keeping its place in line, and
    NoFreeSeat is raised.
    """
    booking, error = _accept(entry_id=entry.pk, user=user, now=now or timezone.now())
    if error is not None:
        raise error
    return booking


@locking_transaction
def _accept(
    *, entry_id: int, user: User, now: datetime
) -> tuple[SeatBooking | None, BookingError | None]:
    entry = (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("centre", "offered_seat__pod")
        .get(pk=entry_id)
    )
    if (
        entry.user_id != user.pk
        or entry.status != WaitlistEntry.Status.OFFERED
        or entry.offer_expires_at <= now
    ):
        raise OfferNotOpen()
    ensure_bookable(centre=entry.centre, day=entry.day, now=now)
    booking = None
    if entry.offered_seat is not None:
        # SeatTaken: the seat constraint decided a race; any other free seat will do.
        with contextlib.suppress(SeatTaken):
            booking = services.book_in_transaction(
                user=user, seat=entry.offered_seat, day=entry.day, booked_by=None
            )
    if booking is None:
        booking = _book_another_free_seat(entry=entry, user=user, now=now)
    if booking is None:
        entry.status = WaitlistEntry.Status.WAITING
        entry.offered_seat = None
        entry.offered_at = entry.offer_expires_at = None
        entry.save(update_fields=["status", "offered_seat", "offered_at", "offer_expires_at"])
        return None, NoFreeSeat()
    entry.status = WaitlistEntry.Status.ACCEPTED
    entry.save(update_fields=["status"])
    return booking, None


def _book_another_free_seat(*, entry: WaitlistEntry, user: User, now: datetime):
    """The offered seat went (a race the seat constraint decided): any other free seat there
    that no other open offer holds, found as "any seat" finds one."""
    return services.book_first_free_seat(
        user=user,
        centre=entry.centre,
        day=entry.day,
        leave_out=held_seat_ids(centre=entry.centre, day=entry.day, now=now),
        within_caller=True,
    )


def offer_email(entry: WaitlistEntry):
    seat = entry.offered_seat
    return build_email(
        template="bookings/waitlist_offer",
        context={
            "entry": entry,
            "centre": entry.centre,
            "seat": seat,
            "pod": seat.pod,
            "person": entry.user,
            "offer_url": settings.WNH_BASE_URL
            + reverse("waitlist:offer", kwargs={"entry_id": entry.pk}),
        },
        to=entry.user.email,
        language=entry.user.language or settings.LANGUAGE_CODE,
        message_id=f"<waitlist-offer-{entry.pk}-{entry.offered_at:%Y%m%d%H%M%S}@wnh-seats>",
    )
