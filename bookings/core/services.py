"""The writes of seat bookings: book a seat or any seat, one day or several, cancel, check
in, and what a member's leaving does to their bookings. Every write to SeatBooking goes
through this module or another service of the rules core (no-shows, reminders' claims,
pod reservations), each owning its transaction.

The rules they apply live beside them: which days (bookings.core.days), which pods
(bookings.core.pods), which locks in which order (bookings.core.locks).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.scopes import may_act_on
from bookings.core import check_in_codes, events
from bookings.core.booking_statements import (
    FIRST_FREE_SEAT,
    POD_RESERVED,
    PODS_TO_TRY,
    free_seats_of_pod,
)
from bookings.core.compiled import Compiled
from bookings.core.days import cancellation_deadline, check_in_refusal, ensure_bookable
from bookings.core.demand import records_turned_away
from bookings.core.errors import (
    AlreadyBookedThatDay,
    BookingNotActive,
    CancellationTooLate,
    CheckInCodeExpired,
    NoBookingHereToday,
    NoFreeSeat,
    NotYourBooking,
    SeatNotBookable,
    SeatTaken,
    TooManyWrongCodes,
    WrongCheckInCode,
)
from bookings.core.hooks import announce_seat_freed
from bookings.core.locks import lock_pod, locked_booking
from bookings.core.noshows import ensure_may_book_ahead
from bookings.core.pods import company_of_pod_day
from bookings.models import SeatBooking
from centres.models import Centre, Seat
from companies import emails as company_emails
from companies.models import Company, Membership
from companies.services import end_membership
from wnh import metrics
from wnh.db import Busy, locking_transaction
from wnh.errors import DomainError


def booking_conflict(error: IntegrityError) -> Exception:
    """Name the rule a failed insert broke. SQLite names columns, PostgreSQL the constraint."""
    text = str(error)
    if "one_active_booking_per_person_day" in text or "seatbooking.user_id" in text:
        return AlreadyBookedThatDay()
    return SeatTaken()


def active_bookings_on(day: date):
    """Bookings that hold a seat on `day` (booked or checked in): rules 2 and 3."""
    return SeatBooking.objects.filter(day=day, status__in=SeatBooking.ACTIVE)


# Asked on every booking: compiled once (bookings.core.compiled).
_BOOKED_THAT_DAY = Compiled(
    lambda *, day, user: active_bookings_on(day).filter(user=user).values_list("pk")[:1],
    day=date,
    user=User,
)


def ensure_not_booked_that_day(*, user: User, day: date) -> None:
    """Friendlier than the constraint (rule 3), which still has the last word."""
    if _BOOKED_THAT_DAY.rows(day=day, user=user):
        raise AlreadyBookedThatDay()


def _ensure_person_may_book(*, user: User, day: date) -> None:
    ensure_may_book_ahead(user=user, day=day)  # the no-show rule limits booking ahead
    ensure_not_booked_that_day(user=user, day=day)


def _insert_booking(
    *, user: User, seat: Seat, day: date, booked_by: User | None, savepoint: bool = True
) -> SeatBooking:
    """The write itself. The caller holds the seat's pod lock (rule 5 is checked under it).

    `savepoint=False` when the caller gives up at the first conflict: the constraint's
    error then rolls back the caller's whole transaction, and the savepoint's two round
    trips are saved."""
    company = None
    if POD_RESERVED.rows(pod_id=seat.pod_id, day=day):  # most pods are not, that day
        company = company_of_pod_day(user=user, pod_id=seat.pod_id, day=day)
    try:
        with transaction.atomic(savepoint=savepoint):  # the constraint decides a race
            booking = metrics.booking_made(
                SeatBooking.objects.create(
                    user=user, seat=seat, day=day, company=company, booked_by=booked_by or user
                )
            )
    except IntegrityError as error:
        raise booking_conflict(error) from error
    events.booking_made(booking)
    return booking


def book_in_transaction(
    *, user: User, seat: Seat, day: date, booked_by: User | None = None
) -> SeatBooking:
    """Book inside the caller's transaction (a waitlist offer taken, a company admin's
    assignment). The caller has checked the centre and day, and owns the transaction."""
    if not (seat.is_active and seat.pod.is_active):
        raise SeatNotBookable()
    _ensure_person_may_book(user=user, day=day)
    lock_pod(seat.pod_id)
    return _insert_booking(user=user, seat=seat, day=day, booked_by=booked_by)


@records_turned_away
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


@records_turned_away
@metrics.counts_refusals
@locking_transaction
def book_any_seat(
    *, user: User, centre: Centre, day: date, booked_by: User | None = None
) -> SeatBooking:
    """Book the first free seat in `centre` on `day`: the member's company pod first.

    The pods with free seats come from the booked-seat counts (bookings.core.pods);
    the seat is then chosen under its pod's lock, so people asking for "any seat" at once
    queue pod by pod instead of all racing for the same first free seat: nobody is told
    the centre is full while a seat is left. A count that lags only sends the search to
    the next pod; the unique constraints decide.
    """
    ensure_bookable(centre=centre, day=day)
    ensure_may_book_ahead(user=user, day=day)
    booking = book_first_free_seat(user=user, centre=centre, day=day, booked_by=booked_by)
    if booking is None:
        _ensure_person_may_book(user=user, day=day)  # "already booked" says more than "full"
        raise NoFreeSeat()
    return booking


def book_first_free_seat(
    *,
    user: User,
    centre: Centre,
    day: date,
    booked_by: User | None = None,
    leave_out: Iterable[int] = (),
    within_caller: bool = False,
) -> SeatBooking | None:
    """The search of "any seat", inside the caller's transaction: the first free seat of the
    pods `user` may use, their company's pod first, but for the seats in `leave_out` (held
    by waitlist offers). None when there is none.

    `within_caller=True` when the caller goes on after a refusal (a waitlist offer taken):
    each insert then has its savepoint, so a lost race leaves the caller's transaction
    usable; otherwise the first conflict ends it."""
    leave_out = list(leave_out)
    for (pod_id,) in PODS_TO_TRY.rows(day=day, user=user, centre_id=centre.pk):
        pod = lock_pod(pod_id, bounded=False)
        # A fresh look, now that we hold the pod.
        if leave_out:
            seat = free_seats_of_pod(day=day, pod_id=pod_id).exclude(pk__in=leave_out).first()
        else:
            seat = next(iter(FIRST_FREE_SEAT.objects(day=day, pod_id=pod_id)), None)
        if seat is not None:
            pod.centre = centre
            seat.pod = pod
            return _insert_booking(
                user=user, seat=seat, day=day, booked_by=booked_by, savepoint=within_caller
            )
    return None


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
        and Membership.admins_of(booking.company_id).filter(user=user).exists()
    )


@locking_transaction
def cancel_booking(
    *,
    booking: SeatBooking | int,
    by: User,
    now: datetime | None = None,
    enforce_cutoff: bool = True,
) -> SeatBooking:
    """Cancel a booking (or the booking of that id) before the centre's cutoff. Staff may pass
    enforce_cutoff=False. An id that is no booking is refused as not yours: the answer tells
    nobody which ids exist."""
    now = now or timezone.now()
    try:
        booking = locked_booking(booking if isinstance(booking, int) else booking.pk)
    except SeatBooking.DoesNotExist:
        raise NotYourBooking() from None
    if not may_manage_booking(booking, by):
        raise NotYourBooking()
    if booking.status != SeatBooking.Status.BOOKED:
        raise BookingNotActive()
    if enforce_cutoff and now >= cancellation_deadline(booking.seat.pod.centre, booking.day):
        raise CancellationTooLate()
    booking.status = SeatBooking.Status.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    announce_seat_freed(centre_id=booking.seat.pod.centre_id, day=booking.day)
    events.bookings_cancelled([booking])
    return booking


@locking_transaction
def check_in(
    *, booking: SeatBooking, now: datetime | None = None, by: User | None = None
) -> SeatBooking:
    """Check a booking in on its day, while the centre is open. Checking in twice is a no-op.

    `by` is the staff member at the desk, if it is not the person themselves at the door:
    they need the permission and the booking's centre in their scope."""
    now = timezone.localtime(now)
    booking = locked_booking(booking.pk)
    if by is not None and not may_manage_booking(booking, by):
        raise NotYourBooking()
    if booking.status == SeatBooking.Status.CHECKED_IN:
        return booking
    if booking.status != SeatBooking.Status.BOOKED:
        raise BookingNotActive()
    refused = check_in_refusal(booking.seat.pod.centre, booking.day, now=now)
    if refused is not None:
        raise refused
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


