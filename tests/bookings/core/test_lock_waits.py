"""A lock wait that runs out inside any booking, reservation or membership service answers
503 "busy, try again" with Retry-After, through the API and the pages alike, and changes
nothing.

Each test holds a lock from a second PostgreSQL connection (a thread with its own
connection and an open transaction: a row lock, or an uncommitted insert under a unique
index) while the request waits WNH_LOCK_TIMEOUT_MS for it.
"""

import threading
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse

from bookings.core.reservations import confirm_pod_reservation, request_pod_reservation
from bookings.core.services import book_seat
from bookings.models import PodReservation, ReservedPodDay, SeatBooking
from centres.models import Pod
from companies.models import Membership
from tests.support.factories import CentreFactory, PodFactory, UserFactory
from tests.support.second_factor import force_login_staff
from wnh import weekdays

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def short_lock_waits(settings):
    settings.WNH_LOCK_TIMEOUT_MS = 200


@contextmanager
def held_elsewhere(work: Callable[[], object]):
    """Run `work` in a transaction on a second connection and keep that transaction open
    (its locks held, its inserts uncommitted) until the block ends; then roll it back."""
    holding, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                work()
                holding.set()
                release.wait(timeout=30)
                transaction.set_rollback(True)
        except BaseException as error:  # reported to the test below
            failures.append(error)
            holding.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(timeout=10)
        assert not failures, failures
        yield
    finally:
        release.set()
        holder.join(timeout=30)


def assert_busy(response, *, json: bool) -> None:
    assert response.status_code == 503, (response.status_code, response.content[:300])
    assert int(response["Retry-After"]) > 0
    if json:
        assert response.json()["code"] == "busy"
    else:
        assert response["Content-Type"].startswith("text/html")
        assert "try again" in response.content.decode()


def lock_row(model, **lookup) -> Callable[[], object]:
    return lambda: model.objects.select_for_update().get(**lookup)


@pytest.fixture
def signed_in(client, professional):
    client.force_login(professional)
    return client


# -- booking a seat while the same person's booking that day is uncommitted elsewhere ---------


@pytest.fixture
def booking_elsewhere(professional, next_open_day):
    """The person's booking at another centre, inserted by another session, not committed:
    this booking waits on the one-booking-per-person-per-day index."""
    elsewhere = PodFactory(centre=CentreFactory(name="Elsewhere")).seats.first()
    return lambda: SeatBooking.objects.create(user=professional, seat=elsewhere, day=next_open_day)


def test_booking_through_the_api_while_the_persons_day_is_taken_elsewhere_is_busy(
    signed_in, seat, next_open_day, booking_elsewhere
):
    body = {"centre": seat.pod.centre.slug, "day": str(next_open_day), "seat": seat.pk}
    with held_elsewhere(booking_elsewhere):
        response = signed_in.post(reverse("api-bookings"), body, content_type="application/json")
    assert_busy(response, json=True)
    assert not SeatBooking.objects.exists()


def test_booking_through_the_form_while_the_persons_day_is_taken_elsewhere_is_busy(
    signed_in, seat, next_open_day, booking_elsewhere
):
    url = reverse("centres:book", args=[seat.pod.centre.slug])
    with held_elsewhere(booking_elsewhere):
        response = signed_in.post(url, {"day": next_open_day.isoformat(), "seat": seat.pk})
    assert_busy(response, json=False)
    assert not SeatBooking.objects.exists()


def test_booking_several_days_reports_the_busy_day_and_books_the_others(
    professional, seat, next_open_day, booking_elsewhere
):
    from bookings.core.services import book_days

    week_later = next_open_day + timedelta(days=7)  # the same weekday: open too
    with held_elsewhere(booking_elsewhere):
        outcomes = book_days(
            user=professional, centre=seat.pod.centre, days=[next_open_day, week_later]
        )
    assert [bool(outcome.booking) for outcome in outcomes] == [False, True]
    assert outcomes[0].error.code == "busy"


# -- booking into a company pod while the membership row is locked ---------------------------


@pytest.fixture
def company_pod(company, company_admin, next_open_day):
    pod = PodFactory(centre=CentreFactory(name="Company centre"))
    reservation = request_pod_reservation(
        company=company,
        pod=pod,
        first_day=next_open_day,
        last_day=next_open_day,
        weekday_mask=weekdays.ALL_DAYS,
        requested_by=company_admin,
    )
    confirm_pod_reservation(
        reservation=reservation, decided_by=UserFactory(is_staff=True, is_superuser=True)
    )
    return pod


def test_booking_into_a_company_pod_while_the_membership_is_locked_is_busy(
    client, company, company_member, company_pod, next_open_day
):
    client.force_login(company_member)
    seat = company_pod.seats.first()
    body = {"centre": company_pod.centre.slug, "day": str(next_open_day), "seat": seat.pk}
    with held_elsewhere(lock_row(Membership, company=company, user=company_member)):
        response = client.post(reverse("api-bookings"), body, content_type="application/json")
    assert_busy(response, json=True)
    assert not SeatBooking.objects.exists()


