"""Pod reservations: per-day rows, all or nothing, and rule 5 both ways."""

from datetime import timedelta

import pytest

from bookings.core.days import takes_bookings
from bookings.core.errors import (
    CompanyNotApproved,
    InvalidReservationDates,
    NoDaysToReserve,
    NotCompanyAdmin,
    PodAlreadyReserved,
    PodHeldByOutsiders,
    PodReserved,
    ReservationNotPending,
)
from bookings.core.reservations import (
    cancel_pod_reservation,
    confirm_pod_reservation,
    reject_pod_reservation,
    request_pod_reservation,
)
from bookings.core.services import book_any_seat, book_seat
from bookings.models import PodReservation, ReservedPodDay, SeatBooking
from companies.models import Company
from tests.support.factories import CompanyFactory, MembershipFactory
from wnh import weekdays


@pytest.fixture
def fortnight(next_open_day):
    return next_open_day, next_open_day + timedelta(days=13)


def reserve(company, admin, pod, first, last, mask=weekdays.ALL_DAYS):
    return request_pod_reservation(
        company=company,
        pod=pod,
        first_day=first,
        last_day=last,
        weekday_mask=mask,
        requested_by=admin,
    )


def test_confirming_writes_one_row_per_open_chosen_day(
    company, company_admin, staff_user, pod, fortnight
):
    reservation = reserve(company, company_admin, pod, *fortnight, mask=weekdays.MONDAY_TO_FRIDAY)

    confirm_pod_reservation(reservation=reservation, decided_by=staff_user)

    days = list(ReservedPodDay.objects.values_list("day", flat=True))
    assert len(days) == 10  # two weeks of Monday to Friday
    assert all(day.weekday() < 5 for day in days)
    reservation.refresh_from_db()
    assert reservation.status == PodReservation.Status.CONFIRMED
    assert reservation.decided_by == staff_user


def test_an_outsider_cannot_book_a_seat_in_a_reserved_pod(
    company, company_admin, staff_user, professional, pod, fortnight
):
    confirm_pod_reservation(
        reservation=reserve(company, company_admin, pod, *fortnight), decided_by=staff_user
    )

    with pytest.raises(PodReserved):
        book_seat(user=professional, seat=pod.seats.first(), day=fortnight[0])
    assert not SeatBooking.objects.exists()


def test_any_seat_skips_pods_reserved_for_others(
    company, company_admin, staff_user, professional, pod, fortnight
):
    from tests.support.factories import PodFactory

    open_pod = PodFactory(centre=pod.centre, code="Z1", capacity=4)
    confirm_pod_reservation(
        reservation=reserve(company, company_admin, pod, *fortnight), decided_by=staff_user
    )

    booking = book_any_seat(user=professional, centre=pod.centre, day=fortnight[0])

    assert booking.seat.pod == open_pod


def test_a_member_books_inside_the_company_pod_and_the_booking_carries_the_company(
    company, company_admin, company_member, staff_user, pod, fortnight
):
    confirm_pod_reservation(
        reservation=reserve(company, company_admin, pod, *fortnight), decided_by=staff_user
    )

    booking = book_seat(user=company_member, seat=pod.seats.first(), day=fortnight[0])

    assert booking.company == company


def test_a_member_of_another_company_cannot_book_in_the_pod(
    company, company_admin, staff_user, pod, fortnight
):
    confirm_pod_reservation(
        reservation=reserve(company, company_admin, pod, *fortnight), decided_by=staff_user
    )
    stranger = MembershipFactory(company=CompanyFactory(name="Other Co")).user

    with pytest.raises(PodReserved):
        book_seat(user=stranger, seat=pod.seats.first(), day=fortnight[0])


def test_members_of_a_suspended_company_cannot_book_its_pod(
    company, company_admin, company_member, staff_user, pod, fortnight
):
    confirm_pod_reservation(
        reservation=reserve(company, company_admin, pod, *fortnight), decided_by=staff_user
    )
    Company.objects.filter(pk=company.pk).update(status=Company.Status.SUSPENDED)

    with pytest.raises(CompanyNotApproved):
        book_seat(user=company_member, seat=pod.seats.first(), day=fortnight[0])


