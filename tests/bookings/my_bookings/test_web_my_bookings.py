"""My bookings: lists, cancelling, calendars, and check-in at the entrance."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bookings.core import check_in_codes
from bookings.core.services import book_seat
from bookings.models import SeatBooking
from tests.support.factories import PodFactory
from tests.support.second_factor import log_in_staff

pytestmark = pytest.mark.django_db


def texts_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


@pytest.fixture
def booking(professional, seat, next_open_day):
    return book_seat(user=professional, seat=seat, day=next_open_day)


def test_my_bookings_shows_upcoming_and_pages_the_past(client, professional, booking, today):
    past_seat = PodFactory(capacity=4).seats.first()
    for days_ago in range(1, 26):
        SeatBooking.objects.create(
            user=professional, seat=past_seat, day=today - timedelta(days=days_ago)
        )
    client.force_login(professional)

    first = client.get(reverse("bookings:mine"))
    second = client.get(reverse("bookings:mine"), {"page": 2})

    assert [b.pk for b in first.context["upcoming"]] == [booking.pk]
    assert len(first.context["past"].object_list) == 20
    assert len(second.context["past"].object_list) == 5
    assert first.context["upcoming"][0].can_cancel


def test_the_page_list_makes_a_fixed_number_of_queries(
    client, professional, booking, today, django_assert_max_num_queries
):
    client.force_login(professional)
    with django_assert_max_num_queries(12):
        client.get(reverse("bookings:mine"))


def test_it_cancels_my_booking(client, professional, booking):
    client.force_login(professional)
    response = client.post(reverse("bookings:cancel", args=[booking.pk]), follow=True)
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.CANCELLED
    assert "Cancelled your seat" in texts_of(response)


def test_it_refuses_to_cancel_someone_elses_booking(client, other_professional, booking):
    client.force_login(other_professional)
    response = client.post(reverse("bookings:cancel", args=[booking.pk]), follow=True)
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.BOOKED
    assert "That booking was not found." in texts_of(response)


def test_it_refuses_an_unknown_booking_id(client, professional, db):
    client.force_login(professional)
    response = client.post(reverse("bookings:cancel", args=[987654]), follow=True)
    assert "That booking was not found." in texts_of(response)


def test_it_refuses_to_cancel_after_the_cutoff(client, professional, seat, today):
    now = timezone.localtime()
    centre = seat.pod.centre
    centre.open_weekdays = 127
    centre.opens_at = (now - timedelta(minutes=1)).time() if now.hour > 0 else now.time()
    centre.closes_at = datetime.max.time()
    centre.save()
    booking = book_seat(user=professional, seat=seat, day=today)
    client.force_login(professional)
    response = client.post(reverse("bookings:cancel", args=[booking.pk]), follow=True)
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.BOOKED
    assert "It is too late to cancel this booking." in texts_of(response)


def test_a_booking_downloads_as_an_ics_event(client, professional, booking):
    client.force_login(professional)
    response = client.get(reverse("bookings:ics", args=[booking.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"booking-{booking.pk}@wnh-seats"]


def test_someone_elses_ics_is_a_404(client, other_professional, booking):
    client.force_login(other_professional)
    assert client.get(reverse("bookings:ics", args=[booking.pk])).status_code == 404


def test_the_feed_needs_the_secret_and_a_new_link_revokes_the_old(client, professional, booking):
    old = reverse("bookings:feed", kwargs={"token": professional.calendar_token})
    assert f"booking-{booking.pk}@wnh-seats" in client.get(old).content.decode()
    assert client.get(reverse("bookings:feed", kwargs={"token": "guess"})).status_code == 404

    client.force_login(professional)
    client.post(reverse("bookings:rotate_calendar"))
    professional.refresh_from_db()

    client.logout()
    assert client.get(old).status_code == 404
    new = reverse("bookings:feed", kwargs={"token": professional.calendar_token})
    assert client.get(new).status_code == 200


def _open_all_day(centre):
    centre.open_weekdays = 127
    centre.opens_at = datetime.min.time()
    centre.closes_at = datetime.max.time().replace(microsecond=0)
    centre.save()


def check_in_token(centre, day=None):
    """The token in the entrance screen's QR code now, or a printed page's for `day`."""
    if day is not None:
        return check_in_codes.day_token(centre, day)
    return check_in_codes.link_token(centre, check_in_codes.step_at())


def test_scanning_the_entrance_code_checks_me_in(client, professional, seat, today):
    centre = seat.pod.centre
    _open_all_day(centre)
    booking = book_seat(user=professional, seat=seat, day=today)
    url = reverse("centres:check_in", kwargs={"slug": centre.slug, "token": check_in_token(centre)})
    client.force_login(professional)

    assert client.get(url).status_code == 200
    response = client.post(url, follow=True)

    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.CHECKED_IN
    assert "You are checked in" in texts_of(response)


def test_a_guessed_check_in_link_is_a_404(client, professional, seat):
    centre = seat.pod.centre
    client.force_login(professional)
    url = reverse("centres:check_in", kwargs={"slug": centre.slug, "token": centre.slug})
    assert client.post(url).status_code == 404


def test_yesterdays_printed_check_in_code_no_longer_works(client, professional, seat, today):
    centre = seat.pod.centre
    _open_all_day(centre)
    centre.printed_check_in_code_allowed = True
    centre.save(update_fields=["printed_check_in_code_allowed"])
    booking = book_seat(user=professional, seat=seat, day=today)
    yesterdays = check_in_token(centre, day=today - timedelta(days=1))
    url = reverse("centres:check_in", kwargs={"slug": centre.slug, "token": yesterdays})
    client.force_login(professional)

    assert client.post(url).status_code == 404
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.BOOKED


def test_checking_in_without_a_booking_today_says_so(client, professional, seat):
    centre = seat.pod.centre
    url = reverse("centres:check_in", kwargs={"slug": centre.slug, "token": check_in_token(centre)})
    client.force_login(professional)
    response = client.post(url, follow=True)
    assert "You have no booking at this centre today." in texts_of(response)


def test_staff_get_the_entrance_page_with_an_svg_qr_code(client, staff_user, centre):
    log_in_staff(client, staff_user)
    page = client.get(reverse("centres:entrance", kwargs={"slug": centre.slug}))
    qr = client.get(reverse("centres:entrance_qr", kwargs={"slug": centre.slug}))
    assert page.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<svg")


def test_professionals_cannot_print_the_entrance_code(client, professional, centre):
    client.force_login(professional)
    response = client.get(reverse("centres:entrance_qr", kwargs={"slug": centre.slug}))
    assert response.status_code == 302


def test_the_admin_lists_todays_bookings_for_check_in(client, staff_user, professional, seat):
    from django.contrib.auth.models import Permission

    centre = seat.pod.centre
    _open_all_day(centre)
    today = timezone.localdate()
    todays = book_seat(user=professional, seat=seat, day=today)
    later = SeatBooking.objects.create(user=professional, seat=seat, day=today + timedelta(days=3))
    staff_user.user_permissions.add(*Permission.objects.filter(codename__endswith="seatbooking"))
    log_in_staff(client, staff_user)
    response = client.get(reverse("admin:bookings_seatbooking_changelist"), {"when": "today"})
    shown = list(response.context["cl"].result_list)
    assert todays in shown
    assert later not in shown


def test_cancel_asks_first_and_a_look_changes_nothing(client, professional, booking):
    client.force_login(professional)
    url = reverse("bookings:cancel", args=[booking.pk])
    assert f'href="{url}"' in client.get(reverse("bookings:mine")).content.decode()

    response = client.get(url)

    html = response.content.decode()
    assert "Cancel this booking?" in html
    assert booking.seat.label in html
    assert f'<form method="post" action="{url}">' in html
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_nobody_sees_the_cancel_question_of_someone_elses_booking(
    client, other_professional, booking
):
    client.force_login(other_professional)
    assert client.get(reverse("bookings:cancel", args=[booking.pk])).status_code == 404