def test_booking_into_a_company_pod_through_the_form_while_the_membership_is_locked_is_busy(
    client, company, company_member, company_pod, next_open_day
):
    client.force_login(company_member)
    url = reverse("centres:book", args=[company_pod.centre.slug])
    data = {"day": next_open_day.isoformat(), "seat": company_pod.seats.first().pk}
    with held_elsewhere(lock_row(Membership, company=company, user=company_member)):
        response = client.post(url, data)
    assert_busy(response, json=False)
    assert not SeatBooking.objects.exists()


# -- reserving and confirming a pod while the pod is locked -----------------------------------


def test_reserving_a_pod_while_the_pod_is_locked_is_busy(
    client, company, company_admin, next_open_day
):
    pod = PodFactory(centre=CentreFactory(name="Auto", auto_confirm_pod_reservations=True))
    client.force_login(company_admin)
    data = {
        "centre": pod.centre_id,
        "pod": pod.pk,
        "first_day": next_open_day.isoformat(),
        "last_day": next_open_day.isoformat(),
        "weekdays": list(range(7)),
        "confirm": "yes",
    }
    with held_elsewhere(lock_row(Pod, pk=pod.pk)):
        response = client.post(reverse("companies:reserve", args=[company.slug]), data)
    assert_busy(response, json=False)
    assert not PodReservation.objects.exists()


def test_confirming_a_reservation_in_the_admin_while_the_pod_is_locked_is_busy(
    client, company, company_admin, pod, next_open_day
):
    reservation = request_pod_reservation(
        company=company,
        pod=pod,
        first_day=next_open_day,
        last_day=next_open_day,
        weekday_mask=weekdays.ALL_DAYS,
        requested_by=company_admin,
    )
    force_login_staff(
        client, UserFactory(email="officer@kdisc.example", is_staff=True, is_superuser=True)
    )
    data = {"action": "confirm_selected", "_selected_action": [reservation.pk]}
    with held_elsewhere(lock_row(Pod, pk=pod.pk)):
        response = client.post(reverse("admin:bookings_podreservation_changelist"), data)
    assert_busy(response, json=False)
    reservation.refresh_from_db()
    assert reservation.status == PodReservation.Status.REQUESTED
    assert not ReservedPodDay.objects.exists()


# -- cancelling while the booking or the reservation is locked --------------------------------


@pytest.fixture
def booking(professional, seat, next_open_day):
    return book_seat(user=professional, seat=seat, day=next_open_day)


@pytest.mark.parametrize("path", ["api", "page"])
def test_cancelling_a_booking_while_it_is_locked_is_busy(signed_in, booking, path):
    """Staff checking the person in, or a no-show sweep, holds the booking's row."""
    url = (
        reverse("api-booking-cancel", kwargs={"booking_id": booking.pk})
        if path == "api"
        else reverse("bookings:cancel", args=[booking.pk])
    )
    with held_elsewhere(lock_row(SeatBooking, pk=booking.pk)):
        response = signed_in.post(url)
    assert_busy(response, json=path == "api")
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.BOOKED


def test_cancelling_a_pod_reservation_while_its_pod_is_locked_is_busy(
    client, company, company_admin, company_pod, next_open_day
):
    reservation = PodReservation.objects.get(pod=company_pod)
    client.force_login(company_admin)
    url = reverse("companies:cancel_reservation", args=[company.slug, reservation.pk])
    with held_elsewhere(lock_row(Pod, pk=company_pod.pk)):
        response = client.post(url, {"from_day": next_open_day.isoformat()})
    assert_busy(response, json=False)
    assert ReservedPodDay.objects.filter(cancelled_at__isnull=True).count() == 1


# -- removing a member while a booking holds their membership ---------------------------------


def test_removing_a_member_while_their_membership_is_locked_is_busy(
    client, company, company_admin, company_member
):
    client.force_login(company_admin)
    membership = Membership.objects.get(company=company, user=company_member)
    url = reverse("companies:remove_member", args=[company.slug, membership.pk])
    with held_elsewhere(lock_row(Membership, pk=membership.pk)):
        response = client.post(url)
    assert_busy(response, json=False)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_lock_wait_that_escapes_a_service_is_busy_too(signed_in, monkeypatch):
    """The safety net: a lock-timeout OperationalError from code no service wraps still
    answers 503, mapped in the same place."""
    from django.db import OperationalError

    from bookings.my_bookings import views

    class LockNotAvailable(Exception):
        pgcode = "55P03"

    def waits_too_long(**kwargs):
        try:
            raise LockNotAvailable()
        except LockNotAvailable as cause:
            raise OperationalError("canceling statement due to lock timeout") from cause

    monkeypatch.setattr(views, "upcoming_bookings", waits_too_long)
    assert_busy(signed_in.get(reverse("bookings:mine")), json=False)
