"""Every path that cancels a booking leaves exactly one history row naming who and how.

The rows are PostgreSQL triggers' (wnh/audit.py): the staff list action and the member
removal are bulk or admin writes that a signal-based history would not see."""

from datetime import datetime, time

import pytest
from django.urls import reverse

from bookings import tasks
from bookings.core.services import book_seat
from bookings.models import SeatBooking
from bookings.privacy.history import history_of_person
from tests.support.clock import KOLKATA
from tests.support.second_factor import force_login_staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def cancellations(booking) -> list:
    """The booking's history rows that moved it out of 'booked'."""
    rows = list(booking.events.order_by("pgh_created_at", "pgh_id"))
    return [
        row
        for before, row in zip(rows, rows[1:], strict=False)
        if before.status == "booked" and row.status != "booked"
    ]


def the_one_cancellation(booking):
    rows = cancellations(booking)
    assert len(rows) == 1, rows
    return rows[0], rows[0].pgh_context.metadata


def test_the_person_cancelling_on_their_page(client, professional, seat, next_open_day):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)
    client.force_login(professional)

    client.post(reverse("bookings:cancel", args=[booking.pk]), HTTP_X_REQUEST_ID="req-42")

    row, context = the_one_cancellation(booking)
    assert row.status == "cancelled"
    assert context["user"] == professional.pk
    assert context["path"] == "web"
    assert context["view"] == "bookings:cancel"
    assert context["request_id"] == "req-42"
    lines = history_of_person(professional)[booking.pk]
    assert lines[-1].sentence.startswith("cancelled by you on ")


def test_the_person_cancelling_through_the_api(client, professional, seat, next_open_day):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)
    client.force_login(professional)

    client.post(reverse("api-booking-cancel", args=[booking.pk]))

    _, context = the_one_cancellation(booking)
    assert (context["user"], context["path"]) == (professional.pk, "api")
    assert len(context["request_id"]) == 32  # none given: a new one


def test_the_company_admin_cancelling_a_members_seat(
    client, admin_a, member_a, reservation_a, pod_a, fortnight
):
    booking = book_seat(user=member_a, seat=pod_a.seats.first(), day=fortnight[0])
    client.force_login(admin_a)

    client.post(reverse("bookings:cancel", args=[booking.pk]))

    _, context = the_one_cancellation(booking)
    assert (context["user"], context["path"]) == (admin_a.pk, "web")
    line = history_of_person(member_a)[booking.pk][-1]
    assert line.actor == "the company admin"
    assert line.sentence.startswith("cancelled by the company admin on ")


def test_staff_cancelling_selected_bookings_in_the_admin(
    client, staff_user, professional, seat, next_open_day
):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)
    force_login_staff(client, staff_user)

    client.post(
        reverse("admin:bookings_seatbooking_changelist"),
        {"action": "cancel_selected", "_selected_action": [booking.pk]},
    )

    row, context = the_one_cancellation(booking)
    assert row.status == "cancelled"
    assert (context["user"], context["path"]) == (staff_user.pk, "admin")
    assert history_of_person(professional)[booking.pk][-1].actor == "K-DISC staff"


def test_the_no_show_release_task(clock, professional, seat, today):
    clock.move_to(datetime.combine(today, time(9, 0), tzinfo=KOLKATA))
    booking = book_seat(user=professional, seat=seat, day=today)
    clock.move_to(datetime.combine(today, time(11, 0), tzinfo=KOLKATA))

    tasks.release_no_shows.apply()

    row, context = the_one_cancellation(booking)
    assert row.status == "no_show"
    assert context["user"] is None
    assert (context["path"], context["task"]) == ("task", "bookings.release_no_shows")
    line = history_of_person(professional)[booking.pk][-1]
    assert line.sentence == "released as no-show at 11:00"


def test_the_company_admin_removing_the_member(
    client, admin_a, member_a, company_a, reservation_a, pod_a, fortnight
):
    bookings = [
        book_seat(user=member_a, seat=pod_a.seats.first(), day=day)
        for day in sorted(set(company_a.reserved_days.values_list("day", flat=True)))[:2]
    ]
    membership = company_a.memberships.get(user=member_a)
    client.force_login(admin_a)

    client.post(reverse("companies:remove_member", args=[company_a.slug, membership.pk]))

    for booking in bookings:
        row, context = the_one_cancellation(booking)
        assert row.status == SeatBooking.Status.CANCELLED
        assert (context["user"], context["path"]) == (admin_a.pk, "web")
        assert context["view"] == "companies:remove_member"
        line = history_of_person(member_a)[booking.pk][-1]
        assert line.sentence.startswith("cancelled when the company admin removed the member")
    assert membership.events.filter(pgh_label="delete").count() == 1


def test_a_request_id_that_is_not_one_is_replaced(client, professional, seat, next_open_day):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)
    client.force_login(professional)

    client.post(reverse("bookings:cancel", args=[booking.pk]), HTTP_X_REQUEST_ID="=HYPERLINK(1)")

    _, context = the_one_cancellation(booking)
    assert context["request_id"] != "=HYPERLINK(1)"
    assert len(context["request_id"]) == 32


def test_a_reminders_claim_is_bookkeeping_and_writes_no_event(professional, seat, next_open_day):
    from django.utils import timezone

    booking = book_seat(user=professional, seat=seat, day=next_open_day)

    SeatBooking.objects.filter(pk=booking.pk).update(reminder_sent_at=timezone.now())

    assert list(booking.events.values_list("pgh_label", flat=True)) == ["insert"]