def test_a_pod_cannot_be_reserved_over_an_outsiders_booking(
    company, company_admin, staff_user, professional, pod, fortnight
):
    day = fortnight[0] + timedelta(days=2)  # a few days in, on a day the centre is open
    while not takes_bookings(pod.centre, day):
        day += timedelta(days=1)
    book_seat(user=professional, seat=pod.seats.first(), day=day)
    reservation = reserve(company, company_admin, pod, *fortnight)

    with pytest.raises(PodHeldByOutsiders) as refused:
        confirm_pod_reservation(reservation=reservation, decided_by=staff_user)

    assert refused.value.days == [day]
    assert not ReservedPodDay.objects.exists()
    reservation.refresh_from_db()
    assert reservation.status == PodReservation.Status.REQUESTED


def test_a_members_earlier_booking_joins_the_reservation(
    company, company_admin, company_member, staff_user, pod, fortnight
):
    booking = book_seat(user=company_member, seat=pod.seats.first(), day=fortnight[0])

    confirm_pod_reservation(
        reservation=reserve(company, company_admin, pod, *fortnight), decided_by=staff_user
    )

    booking.refresh_from_db()
    assert booking.company == company


def test_a_conflict_on_one_day_confirms_none_of_it(
    company, company_admin, staff_user, pod, fortnight
):
    other = CompanyFactory(name="Rival Systems")
    other_admin = MembershipFactory(company=other, role="admin").user
    a_week_on = fortnight[0] + timedelta(days=7)  # the same weekday: the centre is open
    confirm_pod_reservation(
        reservation=reserve(other, other_admin, pod, a_week_on, a_week_on), decided_by=staff_user
    )
    reservation = reserve(company, company_admin, pod, *fortnight)

    with pytest.raises(PodAlreadyReserved) as refused:
        confirm_pod_reservation(reservation=reservation, decided_by=staff_user)

    assert refused.value.days == [a_week_on]
    assert ReservedPodDay.objects.filter(company=company).count() == 0
    assert ReservedPodDay.objects.count() == 1
    reservation.refresh_from_db()
    assert reservation.status == PodReservation.Status.REQUESTED


def test_only_a_company_admin_may_request(company, company_member, pod, fortnight):
    with pytest.raises(NotCompanyAdmin):
        reserve(company, company_member, pod, *fortnight)
    assert not PodReservation.objects.exists()


def test_a_pending_company_may_not_request(company, company_admin, pod, fortnight):
    Company.objects.filter(pk=company.pk).update(status=Company.Status.PENDING)
    company.refresh_from_db()

    with pytest.raises(CompanyNotApproved):
        reserve(company, company_admin, pod, *fortnight)


@pytest.mark.parametrize(
    ("first_offset", "last_offset"),
    [(-1, 5), (5, 4), (1, 400)],
    ids=["starts-in-the-past", "ends-before-it-starts", "longer-than-a-year"],
)
def test_bad_reservation_dates_are_refused(
    company, company_admin, pod, today, first_offset, last_offset
):
    with pytest.raises(InvalidReservationDates):
        reserve(
            company,
            company_admin,
            pod,
            today + timedelta(days=first_offset),
            today + timedelta(days=last_offset),
        )
    assert not PodReservation.objects.exists()


def test_a_range_with_no_open_day_is_refused(company, company_admin, pod, today):
    sunday = today + timedelta(days=(6 - today.weekday()) or 7)  # the centre is Mon-Sat

    with pytest.raises(NoDaysToReserve):
        reserve(company, company_admin, pod, sunday, sunday)


def test_a_centre_may_confirm_approved_companies_at_once(company, company_admin, pod, fortnight):
    pod.centre.auto_confirm_pod_reservations = True
    pod.centre.save()

    reservation = reserve(company, company_admin, pod, *fortnight)

    assert reservation.status == PodReservation.Status.CONFIRMED
    assert ReservedPodDay.objects.filter(reservation=reservation).count() == 12  # Mon-Sat


