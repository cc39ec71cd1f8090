"""Which days a centre takes bookings, and when a day is over: the one home of these rules.

A centre takes a booking for a day when it is open (not planned, under construction or
closed for good), the day lies in its booking window (today to today + its horizon), the
day is not over (today ends for booking at closing time), the centre opens on that weekday
and the day is not one of its closure days. Every page, the API, the services, the waitlist
and the pod reservations ask `refusal` (or one of the helpers built on it), so they cannot
disagree. Dates are local dates in Asia/Kolkata.

Closure days are looked up here too, in three shapes: one day of one centre
(`is_closure_day`), an annotation for a queryset (`closure_exists`), and a range of days of
several centres (`closure_days`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from django.db.models import Case, Exists, F, IntegerField, OuterRef, QuerySet, Value, When
from django.utils import timezone

from bookings.core.errors import (
    BookingError,
    CentreClosedThatDay,
    CentreNotOpen,
    CheckInClosed,
    CheckInNotOpen,
    CheckInNotOpenYet,
    OutsideBookingWindow,
)
from centres.models import Centre, CentreClosure
from wnh import weekdays

# "Centres near me" may be asked this far ahead; each centre's own horizon still applies.
SEARCH_HORIZON_DAYS = 365


# -- the window ---------------------------------------------------------------------------


def window(*, horizon_days: int, today: date) -> tuple[date, date]:
    """The first and last day of a window of `horizon_days` days after `today`."""
    return today, today + timedelta(days=horizon_days)


def booking_window(centre: Centre, *, today: date | None = None) -> tuple[date, date]:
    """The days `centre` can be booked for: today to today + its booking horizon."""
    return window(horizon_days=centre.booking_horizon_days, today=today or timezone.localdate())


def search_window(*, today: date | None = None) -> tuple[date, date]:
    """The days "centres near me" may be asked about."""
    return window(horizon_days=SEARCH_HORIZON_DAYS, today=today or timezone.localdate())


# -- when a day is over -------------------------------------------------------------------


def first_day_not_over(centre: Centre, *, now: datetime | None = None) -> date:
    """Today until the centre closes, then tomorrow: booking today ends at closing time."""
    local = timezone.localtime(now)
    if local.time() < centre.closes_at:
        return local.date()
    return local.date() + timedelta(days=1)


def first_day_not_begun(centre: Centre, *, now: datetime | None = None) -> date:
    """Today until the centre opens, then tomorrow: a day in use is billed and kept."""
    local = timezone.localtime(now)
    if local.time() < centre.opens_at:
        return local.date()
    return local.date() + timedelta(days=1)


def check_in_refusal(
    centre: Centre, day: date, *, now: datetime | None = None
) -> CheckInNotOpen | None:
    """Why a booking for `day` cannot be checked in at `now`, or None when it can. Check-in
    is on the booking's day, while the centre is open: the code at the door is no use from
    home at dawn. Early on the day the answer says when it opens."""
    local = timezone.localtime(now)
    if day != local.date():
        return CheckInNotOpen()
    if local.time() < centre.opens_at:
        return CheckInNotOpenYet(opens_at=centre.opens_at)
    if local.time() >= centre.closes_at:
        return CheckInClosed(closes_at=centre.closes_at)
    return None


def cancellation_deadline(centre: Centre, day: date) -> datetime:
    """A booking for `day` can be cancelled until this moment."""
    opens = timezone.make_aware(datetime.combine(day, centre.opens_at))
    return opens - timedelta(hours=centre.cancellation_cutoff_hours)


# -- closure days -------------------------------------------------------------------------


def closure_exists(*, centre, day) -> Exists:
    """An annotation: whether the centre (an id or an OuterRef) is closed on `day` (a date or
    an OuterRef). One probe of the (centre, day) unique index."""
    return Exists(CentreClosure.objects.filter(centre=centre, day=day))


def _weekday_bit() -> Case:
    """The row's weekday as the bit wnh.weekdays uses (bit 0 Monday), in SQL."""
    return Case(
        *(When(day__iso_week_day=iso, then=Value(1 << (iso - 1))) for iso in range(1, 8)),
        output_field=IntegerField(),
    )


def rows_of_open_days(rows: QuerySet) -> QuerySet:
    """Of rows with a `centre` and a `day` (the occupancy figures), only those of a day their
    centre was open: a weekday it opens, and not a closure. A closed day's empty seats are
    not empty seats."""
    return (
        rows.annotate(open_bit=F("centre__open_weekdays").bitand(_weekday_bit()))
        .filter(open_bit__gt=0)
        .exclude(closure_exists(centre=OuterRef("centre_id"), day=OuterRef("day")))
    )


def is_closure_day(centre: Centre, day: date) -> bool:
    return CentreClosure.objects.filter(centre=centre, day=day).exists()


