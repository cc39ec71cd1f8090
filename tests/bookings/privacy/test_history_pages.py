"""The history seen by staff (an object's admin page), by the person (in words), and by
K-DISC (a CSV export of a date range that matches the bookings changed those days)."""

import csv
import io
from datetime import timedelta

import pgtrigger
import pytest
from django.db import connection
from django.urls import reverse

from bookings.core.services import book_seat, cancel_booking
from bookings.models import SeatBookingEvent
from tests.support.factories import UserFactory
from tests.support.second_factor import force_login_staff

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def database_today():
    """Events carry the database's clock, not the test's: the export's days are its days."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT (now() AT TIME ZONE 'Asia/Kolkata')::date")
        return cursor.fetchone()[0]


def test_staff_see_a_bookings_audit_history_on_its_history_page(
    client, staff_user, professional, seat, next_open_day
):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)
    cancel_booking(booking=booking, by=staff_user, enforce_cutoff=False)
    force_login_staff(client, staff_user)

    page = client.get(reverse("admin:bookings_seatbooking_history", args=[booking.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Audit history" in html
    assert "SeatBooking update" in html
    assert "SeatBooking insert" in html
    assert "status: booked → cancelled" in html


def test_a_company_history_page_shows_its_memberships(client, staff_user, company, company_admin):
    force_login_staff(client, staff_user)

    html = client.get(reverse("admin:companies_company_history", args=[company.pk])).content
    assert b"Membership insert" in html


def test_the_person_reads_their_bookings_history_in_words(
    client, professional, seat, next_open_day
):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)
    client.force_login(professional)
    client.post(reverse("bookings:cancel", args=[booking.pk]))

    html = client.get(reverse("bookings:history")).content.decode()

    assert "Booked by you on " in html
    assert "Cancelled by you on " in html


def test_the_history_page_shows_no_one_elses_bookings(
    client, professional, other_professional, seat, next_open_day
):
    theirs = book_seat(user=other_professional, seat=seat, day=next_open_day)
    client.force_login(professional)

    html = client.get(reverse("bookings:history")).content.decode()
    assert "No bookings yet." in html
    assert theirs.seat.label not in html


def test_the_export_for_a_day_lists_the_bookings_changed_that_day(
    client, staff_user, professional, other_professional, pod, next_open_day
):
    seats = list(pod.seats.order_by("position"))
    yesterdays = book_seat(user=professional, seat=seats[0], day=next_open_day)
    todays = book_seat(user=other_professional, seat=seats[1], day=next_open_day)
    cancelled = book_seat(user=UserFactory(), seat=seats[2], day=next_open_day + timedelta(days=1))
    cancel_booking(booking=cancelled, by=staff_user, enforce_cutoff=False)
    # The first booking's change happened yesterday, as far as the history is concerned.
    day = database_today()
    with pgtrigger.ignore("bookings.SeatBookingEvent:append_only"):  # the history is append-only
        SeatBookingEvent.objects.filter(pgh_obj_id=yesterdays.pk).update(
            pgh_created_at=SeatBookingEvent.objects.get(pgh_obj_id=yesterdays.pk).pgh_created_at
            - timedelta(days=1)
        )
    force_login_staff(client, staff_user)

    response = client.get(
        reverse("history-export"), {"first": day.isoformat(), "last": day.isoformat()}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {int(r["booking_id"]) for r in rows} == {todays.pk, cancelled.pk}
    assert [(r["action"], r["path"]) for r in rows if int(r["booking_id"]) == cancelled.pk] == [
        ("booked", ""),
        ("cancelled", ""),
    ]
    assert professional.email not in response.content.decode()


def test_the_export_is_k_discs_alone(client, professional, db):
    from accounts.models import StaffScope

    manager = UserFactory(email="manager@centre.example", is_staff=True)
    StaffScope.objects.create(user=manager, kind=StaffScope.Kind.CENTRE_MANAGER)
    force_login_staff(client, manager)
    assert client.get(reverse("history-export"), {"first": "2026-12-01"}).status_code == 403
    client.force_login(professional)
    assert client.get(reverse("history-export"), {"first": "2026-12-01"}).status_code in (
        302,
        403,
    )


def test_the_history_cannot_be_changed_or_deleted(professional, seat, next_open_day):
    from django.db import InternalError, transaction

    booking = book_seat(user=professional, seat=seat, day=next_open_day)
    event = booking.events.get()

    with pytest.raises(InternalError), transaction.atomic():
        SeatBookingEvent.objects.filter(pk=event.pk).update(status="cancelled")
    with pytest.raises(InternalError), transaction.atomic():
        SeatBookingEvent.objects.filter(pk=event.pk).delete()
    assert booking.events.get().status == "booked"


def test_a_centres_history_page_shows_its_rates(client, staff_user, centre):
    force_login_staff(client, staff_user)

    html = client.get(reverse("admin:centres_centre_history", args=[centre.pk])).content.decode()
    assert "CentreRate insert" in html
    assert "Centre insert" in html


def test_the_bookings_list_links_the_export(client, staff_user, db):
    force_login_staff(client, staff_user)
    html = client.get(reverse("admin:bookings_seatbooking_changelist")).content.decode()
    assert reverse("history-export") in html
