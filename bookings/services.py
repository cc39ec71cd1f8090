"""Every write to seat bookings and pod reservations goes through these functions.

Lock order, everywhere: a reservation row, then its pod. A seat booking locks only its pod.
The pod's row lock is what makes rule 5 hold: a seat booking and a pod reservation of the
same pod check each other's rows under it, so an outsider's booking and a company's
reservation of one pod and day cannot both pass their checks. The unique constraints decide
every other race (seat taken, person already booked, pod day already reserved).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scopes import may_act_on
from centres.models import Centre, CentreClosure, Pod, Seat
from companies import emails as company_emails
from companies.models import Company, Membership
from companies.services import end_membership
from wnh import metrics, weekdays
from wnh.db import Busy, bound_lock_wait, is_lock_timeout, locking_transaction
from wnh.errors import DomainError

from .availability import open_pods
from .errors import (
    AlreadyBookedThatDay,
    AssignmentRefused,
    BookingError,
    BookingNotActive,
    CancellationTooLate,
    CentreClosedThatDay,
    CentreNotOpen,
    CheckInNotOpen,
    CompanyNotApproved,
    InvalidReservationDates,
    NoBookingHereToday,
    NoDaysToReserve,
    NoFreeSeat,
    NotCompanyAdmin,
    NotYourBooking,
    OutsideBookingWindow,
    OutsideYourCentres,
    PodAlreadyReserved,
    PodHeldByOutsiders,
    PodReserved,
    ReservationNotPending,
    SeatNotBookable,
    SeatOutsideCompanyPod,
    SeatTaken,
)
from .hooks import announce_seat_freed
from .models import MAX_RESERVATION_DAYS, PodReservation, ReservedPodDay, SeatBooking
from .noshow import ensure_may_book_ahead

# -- rules shared by every booking path -------------------------------------------------


def booking_window(centre: Centre, *, today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return today, today + timedelta(days=centre.booking_horizon_days)


def ensure_bookable(*, centre: Centre, day: date, now: datetime | None = None) -> None:
    """Raise unless `centre` takes bookings for `day` (rule 6 of DESIGN.md).

    A centre fetched by `centre_for_booking` (or `seat_for_booking`) for that day carries
    whether it is closed then, which saves the closure query."""
    now = timezone.localtime(now)
    if centre.status != Centre.Status.OPEN:
        raise CentreNotOpen()
    first, last = booking_window(centre, today=now.date())
    if not first <= day <= last:
        raise OutsideBookingWindow()
    if day == now.date() and now.time() >= centre.closes_at:
        raise OutsideBookingWindow()
    closed = getattr(centre, "closed_on", {}).get(day)
    if closed is None:
        open_that_day = centre.is_open_on(day)
    else:
        open_that_day = not closed and weekdays.includes(centre.open_weekdays, day)
    if not open_that_day:
        raise CentreClosedThatDay()


def _closure(day: date) -> Exists:
    return Exists(CentreClosure.objects.filter(centre=OuterRef("pk"), day=day))


def centre_for_booking(*, slug: str, day: date) -> Centre | None:
    """The centre by its slug, knowing whether it is closed on `day` (one query)."""
    centre = Centre.objects.annotate(closed_that_day=_closure(day)).filter(slug=slug).first()
    if centre is not None:
        centre.closed_on = {day: centre.closed_that_day}
    return centre


def seat_for_booking(*, seat_id: int, slug: str, day: date) -> Seat | None:
    """A seat of the centre `slug` with its pod and centre, knowing whether the centre is
    closed on `day` (one query)."""
    seat = (
        Seat.objects.select_related("pod__centre")
        .annotate(
            centre_closed=Exists(
                CentreClosure.objects.filter(centre=OuterRef("pod__centre"), day=day)
            )
        )
        .filter(pk=seat_id, pod__centre__slug=slug)
        .first()
    )
    if seat is not None:
        seat.pod.centre.closed_on = {day: seat.centre_closed}
        seat.booking_day = (day,)
    return seat


def lock_pod(pod_id: int, *, bounded: bool = True) -> Pod:
    """The pod's row lock. `bounded=False` inside a locking_transaction, which has already
    bounded the wait."""
    if bounded:
        bound_lock_wait()
    try:
        return Pod.objects.select_for_update().get(pk=pod_id)
    except OperationalError as error:
        if is_lock_timeout(error):
            raise Busy() from error
        raise


def active_pod_day(*, pod_id: int, day: date) -> ReservedPodDay | None:
    return (
        ReservedPodDay.objects.filter(pod_id=pod_id, day=day, cancelled_at__isnull=True)
        .select_related("company")
        .first()
    )


def booking_conflict(error: IntegrityError) -> Exception:
    """Name the rule a failed insert broke. SQLite names columns, PostgreSQL the constraint."""
    text = str(error)
    if "one_active_booking_per_person_day" in text or "seatbooking.user_id" in text:
        return AlreadyBookedThatDay()
    return SeatTaken()


def _company_for_seat(*, user: User, pod_id: int, day: date) -> Company | None:
    """The company whose reserved pod this is on `day`, if any; refuses outsiders."""
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


# -- seat bookings ----------------------------------------------------------------------


def _ensure_person_may_book(*, user: User, day: date) -> None:
    ensure_may_book_ahead(user=user, day=day)  # the no-show rule limits booking ahead
    if SeatBooking.objects.filter(user=user, day=day, status__in=SeatBooking.ACTIVE).exists():
        raise AlreadyBookedThatDay()  # friendlier than the constraint; it still has the last word


def _insert_booking(
    *, user: User, seat: Seat, day: date, booked_by: User | None, savepoint: bool = True
) -> SeatBooking:
    """The write itself. The caller holds the seat's pod lock (rule 5 is checked under it).

    `savepoint=False` when the caller gives up at the first conflict: the constraint's
    error then rolls back the caller's whole transaction, and the savepoint's two round
    trips are saved."""
    company = _company_for_seat(user=user, pod_id=seat.pod_id, day=day)
    try:
        with transaction.atomic(savepoint=savepoint):  # the constraint decides a race
            return metrics.booking_made(
                SeatBooking.objects.create(
                    user=user, seat=seat, day=day, company=company, booked_by=booked_by or user
                )
            )
    except IntegrityError as error:
        raise booking_conflict(error) from error


def _book(*, user: User, seat: Seat, day: date, booked_by: User | None) -> SeatBooking:
    """Book inside the caller's transaction. The caller has checked the centre and day."""
    if not (seat.is_active and seat.pod.is_active):
        raise SeatNotBookable()
    _ensure_person_may_book(user=user, day=day)
    lock_pod(seat.pod_id)
    return _insert_booking(user=user, seat=seat, day=day, booked_by=booked_by)


