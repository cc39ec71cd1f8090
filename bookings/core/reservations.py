"""The writes of pod reservations: a company asks for a pod over a range of days, staff (or
the centre's setting) confirm it into one ReservedPodDay a day, and the company gives days
up; and what a company admin sees before asking, and their seat assignments in the pod.

Lock order: the reservation, then its pod (bookings.core.locks).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scopes import may_act_on
from bookings.core import events
from bookings.core.days import ensure_bookable, first_day_not_begun, reservation_days, window
from bookings.core.errors import (
    AssignmentRefused,
    BookingError,
    CentreNotOpen,
    CompanyNotApproved,
    InvalidReservationDates,
    NoDaysToReserve,
    NotCompanyAdmin,
    OutsideYourCentres,
    PodAlreadyReserved,
    PodHeldByOutsiders,
    ReservationNotPending,
    SeatOutsideCompanyPod,
)
from bookings.core.hooks import announce_seat_freed
from bookings.core.locks import lock_pod, locked_reservation
from bookings.core.services import book_in_transaction
from bookings.models import MAX_RESERVATION_DAYS, PodReservation, ReservedPodDay, SeatBooking
from centres.models import Centre, Pod, Seat
from companies import webhooks
from companies.models import Company, Membership
from wnh import weekdays
from wnh.db import locking_transaction


def _ensure_company_admin(company: Company, user: User, *, centre_id: int) -> None:
    """The company's admin, or staff who may change reservations at the pod's centre."""
    if company.has_admin(user):
        return
    if not may_act_on(user, centre_id, "bookings.change_podreservation"):
        raise NotCompanyAdmin()


def _ensure_may_decide(reservation: PodReservation, user: User) -> None:
    """Confirming or rejecting is staff's: the permission, and the pod's centre in scope."""
    if not may_act_on(user, reservation.pod.centre_id, "bookings.change_podreservation"):
        raise OutsideYourCentres()


@locking_transaction
def request_pod_reservation(
    *,
    company: Company,
    pod: Pod,
    first_day: date,
    last_day: date,
    weekday_mask: int,
    requested_by: User,
    note: str = "",
) -> PodReservation:
    """Ask for `pod` over a date range; confirmed at once where the centre allows it."""
    company = Company.objects.get(pk=company.pk)  # its status now, not when it was loaded
    pod = Pod.objects.select_related("centre").get(pk=pod.pk)
    _ensure_company_admin(company, requested_by, centre_id=pod.centre_id)
    if not company.is_approved:
        raise CompanyNotApproved()
    centre = pod.centre
    today, furthest = window(horizon_days=MAX_RESERVATION_DAYS, today=timezone.localdate())
    if (
        not today <= first_day <= furthest
        or last_day < first_day
        or (last_day - first_day).days >= MAX_RESERVATION_DAYS
        or not 1 <= weekday_mask <= weekdays.ALL_DAYS
    ):
        raise InvalidReservationDates()
    if centre.status != Centre.Status.OPEN or not pod.is_active:
        raise CentreNotOpen()
    days = reservation_days(
        centre=centre, first_day=first_day, last_day=last_day, weekday_mask=weekday_mask
    )
    if not days:
        raise NoDaysToReserve()
    reservation = PodReservation.objects.create(
        company=company,
        pod=pod,
        first_day=first_day,
        last_day=last_day,
        weekdays=weekday_mask,
        requested_by=requested_by,
        note=note,
    )
    if centre.auto_confirm_pod_reservations:
        return _confirm(reservation=reservation, decided_by=None)
    return reservation


@locking_transaction
def confirm_pod_reservation(*, reservation: PodReservation, decided_by: User) -> PodReservation:
    """Write one ReservedPodDay per day, all or nothing (rules 4 and 5 of DESIGN.md)."""
    reservation = PodReservation.objects.select_related("pod").get(pk=reservation.pk)
    _ensure_may_decide(reservation, decided_by)
    return _confirm(reservation=reservation, decided_by=decided_by)


def _confirm(*, reservation: PodReservation, decided_by: User | None) -> PodReservation:
    reservation = locked_reservation(reservation.pk)
    if reservation.status != PodReservation.Status.REQUESTED:
        raise ReservationNotPending()
    if not reservation.company.is_approved:
        raise CompanyNotApproved()
    days = reservation_days(
        centre=reservation.pod.centre,
        first_day=reservation.first_day,
        last_day=reservation.last_day,
        weekday_mask=reservation.weekdays,
    )
    if not days:
        raise NoDaysToReserve()
    lock_pod(reservation.pod_id)
    taken = ReservedPodDay.objects.filter(
        pod_id=reservation.pod_id, day__in=days, cancelled_at__isnull=True
    ).values_list("day", flat=True)
    if taken:
        raise PodAlreadyReserved(days=set(taken))
    in_pod = SeatBooking.objects.filter(
        seat__pod_id=reservation.pod_id, day__in=days, status__in=SeatBooking.ACTIVE
    )
    members = Membership.objects.filter(company_id=reservation.company_id).values("user_id")
    outsider_days = in_pod.exclude(user__in=members).values_list("day", flat=True)
    if outsider_days:
        raise PodHeldByOutsiders(days=set(outsider_days))
    try:
        with transaction.atomic():
            ReservedPodDay.objects.bulk_create(
                ReservedPodDay(
                    pod_id=reservation.pod_id,
                    day=day,
                    reservation=reservation,
                    company_id=reservation.company_id,
                )
                for day in days
            )
    except IntegrityError as error:
        raise PodAlreadyReserved() from error
    # Members who already sat in the pod on those days now sit in their company's pod.
    in_pod.filter(company__isnull=True).update(company_id=reservation.company_id)
    reservation.status = PodReservation.Status.CONFIRMED
    reservation.confirmed_at = timezone.now()
    reservation.decided_by = decided_by
    reservation.save(update_fields=["status", "confirmed_at", "decided_by"])
    events.reservation_changed(reservation, webhooks.RESERVATION_CONFIRMED)
    return reservation


@locking_transaction
def reject_pod_reservation(*, reservation: PodReservation, decided_by: User) -> PodReservation:
    locked = PodReservation.objects.select_for_update(of=("self",)).select_related("pod")
    reservation = locked.get(pk=reservation.pk)
    _ensure_may_decide(reservation, decided_by)
    if reservation.status != PodReservation.Status.REQUESTED:
        raise ReservationNotPending()
    reservation.status = PodReservation.Status.REJECTED
    reservation.decided_by = decided_by
    reservation.save(update_fields=["status", "decided_by"])
    events.reservation_changed(reservation, webhooks.RESERVATION_REJECTED)
    return reservation


@locking_transaction
def cancel_pod_reservation(
    *,
    reservation: PodReservation,
    by: User,
    from_day: date | None = None,
    now: datetime | None = None,
) -> PodReservation:
    """Give up a reservation's days from `from_day` (default: the first day not yet begun)
    on. Past days, and today once the centre has opened, stay reserved and billed.

    A request not yet confirmed is cancelled whole. Seats the company's members hold in the
    pod on given-up days stay theirs, as ordinary bookings.
    """
    reservation = locked_reservation(reservation.pk)
    _ensure_company_admin(reservation.company, by, centre_id=reservation.pod.centre_id)
    now = now or timezone.now()
    # Today can be given up only before the centre opens: a day in use is billed.
    first_free_day = first_day_not_begun(reservation.pod.centre, now=now)
    start = max(from_day or first_free_day, first_free_day)
    if reservation.status == PodReservation.Status.REQUESTED:
        reservation.status = PodReservation.Status.CANCELLED
        reservation.cancelled_at = now
        reservation.save(update_fields=["status", "cancelled_at"])
        events.reservation_changed(reservation, webhooks.RESERVATION_CANCELLED)
        return reservation
    if reservation.status != PodReservation.Status.CONFIRMED:
        raise ReservationNotPending()
    lock_pod(reservation.pod_id)
    given_up = reservation.days.filter(day__gte=start, cancelled_at__isnull=True)
    freed_days = list(given_up.values_list("day", flat=True))
    given_up.update(cancelled_at=now)
    SeatBooking.objects.filter(
        seat__pod_id=reservation.pod_id,
        day__in=freed_days,
        company_id=reservation.company_id,
        status__in=SeatBooking.ACTIVE,
    ).update(company=None)
    if not reservation.days.filter(cancelled_at__isnull=True).exists():
        reservation.status = PodReservation.Status.CANCELLED
        reservation.cancelled_at = now
        reservation.save(update_fields=["status", "cancelled_at"])
    for day in freed_days:
        announce_seat_freed(centre_id=reservation.pod.centre_id, day=day)
    if freed_days:
        events.reservation_changed(
            reservation, webhooks.RESERVATION_CANCELLED, days_given_up=freed_days
        )
    return reservation


@dataclass
class PodAvailability:
    """A pod over the days of a reservation request, and why some days are not free."""

    pod: Pod
    conflicts: dict[date, str]  # day -> "reserved" (another reservation) or "occupied"

    @property
    def is_free(self) -> bool:
        return not self.conflicts


def free_pods_for_range(
    *,
    centre: Centre,
    company: Company,
    first_day: date,
    last_day: date,
    weekday_mask: int,
    min_capacity: int | None = None,
    pod: Pod | None = None,
) -> tuple[list[date], list[PodAvailability]]:
    """The days a reservation would cover and, for each candidate pod, the days it is not
    free: reserved by any active reservation, or holding seats of people outside `company`
    (rule 5). Four queries whatever the range or the number of pods. The confirmation
    re-checks under the pod lock; this is what the company admin sees before asking."""
    days = reservation_days(
        centre=centre, first_day=first_day, last_day=last_day, weekday_mask=weekday_mask
    )
    pods = Pod.objects.filter(centre=centre, is_active=True).select_related("centre")
    if pod is not None:
        pods = pods.filter(pk=pod.pk)
    if min_capacity is not None:
        pods = pods.filter(capacity__gte=min_capacity)
    pods = list(pods.order_by("capacity", "code"))
    conflicts: dict[int, dict[date, str]] = {p.pk: {} for p in pods}
    if days and pods:
        reserved = ReservedPodDay.objects.filter(
            pod__in=pods, day__in=days, cancelled_at__isnull=True
        ).values_list("pod_id", "day")
        for pod_id, day in reserved:
            conflicts[pod_id][day] = "reserved"
        members = Membership.objects.filter(company=company).values("user_id")
        occupied = (
            SeatBooking.objects.filter(
                seat__pod__in=pods, day__in=days, status__in=SeatBooking.ACTIVE
            )
            .exclude(user__in=members)
            .values_list("seat__pod_id", "day")
            .distinct()
        )
        for pod_id, day in occupied:
            conflicts[pod_id].setdefault(day, "occupied")
    return days, [PodAvailability(pod=p, conflicts=conflicts[p.pk]) for p in pods]


@locking_transaction
def assign_seats(
    *, company: Company, member: User, seat: Seat, first_day: date, last_day: date, by: User
) -> list[SeatBooking]:
    """A company admin books `seat` for `member` on every day from `first_day` to `last_day`
    that the seat's pod is reserved for the company. All or nothing: a refused day (the
    seat taken, the member already seated elsewhere) refuses the whole range, naming it."""
    seat = Seat.objects.select_related("pod__centre").get(pk=seat.pk)
    _ensure_company_admin(company, by, centre_id=seat.pod.centre_id)
    if not company.has_member(member):
        raise SeatOutsideCompanyPod(_("That person is not a member of the company."))
    days = list(
        ReservedPodDay.objects.filter(
            company=company,
            pod_id=seat.pod_id,
            day__range=(max(first_day, timezone.localdate()), last_day),
            cancelled_at__isnull=True,
        )
        .order_by("day")
        .values_list("day", flat=True)
    )
    if not days:
        raise SeatOutsideCompanyPod()
    bookings = []
    for day in days:
        try:
            ensure_bookable(centre=seat.pod.centre, day=day)
            with transaction.atomic():
                bookings.append(book_in_transaction(user=member, seat=seat, day=day, booked_by=by))
        except BookingError as error:
            raise AssignmentRefused(day=day, error=error) from error
    return bookings
