"""Decisions on an object's page: a button, a confirm page, the list action's service."""

import re
from datetime import datetime, time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bookings.core.services import book_seat
from bookings.models import PodReservation, ReservedPodDay, SeatBooking
from companies.models import Company
from tests.support.clock import KOLKATA
from tests.support.factories import SeatBookingFactory, UserFactory
from tests.support.second_factor import force_login_staff


@pytest.fixture
def during_opening_hours(clock, today):
    clock.move_to(datetime.combine(today, time(10, 30), tzinfo=KOLKATA))


def decide(obj, name: str) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_decide", args=[obj.pk, name])


def change_page(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', html)]


def test_a_pending_company_is_approved_in_three_clicks_from_the_front_page(
    client, staff_user, pending
):
    force_login_staff(client, staff_user)
    front = client.get(reverse("admin:index")).content.decode()

    page = change_page(pending)
    assert page in hrefs(front)  # click 1: the company, on the front page
    button = decide(pending, "approve")
    assert button in hrefs(client.get(page).content.decode())  # click 2: its Approve button
    confirm = client.get(button)
    assert confirm.status_code == 200
    assert "Approve Pending Pixels?" in confirm.content.decode()
    response = client.post(button)  # click 3: "Yes, approve"

    assert response.status_code == 302
    assert response["Location"] == page
    pending.refresh_from_db()
    assert pending.status == Company.Status.APPROVED
    assert pending.approved_at is not None
    assert messages_of(response) == ["Pending Pixels is approved; its admins are told by email."]


def test_the_confirm_page_changes_nothing(client, staff_user, pending):
    force_login_staff(client, staff_user)

    client.get(decide(pending, "approve"))

    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING


def test_an_approved_company_offers_suspend_not_approve(client, staff_user, company):
    force_login_staff(client, staff_user)
    html = client.get(change_page(company)).content.decode()

    assert decide(company, "suspend") in hrefs(html)
    assert decide(company, "approve") not in hrefs(html)
    client.post(decide(company, "suspend"))
    company.refresh_from_db()
    assert company.status == Company.Status.SUSPENDED


def test_a_decision_that_no_longer_applies_changes_nothing(client, staff_user, company):
    force_login_staff(client, staff_user)

    response = client.post(decide(company, "approve"))

    assert response.status_code == 302
    assert messages_of(response) == [f"{company}: no longer possible."]


def test_staff_confirm_a_reservation_on_its_page(client, staff_user, requested):
    force_login_staff(client, staff_user)
    html = client.get(change_page(requested)).content.decode()
    assert decide(requested, "confirm") in hrefs(html)
    assert decide(requested, "reject") in hrefs(html)

    client.post(decide(requested, "confirm"))

    requested.refresh_from_db()
    assert requested.status == PodReservation.Status.CONFIRMED
    assert ReservedPodDay.objects.filter(reservation=requested).count() == 1
    assert decide(requested, "cancel") in hrefs(client.get(change_page(requested)).content.decode())


def test_staff_reject_a_reservation_on_its_page(client, staff_user, requested):
    force_login_staff(client, staff_user)

    client.post(decide(requested, "reject"))

    requested.refresh_from_db()
    assert requested.status == PodReservation.Status.REJECTED


def test_a_refused_confirmation_says_why_and_changes_nothing(
    client, staff_user, requested, professional, pod, next_open_day
):
    book_seat(user=professional, seat=pod.seats.first(), day=next_open_day)
    force_login_staff(client, staff_user)

    response = client.post(decide(requested, "confirm"))

    assert "outside the company already hold seats" in messages_of(response)[0]
    requested.refresh_from_db()
    assert requested.status == PodReservation.Status.REQUESTED


def test_staff_check_a_person_in_on_the_bookings_page(
    client, staff_user, seat, today, during_opening_hours
):
    booking = SeatBookingFactory(seat=seat, day=today)
    force_login_staff(client, staff_user)
    assert decide(booking, "check-in") in hrefs(client.get(change_page(booking)).content.decode())

    response = client.post(decide(booking, "check-in"))

    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.CHECKED_IN
    assert messages_of(response) == [f"Checked in: {booking}."]


def test_tomorrows_booking_offers_no_check_in(client, staff_user, seat, next_open_day):
    booking = SeatBookingFactory(seat=seat, day=next_open_day)
    force_login_staff(client, staff_user)

    html = client.get(change_page(booking)).content.decode()

    assert decide(booking, "check-in") not in hrefs(html)
    assert decide(booking, "cancel") in hrefs(html)


def test_staff_without_the_change_permission_cannot_decide(client, pending):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_company"))
    force_login_staff(client, viewer)

    assert decide(pending, "approve") not in hrefs(
        client.get(change_page(pending)).content.decode()
    )
    assert client.get(decide(pending, "approve")).status_code == 403
    assert client.post(decide(pending, "approve")).status_code == 403
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING


def test_an_unknown_decision_or_object_is_not_found(client, staff_user, pending):
    force_login_staff(client, staff_user)

    assert client.post(decide(pending, "delete")).status_code == 404
    missing = reverse("admin:companies_company_decide", args=[pending.pk + 999, "approve"])
    assert client.post(missing).status_code == 404