def closure_days(*, centres, first: date, last: date) -> set[tuple[int, date]]:
    """(centre id, day) of every closure of `centres` (ids, centres or a queryset of them)
    from `first` to `last` (one query)."""
    return set(
        CentreClosure.objects.filter(centre__in=centres, day__range=(first, last))
        .values_list("centre_id", "day")
        .order_by()
    )


# -- the rule -----------------------------------------------------------------------------


def open_weekdays(centre: Centre) -> int:
    """The weekdays `centre` opens on, as a mask (wnh.weekdays): what a form ticks first."""
    return centre.open_weekdays


def is_open_day(centre: Centre, day: date, *, closed: bool) -> bool:
    """The centre opens on that weekday and `day` is not one of its closure days."""
    return not closed and weekdays.includes(open_weekdays(centre), day)


def _known_closure(centre: Centre, day: date) -> bool | None:
    """Whether `day` is a closure day, when the centre came with the answer (see
    `centre_for_booking` and `seat_for_booking` in selectors), else None."""
    return getattr(centre, "closed_on", {}).get(day)


def refusal(
    centre: Centre, day: date, *, now: datetime | None = None, closed: bool | None = None
) -> BookingError | None:
    """Why `centre` takes no booking for `day` at `now`, or None when it does.

    `closed` says whether `day` is a closure day when the caller knows; otherwise the centre
    may carry the answer, and only then is the closure looked up (one query)."""
    local = timezone.localtime(now)
    if centre.status != Centre.Status.OPEN:
        return CentreNotOpen()
    first, last = booking_window(centre, today=local.date())
    if not first <= day <= last or day < first_day_not_over(centre, now=now):
        return OutsideBookingWindow()
    if closed is None:
        closed = _known_closure(centre, day)
    if closed is None:
        closed = is_closure_day(centre, day)
    if not is_open_day(centre, day, closed=closed):
        return CentreClosedThatDay()
    return None


def takes_bookings(
    centre: Centre, day: date, *, now: datetime | None = None, closed: bool | None = None
) -> bool:
    return refusal(centre, day, now=now, closed=closed) is None


def ensure_bookable(*, centre: Centre, day: date, now: datetime | None = None) -> None:
    """Raise unless `centre` takes bookings for `day` (rule 6 of DESIGN.md)."""
    error = refusal(centre, day, now=now)
    if error is not None:
        raise error


def bookable_days(*, centre: Centre, now: datetime | None = None) -> list[date]:
    """The days `centre` takes bookings for, from today to the end of its window (one query
    for the closures)."""
    first, last = booking_window(centre, today=timezone.localdate(now))
    return [
        day
        for day in open_days(centre=centre, first=first, last=last)
        if takes_bookings(centre, day, now=now, closed=False)  # open_days left closures out
    ]


def open_days(
    *, centre: Centre, first: date, last: date, weekday_mask: int = weekdays.ALL_DAYS
) -> list[date]:
    """The days from `first` to `last` on the chosen weekdays that `centre` opens (one query
    for the closures): what a pod reservation of that range covers."""
    closed = {day for _, day in closure_days(centres=[centre.pk], first=first, last=last)}
    return [
        day
        for day in _days(first, last)
        if weekdays.includes(weekday_mask, day) and is_open_day(centre, day, closed=day in closed)
    ]


def reservation_days(
    *,
    centre: Centre,
    first_day: date,
    last_day: date,
    weekday_mask: int,
    now: datetime | None = None,
) -> list[date]:
    """The days a pod reservation covers: the chosen weekdays the centre opens, from the
    first day not over on. A reservation looks further ahead than a seat booking (up to
    MAX_RESERVATION_DAYS), so the centre's booking horizon does not bound it."""
    start = max(first_day, first_day_not_over(centre, now=now))
    return open_days(centre=centre, first=start, last=last_day, weekday_mask=weekday_mask)


_HOURS = ("status", "open_weekdays", "closes_at", "booking_horizon_days")


def next_open_day(*, now: datetime | None = None, look_ahead_days: int = 14) -> date:
    """The first day on which some open centre takes people: today while one is still open,
    else the next day one opens (a Sunday evening gives Monday). Two queries."""
    today = timezone.localdate(now)
    open_centres = Centre.objects.filter(status=Centre.Status.OPEN)
    # Only what the rule reads: the near-me page asks this of every open centre.
    centres = [
        SimpleNamespace(pk=pk, **dict(zip(_HOURS, hours, strict=True)))
        for pk, *hours in open_centres.values_list("pk", *_HOURS)
    ]
    last = today + timedelta(days=look_ahead_days)
    closed = closure_days(centres=open_centres.values("pk"), first=today, last=last)
    for day in _days(today, last):
        for centre in centres:
            if takes_bookings(centre, day, now=now, closed=(centre.pk, day) in closed):
                return day
    return today


def _days(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