@metrics.counts_refusals
@locking_transaction
def book_seat(*, user: User, seat: Seat, day: date, booked_by: User | None = None) -> SeatBooking:
    """Book `seat` for `user` on `day`, or raise a BookingError saying why not.

    The evening rush comes through here and book_any_seat, so each is a handful of queries
    whatever the size of the network: the seat (with its centre), whether the person has a
    seat that day (the answer to a retry of one's own booking: a failed insert would name
    the seat instead), the pod's lock, the pod's reservation, the insert."""
    if day not in getattr(seat, "booking_day", ()):  # not fresh from seat_for_booking
        seat = Seat.objects.select_related("pod__centre").get(pk=seat.pk)
    ensure_bookable(centre=seat.pod.centre, day=day)
    if not (seat.is_active and seat.pod.is_active):
        raise SeatNotBookable()
    _ensure_person_may_book(user=user, day=day)
    lock_pod(seat.pod_id, bounded=False)
    return _insert_booking(user=user, seat=seat, day=day, booked_by=booked_by, savepoint=False)


def _not_booked(day: date) -> Exists:
    """No active booking of the outer seat on `day` (one probe of the seat-day index)."""
    return Exists(
        SeatBooking.objects.filter(seat=OuterRef("pk"), day=day, status__in=SeatBooking.ACTIVE)
    )


def free_seats(*, centre: Centre, day: date, user: User | None = None):
    """Active seats of `centre` with no active booking on `day`, in seat-map order.

    Seats in pods reserved for a company that day are left out unless `user` is a member.
    """
    reserved = ReservedPodDay.objects.filter(pod=OuterRef("pod"), day=day, cancelled_at=None)
    if user is not None:
        reserved = reserved.exclude(
            company__in=Membership.objects.filter(user=user).values("company_id")
        )
    return (
        Seat.objects.filter(pod__centre=centre, is_active=True, pod__is_active=True)
        .exclude(_not_booked(day))
        .exclude(Exists(reserved))
        .select_related("pod")
        .order_by("pod__code", "position")
    )