def test_a_confirmed_reservation_cannot_be_confirmed_or_rejected_again(
    company, company_admin, staff_user, pod, fortnight
):
    reservation = reserve(company, company_admin, pod, *fortnight)
    confirm_pod_reservation(reservation=reservation, decided_by=staff_user)

    with pytest.raises(ReservationNotPending):
        confirm_pod_reservation(reservation=reservation, decided_by=staff_user)
    with pytest.raises(ReservationNotPending):
        reject_pod_reservation(reservation=reservation, decided_by=staff_user)


def test_cancelling_from_a_day_frees_the_pod_from_then_on(
    company, company_admin, staff_user, professional, pod, fortnight
):
    reservation = reserve(company, company_admin, pod, *fortnight)
    confirm_pod_reservation(reservation=reservation, decided_by=staff_user)
    from_day = fortnight[0] + timedelta(days=7)

    cancel_pod_reservation(reservation=reservation, by=company_admin, from_day=from_day)

    active = ReservedPodDay.objects.filter(cancelled_at__isnull=True)
    assert all(day < from_day for day in active.values_list("day", flat=True))
    assert book_seat(user=professional, seat=pod.seats.first(), day=from_day)
    with pytest.raises(PodReserved):
        book_seat(user=professional, seat=pod.seats.first(), day=fortnight[0])
    reservation.refresh_from_db()
    assert reservation.status == PodReservation.Status.CONFIRMED


def test_a_member_cannot_cancel_the_company_reservation(
    company, company_admin, company_member, staff_user, pod, fortnight
):
    reservation = reserve(company, company_admin, pod, *fortnight)
    confirm_pod_reservation(reservation=reservation, decided_by=staff_user)

    with pytest.raises(NotCompanyAdmin):
        cancel_pod_reservation(reservation=reservation, by=company_member)
    assert not ReservedPodDay.objects.filter(cancelled_at__isnull=False).exists()


def test_the_database_refuses_two_active_reservations_of_a_pod_day(
    company, company_admin, staff_user, pod, fortnight
):
    from django.db import IntegrityError, transaction

    reservation = reserve(company, company_admin, pod, *fortnight)
    confirm_pod_reservation(reservation=reservation, decided_by=staff_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReservedPodDay.objects.create(
            pod=pod, day=fortnight[0], reservation=reservation, company=company
        )


def test_a_company_suspended_after_it_was_loaded_still_may_not_request(
    company, company_admin, pod, fortnight
):
    Company.objects.filter(pk=company.pk).update(status=Company.Status.SUSPENDED)

    with pytest.raises(CompanyNotApproved):
        reserve(company, company_admin, pod, *fortnight)  # `company` still says approved
    assert not PodReservation.objects.exists()


def todays_reservation(company, company_admin, staff_user, pod, today):
    pod.centre.open_weekdays = weekdays.ALL_DAYS
    pod.centre.save()
    reservation = reserve(company, company_admin, pod, today, today + timedelta(days=2))
    return confirm_pod_reservation(reservation=reservation, decided_by=staff_user)


def test_today_can_be_given_up_before_the_centre_opens(
    company, company_admin, staff_user, pod, today
):
    from datetime import datetime, time

    from django.utils import timezone

    reservation = todays_reservation(company, company_admin, staff_user, pod, today)
    early = timezone.make_aware(datetime.combine(today, time(7, 30)))  # opens at 08:00

    cancel_pod_reservation(reservation=reservation, by=company_admin, now=early)

    assert not ReservedPodDay.objects.filter(cancelled_at__isnull=True).exists()


def test_today_in_use_is_kept_and_billed_when_the_rest_is_given_up(
    company, company_admin, staff_user, pod, today
):
    from datetime import datetime, time

    from django.utils import timezone

    reservation = todays_reservation(company, company_admin, staff_user, pod, today)
    evening = timezone.make_aware(datetime.combine(today, time(19, 0)))

    cancel_pod_reservation(reservation=reservation, by=company_admin, from_day=today, now=evening)

    kept = ReservedPodDay.objects.filter(cancelled_at__isnull=True)
    assert list(kept.values_list("day", flat=True)) == [today]
