"""Which pods a person may use on a day, and how many seats are free: the one home of
these rules.

A pod reserved for a company on a day (a live ReservedPodDay) is closed that day to everyone
who is not a member of that company; every other active pod of an open centre is open to
all. `reserved_for_others` is that rule as an SQL expression, and every read that offers
seats (the near-me list and API, the seat map, "any seat", the waitlist) is built on it;
`company_of_pod_day` is the same rule at write time, under the pod's lock.

Free seats per centre and pod for a day come from the booked-seat counts (PodDayCount),
kept by triggers on the bookings table (migration 0003), so reading "how many seats are
free" costs a few index lookups per pod, however many bookings there are: the same at 7
centres as at 1,250. What they say is exact at commit, but they only tell people what is
free: a booking is decided under the pod's lock by the unique constraints. Active seats of
an active pod are as many as its capacity (centres.services keeps them in step), so a pod's
free seats are its capacity less its count.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from accounts.models import User
from bookings.core.errors import CompanyNotApproved, PodReserved
from bookings.models import PodDayCount, ReservedPodDay, SeatBooking
from centres.models import Centre, Pod, Seat
from companies.models import Company, Membership


def companies_of(user: User | None) -> QuerySet | None:
    """The ids of the companies `user` is a member of (a subquery); None for nobody."""
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user).values("company_id")


def reserved_for_others(*, pod, day, user: User | None) -> Exists:
    """Whether the pod (an OuterRef) is reserved on `day` for a company `user` is not in:
    then its seats are not theirs to book."""
    reserved = ReservedPodDay.objects.filter(pod=pod, day=day, cancelled_at=None)
    companies = companies_of(user)
    if companies is not None:
        reserved = reserved.exclude(company_id__in=companies)
    return Exists(reserved)


def companies_open_to(user: User | None, company_ids: Iterable[int]) -> dict[int, Company]:
    """Of the companies pods are reserved for on a day, those `user` is a member of (by id):
    their pods are open to the person and every other reserved pod is closed, as
    reserved_for_others says in SQL. For a read that already has each pod's company (the
    seat map): one query, none when nothing is reserved or nobody is signed in."""
    company_ids = set(company_ids) - {None}
    if not company_ids or companies_of(user) is None:
        return {}
    return {
        company.pk: company
        for company in Company.objects.filter(pk__in=company_ids, memberships__user=user)
    }


def reserved_for_mine(*, pod, day, user: User | None) -> Exists:
    """Whether the pod (an OuterRef) is reserved on `day` for a company of `user`'s."""
    companies = companies_of(user)
    if companies is None:
        return Exists(ReservedPodDay.objects.none())
    return Exists(
        ReservedPodDay.objects.filter(pod=pod, day=day, cancelled_at=None, company_id__in=companies)
    )


def seat_is_booked(day: date) -> Exists:
    """An active booking of the outer seat on `day` (one probe of the seat-day index)."""
    return Exists(
        SeatBooking.objects.filter(seat=OuterRef("pk"), day=day, status__in=SeatBooking.ACTIVE)
    )


def open_pods(*, day: date, user: User | None) -> QuerySet[Pod]:
    """Active pods whose seats `user` may book on `day`, each annotated with `free`."""
    booked = PodDayCount.objects.filter(pod=OuterRef("pk"), day=day).values("booked")
    return (
        Pod.objects.filter(is_active=True)
        .exclude(reserved_for_others(pod=OuterRef("pk"), day=day, user=user))
        .annotate(
            free=Greatest(
                F("capacity") - Coalesce(Subquery(booked, output_field=IntegerField()), 0),
                Value(0),
            )
        )
    )


def free_seats(*, centre: Centre, day: date, user: User | None = None) -> QuerySet[Seat]:
    """Active seats of `centre` with no active booking on `day` that `user` may book, in
    seat-map order. Without a person, the seats of every pod reserved that day are left out.
    """
    return (
        Seat.objects.filter(pod__centre=centre, is_active=True, pod__is_active=True)
        .exclude(seat_is_booked(day))
        .exclude(reserved_for_others(pod=OuterRef("pod"), day=day, user=user))
        .select_related("pod")
        .order_by("pod__code", "position")
    )


def free_seats_of_centre(*, day: date, user: User | None):
    """An annotation for centres: the outer centre's free seats on `day` for `user`."""
    pods = (
        open_pods(day=day, user=user)
        .filter(centre=OuterRef("pk"))
        .order_by()
        .values("centre")
        .annotate(total=Sum("free"))
        .values("total")
    )
    return Coalesce(Subquery(pods, output_field=IntegerField()), Value(0))


def free_seats_by_centre(
    *, centre_ids: Iterable[int], day: date, user: User | None
) -> dict[int, int]:
    """{centre id: free seats on `day` for `user`} for the centres given (one query)."""
    ids = list(centre_ids)
    if not ids:
        return {}
    rows = (
        open_pods(day=day, user=user)
        .filter(centre_id__in=ids)
        .order_by()
        .values("centre_id")
        .annotate(total=Sum("free"))
    )
    free = dict.fromkeys(ids, 0)
    free.update({row["centre_id"]: row["total"] or 0 for row in rows})
    return free


def active_pod_day(*, pod_id: int, day: date) -> ReservedPodDay | None:
    return (
        ReservedPodDay.objects.filter(pod_id=pod_id, day=day, cancelled_at__isnull=True)
        .select_related("company")
        .first()
    )


def company_of_pod_day(*, user: User, pod_id: int, day: date) -> Company | None:
    """The company whose reserved pod this is on `day`, if any; refuses outsiders (rule 5).
    The caller holds the pod's lock."""
    pod_day = active_pod_day(pod_id=pod_id, day=day)
    if pod_day is None:
        return None
    company = pod_day.company
    # Lock the membership row: remove_member locks it too, so a member being removed cannot
    # slip a booking into the pod after their bookings there were cancelled.
    membership = (
        Membership.objects.select_for_update().filter(company_id=company.pk, user=user).first()
    )
    if membership is None:
        raise PodReserved()
    if not company.is_approved:
        raise CompanyNotApproved()
    return company