def check_in_with_code(
    *, user: User, centre: Centre, code: str, now: datetime | None = None
) -> SeatBooking:
    """Check `user` in at `centre` with the six digits its entrance screen shows (the page's
    form and the API both come here). Five wrong codes stop a person's tries for half an
    hour; an expired code and a wrong one are told apart."""
    if check_in_codes.too_many_failed_codes(user):
        raise TooManyWrongCodes()
    verdict = check_in_codes.check_typed_code(centre, code, at=now)
    if verdict is check_in_codes.Verdict.GOOD:
        return check_in_at_centre(user=user, centre=centre, now=now)
    check_in_codes.note_failed_code(user)
    if verdict is check_in_codes.Verdict.EXPIRED:
        raise CheckInCodeExpired()
    raise WrongCheckInCode()


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
        booking.status, booking.cancelled_at = SeatBooking.Status.CANCELLED, now
        announce_seat_freed(centre_id=booking.seat.pod.centre_id, day=booking.day)
    events.bookings_cancelled(cancelled)
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


def claim_reminder(*, booking_id: int, field: str, now: datetime) -> SeatBooking | None:
    """Claim one booking's reminder (`field` is its "sent" marker) inside the caller's
    transaction, which sends the mail before it commits (bookings.operations.reminders).

    None when it was already sent, another worker is sending it right now (its row is
    locked: skipped, not waited for), or the booking is no longer active. The UPDATE's WHERE
    is the last word where the row lock is a no-op (SQLite)."""
    booking = (
        SeatBooking.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("user", "seat__pod__centre")
        .filter(pk=booking_id, status=SeatBooking.Status.BOOKED, **{field: None})
        .first()
    )
    if booking is None:
        return None
    claimed = SeatBooking.objects.filter(pk=booking_id, **{field: None}).update(**{field: now})
    return booking if claimed else None
