"""Check-in proves presence: the entrance screen shows a code that changes every minute and
is good for two; an older code, another centre's code or a guessed one checks nobody in."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.core.services import book_seat
from bookings.models import SeatBooking
from tests.support.factories import CentreFactory, PodFactory, UserFactory
from tests.support.second_factor import log_in_staff


def always_open_centre(name: str):
    return CentreFactory(
        name=name,
        open_weekdays=127,
        opens_at=datetime.min.time(),
        closes_at=datetime.max.time().replace(microsecond=0),
    )


@pytest.fixture
def centre(db):
    return always_open_centre("Kottarakkara")


@pytest.fixture
def booking(centre, professional):
    seat = PodFactory(centre=centre, capacity=4).seats.first()
    return book_seat(user=professional, seat=seat, day=timezone.localdate())


@pytest.fixture
def screen(client, staff_user):
    """The tablet at the door, signed in as staff; answers what it shows now."""
    log_in_staff(client, staff_user)

    def show(centre) -> dict:
        response = client.get(reverse("centres:entrance_code", args=[centre.slug]))
        assert response.status_code == 200
        assert (
            response["Cache-Control"].startswith("no-cache")
            or "no-store" in response["Cache-Control"]
        )
        return response.json()

    return show


@pytest.fixture
def phone(professional):
    from django.test import Client

    phone = Client()
    phone.force_login(professional)
    return phone


def type_code(phone, centre, code: str):
    return phone.post(reverse("centres:check_in_by_code", args=[centre.slug]), {"code": code})


def status_of(booking) -> str:
    booking.refresh_from_db()
    return booking.status


def later(clock, **delta):
    clock.move_to(timezone.now() + timedelta(**delta))


def test_the_screen_shows_a_short_code_and_a_qr_link_that_change_every_minute(
    screen, centre, clock
):
    first = screen(centre)
    assert len(first["code"]) == 6
    assert first["code"].isdigit()
    assert f"/centres/{centre.slug}/check-in/" in first["url"]
    assert 0 < first["changes_in"] <= 60

    later(clock, minutes=1)
    second = screen(centre)

    assert second["code"] != first["code"]
    assert second["url"] != first["url"]


def test_a_fresh_typed_code_checks_the_professional_in(screen, phone, centre, booking):
    response = type_code(phone, centre, screen(centre)["code"])

    assert response.status_code == 302
    assert status_of(booking) == SeatBooking.Status.CHECKED_IN
    messages = phone.get(response["Location"]).content.decode()
    assert "You are checked in at seat" in messages


def test_the_previous_minutes_code_still_works(screen, phone, centre, booking, clock):
    code = screen(centre)["code"]
    later(clock, minutes=1)

    type_code(phone, centre, code)

    assert status_of(booking) == SeatBooking.Status.CHECKED_IN


def test_a_code_from_three_minutes_ago_is_refused_with_a_clear_message(
    screen, phone, centre, booking, clock
):
    code = screen(centre)["code"]
    later(clock, minutes=3)

    response = type_code(phone, centre, code)

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert status_of(booking) == SeatBooking.Status.BOOKED


def test_a_code_of_another_centre_is_refused(screen, phone, centre, booking):
    elsewhere = always_open_centre("Punalur")

    response = type_code(phone, centre, screen(elsewhere)["code"])

    assert response.status_code == 400
    assert "not the code" in response.content.decode()
    assert status_of(booking) == SeatBooking.Status.BOOKED


def test_a_scanned_link_is_good_for_two_minutes(screen, phone, centre, booking, clock):
    url = screen(centre)["url"]
    later(clock, minutes=1)

    assert phone.get(url).status_code == 200
    phone.post(url)

    assert status_of(booking) == SeatBooking.Status.CHECKED_IN


def test_an_old_scanned_link_is_refused_with_a_clear_message(screen, phone, centre, booking, clock):
    url = screen(centre)["url"]
    later(clock, minutes=3)

    page = phone.get(url)
    posted = phone.post(url)

    assert page.status_code == posted.status_code == 400
    assert "expired" in page.content.decode()
    assert status_of(booking) == SeatBooking.Status.BOOKED


def test_a_link_of_another_centre_or_a_forged_one_leads_nowhere(screen, phone, centre, booking):
    elsewhere = always_open_centre("Punalur")
    token = screen(elsewhere)["url"].rstrip("/").rsplit("/", 1)[1]
    step = token.split(".")[0]

    for forged in (token, f"{step}.AAAAAAAAAAAAAAAAAAAAAA", centre.slug):
        response = phone.post(reverse("centres:check_in", args=[centre.slug, forged]))
        assert response.status_code == 404, forged
    assert status_of(booking) == SeatBooking.Status.BOOKED


def test_the_day_long_code_of_the_old_printed_page_is_refused(phone, centre, booking):
    from django.core import signing

    day_token = signing.Signer(salt="wnh.centres.check-in").signature(
        f"{centre.slug}:{timezone.localdate().isoformat()}"
    )

    response = phone.post(reverse("centres:check_in", args=[centre.slug, day_token]))

    assert response.status_code == 404
    assert status_of(booking) == SeatBooking.Status.BOOKED


def test_the_printed_page_is_only_a_fallback_where_the_centre_allows_it(
    client, staff_user, phone, centre, booking
):
    log_in_staff(client, staff_user)
    printed = reverse("centres:entrance_printed", args=[centre.slug])
    assert client.get(printed).status_code == 404

    centre.printed_check_in_code_allowed = True
    centre.save(update_fields=["printed_check_in_code_allowed"])
    page = client.get(printed)
    assert page.status_code == 200
    url = page.context["check_in_url"]

    phone.post(url)
    assert status_of(booking) == SeatBooking.Status.CHECKED_IN


def test_guessing_codes_is_stopped_after_a_few_tries(screen, phone, centre, booking):
    right = screen(centre)["code"]
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(10):
        type_code(phone, centre, wrong)

    response = type_code(phone, centre, right)

    assert response.status_code == 429
    assert status_of(booking) == SeatBooking.Status.BOOKED


def test_typing_the_code_needs_a_signed_in_person(client, screen, centre):
    from django.test import Client

    response = type_code(Client(), centre, screen(centre)["code"])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_can_still_check_people_in_from_the_day_list(client, staff_user, centre, booking):
    log_in_staff(client, staff_user)

    client.post(
        reverse("admin:bookings_seatbooking_changelist"),
        {"action": "check_in_selected", "_selected_action": [booking.pk]},
    )

    assert status_of(booking) == SeatBooking.Status.CHECKED_IN


def test_someone_without_a_booking_here_today_is_told_so(screen, centre):
    from django.test import Client

    stranger = Client()
    stranger.force_login(UserFactory(email="stranger@example.com"))

    response = type_code(stranger, centre, screen(centre)["code"])

    assert response.status_code == 302
    assert "no booking" in stranger.get(response["Location"]).content.decode().lower()


def test_a_link_token_of_unicode_digits_is_wrong_not_an_error(db):
    from bookings.core.check_in_codes import Verdict, check_link_token

    assert check_link_token(CentreFactory(), "²³.abc") == Verdict.WRONG


def test_a_wrong_code_is_refused_in_malayalam_with_the_centres_malayalam_name(
    phone, centre, booking, professional
):
    centre.name_ml = "കൊട്ടാരക്കര"
    centre.save(update_fields=["name_ml"])
    professional.language = "ml"
    professional.save(update_fields=["language"])

    response = type_code(phone, centre, "000000")

    page = response.content.decode()
    assert response.status_code == 400
    assert "ഇത് കൊട്ടാരക്കര-ന്റെ പ്രവേശന സ്ക്രീനിലുള്ള കോഡ് അല്ല." in page
    assert "Kottarakkara" not in page.split("<main", 1)[-1]
    assert status_of(booking) == SeatBooking.Status.BOOKED