@metrics.counts_refusals
@locking_transaction
def book_any_seat(
    *, user: User, centre: Centre, day: date, booked_by: User | None = None
) -> SeatBooking:
    """Book the first free seat in `centre` on `day`: the member's company pod first.

    The pods with free seats come from the booked-seat counts (bookings.availability);
    the seat is then chosen under its pod's lock, so people asking for "any seat" at once
    queue pod by pod instead of all racing for the same first free seat: nobody is told
    the centre is full while a seat is left. A count that lags only sends the search to
    the next pod; the unique constraints decide.
    """
    ensure_bookable(centre=centre, day=day)
    ensure_may_book_ahead(user=user, day=day)
    mine = ReservedPodDay.objects.filter(
        pod=OuterRef("pk"),
        day=day,
        cancelled_at=None,
        company__memberships__user=user,
    )
    candidates = (
        open_pods(day=day, user=user)
        .filter(centre=centre, free__gt=0)
        .annotate(mine=Exists(mine))
        .order_by("-mine", "code")
        .values_list("pk", flat=True)
    )
    for pod_id in candidates:
        pod = lock_pod(pod_id, bounded=False)
        # A fresh look, now that we hold the pod.
        seat = (
            Seat.objects.filter(pod_id=pod_id, is_active=True)
            .exclude(_not_booked(day))
            .order_by("position")
            .first()
        )
        if seat is not None:
            pod.centre = centre
            seat.pod = pod
            return _insert_booking(
                user=user, seat=seat, day=day, booked_by=booked_by, savepoint=False
            )
    _ensure_person_may_book(user=user, day=day)  # "already booked" says more than "full"
    raise NoFreeSeat()


def _locked_booking(pk: int) -> SeatBooking:
    return (
        SeatBooking.objects.select_for_update(of=("self",))
        .select_related("seat__pod__centre")
        .get(pk=pk)
    )


def may_manage_booking(booking: SeatBooking, user: User) -> bool:
    """The person; staff who may change bookings at the booking's centre (the permission
    and the scope: the staff flag alone is not enough); or an admin of the company whose
    pod the seat is in."""
    if booking.user_id == user.pk:
        return True
    if may_act_on(user, booking.seat.pod.centre_id, "bookings.change_seatbooking"):
        return True
    return (
        booking.company_id is not None
        and Membership.objects.filter(
            company_id=booking.company_id, user=user, role=Membership.Role.ADMIN
        ).exists()
    )


def cancellation_deadline(booking: SeatBooking) -> datetime:
    centre = booking.seat.pod.centre
    opens = timezone.make_aware(datetime.combine(booking.day, centre.opens_at))
    return opens - timedelta(hours=centre.cancellation_cutoff_hours)


@locking_transaction
def cancel_booking(
    *, booking: SeatBooking, by: User, now: datetime | None = None, enforce_cutoff: bool = True
) -> SeatBooking:
    """Cancel a booking before the centre's cutoff. Staff may pass enforce_cutoff=False."""
    now = now or timezone.now()
    booking = _locked_booking(booking.pk)
    if not may_manage_booking(booking, by):
        raise NotYourBooking()
    if booking.status != SeatBooking.Status.BOOKED:
        raise BookingNotActive()
    if enforce_cutoff and now >= cancellation_deadline(booking):
        raise CancellationTooLate()
    booking.status = SeatBooking.Status.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    announce_seat_freed(centre_id=booking.seat.pod.centre_id, day=booking.day)
    return booking


@locking_transaction
def check_in(
    *, booking: SeatBooking, now: datetime | None = None, by: User | None = None
) -> SeatBooking:
    """Check a booking in on its day, while the centre is open. Checking in twice is a no-op.

    `by` is the staff member at the desk, if it is not the person themselves at the door:
    they need the permission and the booking's centre in their scope."""
    now = timezone.localtime(now)
    booking = _locked_booking(booking.pk)
    if by is not None and not may_manage_booking(booking, by):
        raise NotYourBooking()
    if booking.status == SeatBooking.Status.CHECKED_IN:
        return booking
    if booking.status != SeatBooking.Status.BOOKED:
        raise BookingNotActive()
    centre = booking.seat.pod.centre
    # Only while the centre is open: the code at the door is no use from home at dawn.
    if booking.day != now.date() or not centre.opens_at <= now.time() < centre.closes_at:
        raise CheckInNotOpen()
    booking.status = SeatBooking.Status.CHECKED_IN
    booking.checked_in_at = now
    booking.save(update_fields=["status", "checked_in_at"])
    return booking


def check_in_at_centre(*, user: User, centre: Centre, now: datetime | None = None) -> SeatBooking:
    """The QR code at the entrance: check `user` in for today's booking at `centre`."""
    today = timezone.localdate(now)
    booking = SeatBooking.objects.filter(
        user=user, day=today, seat__pod__centre=centre, status__in=SeatBooking.ACTIVE
    ).first()
    if booking is None:
        raise NoBookingHereToday()
    return check_in(booking=booking, now=now)


# -- pod reservations -------------------------------------------------------------------


def reservation_days(
    *, centre: Centre, first_day: date, last_day: date, weekday_mask: int, today: date
) -> list[date]:
    """The days a reservation covers: chosen weekdays the centre is open, from today on."""
    closed = set(
        centre.closures.filter(day__range=(first_day, last_day)).values_list("day", flat=True)
    )
    day, days = max(first_day, today), []
    while day <= last_day:
        if (
            weekdays.includes(weekday_mask, day)
            and weekdays.includes(centre.open_weekdays, day)
            and day not in closed
        ):
            days.append(day)
        day += timedelta(days=1)
    return days


