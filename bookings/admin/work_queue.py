"""What waits for K-DISC staff today: the admin's front page.

A fixed handful of queries however many centres there are: the arrivals of every centre are
one aggregate, grouped by centre.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from bookings.models import PodReservation, SeatBooking
from centres.models import CentreClosure
from companies.models import Company

# How many of each kind the front page names; the count and the list link cover the rest.
SHOWN = 5
CLOSURES_AHEAD_DAYS = 14


@dataclass
class Queue:
    count: int
    items: list = field(default_factory=list)


@dataclass
class CentreArrivals:
    centre_id: int
    centre_name: str
    expected: int
    checked_in: int

    @property
    def waiting(self) -> int:
        return self.expected - self.checked_in


def pending_companies() -> Queue:
    pending = Company.objects.filter(status=Company.Status.PENDING)
    return Queue(pending.count(), list(pending.order_by("created_at", "pk")[:SHOWN]))


# `centres`: the centres a scoped officer runs (accounts/scopes.py), or None for every centre.


def _within(queryset: QuerySet, path: str, centres: QuerySet | None) -> QuerySet:
    return queryset if centres is None else queryset.filter(**{f"{path}__in": centres})


def requested_reservations(*, centres: QuerySet | None = None) -> Queue:
    requested = _within(
        PodReservation.objects.filter(status=PodReservation.Status.REQUESTED),
        "pod__centre",
        centres,
    )
    first = requested.select_related("company", "pod__centre").order_by("first_day", "pk")
    return Queue(requested.count(), list(first[:SHOWN]))


def arrivals_today(*, today: date, centres: QuerySet | None = None) -> list[CentreArrivals]:
    """Each centre's active bookings today and how many have checked in: one query."""
    todays = SeatBooking.objects.filter(day=today, status__in=SeatBooking.ACTIVE)
    rows = (
        _within(todays, "seat__pod__centre", centres)
        .values("seat__pod__centre_id", "seat__pod__centre__name")
        .annotate(
            expected=Count("pk"),
            checked_in=Count("pk", filter=Q(status=SeatBooking.Status.CHECKED_IN)),
        )
        .order_by("seat__pod__centre__name")
    )
    return [
        CentreArrivals(
            centre_id=row["seat__pod__centre_id"],
            centre_name=row["seat__pod__centre__name"],
            expected=row["expected"],
            checked_in=row["checked_in"],
        )
        for row in rows
    ]


def closures_ahead(*, today: date, centres: QuerySet | None = None) -> Queue:
    coming = _within(
        CentreClosure.objects.filter(
            day__gte=today, day__lte=today + timedelta(days=CLOSURES_AHEAD_DAYS)
        ),
        "centre",
        centres,
    )
    first = coming.select_related("centre").order_by("day", "centre__name")
    return Queue(coming.count(), list(first[:SHOWN]))
