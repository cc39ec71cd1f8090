"""No-shows: bookings not checked in by the centre's check-in deadline are released.

`release_no_shows` runs every few minutes (each centre has its own deadline). A booking made
after its day's deadline (a seat for the afternoon) is left alone. The release is one
UPDATE ... WHERE status = 'booked', so it runs twice without changing anything the second
time, and a check-in that commits first wins (the WHERE no longer matches it). Freed seats
for today go to the waitlist through the seat_freed hooks (bookings/core/hooks.py).

A person with WNH_NO_SHOW_LIMIT no-shows in the last WNH_NO_SHOW_WINDOW_DAYS may book only
WNH_NO_SHOW_LIMITED_DAYS_AHEAD days ahead; `ensure_may_book_ahead` is called by booking.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from bookings.core.errors import NoShowLimitReached
from bookings.core.hooks import announce_seat_freed
from bookings.models import SeatBooking

# A sweep that was down longer than this leaves older bookings alone; it bounds the scan.
CATCH_UP_DAYS = 7


def release_no_shows(*, now: datetime | None = None) -> int:
    """Mark bookings past their centre's check-in deadline as no-shows; free their seats."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = local.date()
    with transaction.atomic(durable=True):
        overdue = SeatBooking.objects.filter(
            Q(day__lt=today, day__gte=today - timedelta(days=CATCH_UP_DAYS))
            | Q(day=today, seat__pod__centre__check_in_deadline__lte=local.time()),
            status=SeatBooking.Status.BOOKED,
        )
        rows = [
            (pk, centre_id, day)
            for pk, centre_id, day, created_at, deadline in overdue.values_list(
                "pk",
                "seat__pod__centre_id",
                "day",
                "created_at",
                "seat__pod__centre__check_in_deadline",
            )
            # A seat booked for the afternoon, after the deadline, is not a no-show.
            if created_at < timezone.make_aware(datetime.combine(day, deadline))
        ]
        released = SeatBooking.objects.filter(
            pk__in=[pk for pk, _, _ in rows], status=SeatBooking.Status.BOOKED
        ).update(status=SeatBooking.Status.NO_SHOW, no_show_at=now)
        # Seats of past days are of no use to anyone; today's go to the waitlist.
        for centre_id in sorted({centre_id for _, centre_id, day in rows if day == today}):
            announce_seat_freed(centre_id=centre_id, day=today)
    return released


def no_shows_in_window(*, today: date | None = None) -> QuerySet[SeatBooking]:
    today = today or timezone.localdate()
    return SeatBooking.objects.filter(
        status=SeatBooking.Status.NO_SHOW,
        day__gt=today - timedelta(days=settings.WNH_NO_SHOW_WINDOW_DAYS),
        day__lte=today,
    )


def recent_no_shows(*, user: User, today: date | None = None) -> int:
    """How many bookings `user` did not turn up for in the rule's window (for "My bookings")."""
    return no_shows_in_window(today=today).filter(user=user).count()


def people_with_no_shows(*, today: date | None = None, centres: QuerySet | None = None) -> QuerySet:
    """K-DISC's view: people with no-shows in the window, most first (at `centres` only,
    for a centre manager or district coordinator)."""
    no_shows = no_shows_in_window(today=today)
    if centres is not None:
        no_shows = no_shows.filter(seat__pod__centre__in=centres)
    return (
        no_shows.values("user_id", "user__email", "user__full_name")
        .annotate(no_shows=Count("pk"))
        .order_by("-no_shows", "user__email")
    )


def ensure_may_book_ahead(*, user: User, day: date, today: date | None = None) -> None:
    """Raise NoShowLimitReached if the rule limits how far ahead `user` may book `day`."""
    limit = settings.WNH_NO_SHOW_LIMIT
    if limit <= 0:
        return
    today = today or timezone.localdate()
    days_ahead = settings.WNH_NO_SHOW_LIMITED_DAYS_AHEAD
    if day <= today + timedelta(days=days_ahead):
        return  # only booking ahead is limited: the count is not even needed
    count = recent_no_shows(user=user, today=today)
    if count >= limit:
        raise NoShowLimitReached(no_shows=count, days_ahead=days_ahead)