def _locked_reservation(pk: int) -> PodReservation:
    return (
        PodReservation.objects.select_for_update(of=("self",))
        .select_related("company", "pod__centre")
        .get(pk=pk)
    )


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
    today = timezone.localdate()
    if (
        first_day < today
        or first_day > today + timedelta(days=MAX_RESERVATION_DAYS)
        or last_day < first_day
        or (last_day - first_day).days >= MAX_RESERVATION_DAYS
        or not 1 <= weekday_mask <= weekdays.ALL_DAYS
    ):
        raise InvalidReservationDates()
    if centre.status != Centre.Status.OPEN or not pod.is_active:
        raise CentreNotOpen()
    days = reservation_days(
        centre=centre,
        first_day=first_day,
        last_day=last_day,
        weekday_mask=weekday_mask,
        today=today,
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
    reservation = _locked_reservation(reservation.pk)
    if reservation.status != PodReservation.Status.REQUESTED:
        raise ReservationNotPending()
    if not reservation.company.is_approved:
        raise CompanyNotApproved()
    days = reservation_days(
        centre=reservation.pod.centre,
        first_day=reservation.first_day,
        last_day=reservation.last_day,
        weekday_mask=reservation.weekdays,
        today=timezone.localdate(),
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
    reservation = _locked_reservation(reservation.pk)
    _ensure_company_admin(reservation.company, by, centre_id=reservation.pod.centre_id)
    now = now or timezone.now()
    local = timezone.localtime(now)
    # Today can be given up only before the centre opens: a day in use is billed.
    first_free_day = local.date()
    if local.time() >= reservation.pod.centre.opens_at:
        first_free_day += timedelta(days=1)
    start = max(from_day or first_free_day, first_free_day)
    if reservation.status == PodReservation.Status.REQUESTED:
        reservation.status = PodReservation.Status.CANCELLED
        reservation.cancelled_at = now
        reservation.save(update_fields=["status", "cancelled_at"])
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
    return reservation


# -- company pods: availability over a range and seat assignment (issue 4) ---------------


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
        centre=centre,
        first_day=first_day,
        last_day=last_day,
        weekday_mask=weekday_mask,
        today=timezone.localdate(),
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
                bookings.append(_book(user=member, seat=seat, day=day, booked_by=by))
        except BookingError as error:
            raise AssignmentRefused(day=day, error=error) from error
    return bookings


# -- several days at once (issue 3) ----------------------------------------------------


# -- members leaving a company ----------------------------------------------------------


@locking_transaction(durable=False)
def remove_member(
    *, company: Company, user: User, by: User, today: date | None = None
) -> list[SeatBooking]:
    """Take `user` out of `company`. Their bookings in the company's pods from today on that
    are not yet checked in are cancelled, and they are told by email. Returns those bookings.
    """
    end_membership(company=company, user=user, by=by)  # locks the memberships first
    today = today or timezone.localdate()
    now = timezone.now()
    cancelled = list(
        SeatBooking.objects.select_for_update(of=("self",))
        .filter(user=user, company=company, day__gte=today, status=SeatBooking.Status.BOOKED)
        .select_related("seat__pod__centre")
        .order_by("day")
    )
    SeatBooking.objects.filter(pk__in=[b.pk for b in cancelled]).update(
        status=SeatBooking.Status.CANCELLED, cancelled_at=now
    )
    for booking in cancelled:
        announce_seat_freed(centre_id=booking.seat.pod.centre_id, day=booking.day)
    company_emails.send_on_commit(
        template="member_removed",
        to=[user.email],
        context={"company": company, "cancelled": cancelled},
    )
    return cancelled


@dataclass
class DayBooked:
    """What happened to one day of `book_days`: a booking, or the reason there is none."""

    day: date
    booking: SeatBooking | None = None
    error: Exception | None = None


def book_days(
    *, user: User, centre: Centre, days: list[date], seat: Seat | None = None
) -> list[DayBooked]:
    """Book `seat` (or any free seat) at `centre` on each of `days`, one day at a time.

    Each day is its own service call and transaction: a day that cannot be booked is
    reported with its reason and leaves nothing behind, and the other days still go ahead.
    """
    if seat is not None and seat.pod.centre_id != centre.pk:
        raise SeatNotBookable()
    outcomes = []
    for day in sorted(set(days)):
        try:
            if seat is not None:
                booking = book_seat(user=user, seat=seat, day=day)
            else:
                booking = book_any_seat(user=user, centre=centre, day=day)
        except (DomainError, Busy) as error:  # a busy day is reported; the others go ahead
            outcomes.append(DayBooked(day=day, error=error))
        else:
            outcomes.append(DayBooked(day=day, booking=booking))
    return outcomes
