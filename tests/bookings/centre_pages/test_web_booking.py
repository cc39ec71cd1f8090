"""Booking in the browser without JavaScript (plain forms) and with htmx (the map fragment)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from bookings.core.services import book_seat
from bookings.models import SeatBooking
from centres.models import CentreClosure
from tests.support.factories import PodFactory, UserFactory

pytestmark = pytest.mark.django_db


def book_url(centre):
    return reverse("centres:book", kwargs={"slug": centre.slug})


def texts_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_it_books_the_chosen_seat_and_shows_it_as_yours(client, professional, seat, next_open_day):
    centre = seat.pod.centre
    client.force_login(professional)

    response = client.post(book_url(centre), {"day": next_open_day, "seat": seat.pk}, follow=True)

    booking = SeatBooking.objects.get(user=professional)
    assert (booking.seat, booking.day) == (seat, next_open_day)
    assert response.redirect_chain[0][0].endswith(f"?day={next_open_day.isoformat()}#map-messages")
    assert f"Seat {seat.label} is yours" in texts_of(response)
    states = {s.seat.pk: s.state for pod in response.context["map"].pods for s in pod.seats}
    assert states[seat.pk] == "yours"


def test_it_books_any_free_seat(client, professional, pod, next_open_day):
    client.force_login(professional)
    client.post(book_url(pod.centre), {"day": next_open_day, "seat": "any"})
    assert SeatBooking.objects.get(user=professional).seat.pod == pod


def test_an_htmx_booking_answers_with_the_map_and_the_message(
    client, professional, seat, next_open_day
):
    client.force_login(professional)
    response = client.post(
        book_url(seat.pod.centre),
        {"day": next_open_day, "seat": seat.pk},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="seat-map"')
    assert 'hx-swap-oob="innerHTML"' in html
    assert "is yours" in html
    assert 'data-state="yours"' in html


def test_a_seat_just_taken_is_refused_with_a_message_and_nothing_changes(
    client, professional, other_professional, seat, next_open_day
):
    book_seat(user=other_professional, seat=seat, day=next_open_day)
    client.force_login(professional)

    response = client.post(
        book_url(seat.pod.centre), {"day": next_open_day, "seat": seat.pk}, follow=True
    )

    assert "that seat was just taken" in texts_of(response)
    assert not SeatBooking.objects.filter(user=professional).exists()


def test_a_second_seat_the_same_day_is_refused(client, professional, pod, next_open_day):
    first, second = pod.seats.all()[:2]
    book_seat(user=professional, seat=first, day=next_open_day)
    client.force_login(professional)
    response = client.post(
        book_url(pod.centre), {"day": next_open_day, "seat": second.pk}, follow=True
    )
    assert "You already have a seat booked that day." in texts_of(response)
    assert SeatBooking.objects.filter(user=professional).count() == 1


@pytest.mark.parametrize(
    ("offset", "message"),
    [(-1, "Pick today or a later date."), (31, "Bookings open 30 days ahead")],
)
def test_dates_in_the_past_or_beyond_the_horizon_are_refused(
    client, professional, seat, today, offset, message
):
    client.force_login(professional)
    day = today + timedelta(days=offset)
    response = client.post(book_url(seat.pod.centre), {"day": day, "seat": seat.pk}, follow=True)
    assert message in texts_of(response)
    assert not SeatBooking.objects.exists()


def test_a_closed_day_is_refused_with_the_reason(client, professional, seat, next_open_day):
    CentreClosure.objects.create(centre=seat.pod.centre, day=next_open_day, reason="Onam")
    client.force_login(professional)
    response = client.post(
        book_url(seat.pod.centre), {"day": next_open_day, "seat": seat.pk}, follow=True
    )
    assert "The centre is closed that day." in texts_of(response)
    assert not SeatBooking.objects.exists()


def test_a_seat_of_another_centre_is_refused(client, professional, seat, next_open_day):
    elsewhere = PodFactory(capacity=4).seats.first()
    client.force_login(professional)
    response = client.post(
        book_url(seat.pod.centre), {"day": next_open_day, "seat": elsewhere.pk}, follow=True
    )
    assert "Pick a seat from the map." in texts_of(response)
    assert not SeatBooking.objects.exists()


def test_a_pod_reserved_for_a_company_shows_as_reserved_and_refuses_outsiders(
    client, professional, company, next_open_day, staff_user
):
    from bookings.core.reservations import confirm_pod_reservation, request_pod_reservation
    from tests.support.factories import MembershipFactory

    admin = MembershipFactory(company=company, role="admin").user
    pod = PodFactory(capacity=4)
    reservation = request_pod_reservation(
        company=company,
        pod=pod,
        first_day=next_open_day,
        last_day=next_open_day,
        weekday_mask=127,
        requested_by=admin,
    )
    confirm_pod_reservation(reservation=reservation, decided_by=staff_user)
    client.force_login(professional)

    page = client.get(pod.centre.get_absolute_url(), {"day": next_open_day})
    refused = client.post(
        book_url(pod.centre), {"day": next_open_day, "seat": pod.seats.first().pk}, follow=True
    )

    assert "Reserved for a company: only its members can book here." in page.content.decode()
    assert company.name not in page.content.decode()
    assert {s.state for s in page.context["map"].pods[0].seats} == {"reserved"}
    assert "reserved for a company" in texts_of(refused)
    assert not SeatBooking.objects.exists()


def test_a_full_centre_offers_the_waitlist(client, professional, pod, next_open_day):
    for seat in pod.seats.all():
        book_seat(user=UserFactory(), seat=seat, day=next_open_day)
    client.force_login(professional)
    html = client.get(pod.centre.get_absolute_url(), {"day": next_open_day}).content.decode()
    assert "The centre is full that day." in html
    join = reverse("waitlist:join", kwargs={"slug": pod.centre.slug, "day": next_open_day})
    assert join in html


def test_the_map_needs_no_login_but_booking_does(client, seat, next_open_day):
    page = client.get(seat.pod.centre.get_absolute_url(), {"day": next_open_day})
    assert page.status_code == 200
    assert "Log in to book" in page.content.decode()
    response = client.post(book_url(seat.pod.centre), {"day": next_open_day, "seat": seat.pk})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_date_change_from_htmx_answers_with_the_map_alone(
    client, professional, seat, next_open_day
):
    client.force_login(professional)
    response = client.get(
        seat.pod.centre.get_absolute_url(),
        {"day": next_open_day},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="seat-map"')
    assert "<html" not in html


def test_book_days_books_each_weekday_and_reports_the_ones_that_fail(
    client, professional, other_professional, pod, today
):
    monday = today + timedelta(days=7 - today.weekday())
    CentreClosure.objects.create(centre=pod.centre, day=monday + timedelta(days=2))
    # Wednesday closed; on Thursday the person already sits elsewhere.
    book_seat(user=professional, seat=PodFactory().seats.first(), day=monday + timedelta(days=3))
    client.force_login(professional)

    response = client.post(
        reverse("centres:book_days", kwargs={"slug": pod.centre.slug}),
        {"first_day": monday, "last_day": monday + timedelta(days=6), "weekdays": [0, 1, 2, 3, 4]},
        follow=True,
    )

    booked = set(
        SeatBooking.objects.filter(user=professional, seat__pod=pod).values_list("day", flat=True)
    )
    assert booked == {monday, monday + timedelta(days=1), monday + timedelta(days=4)}
    text = texts_of(response)
    assert "The centre is closed that day." in text
    assert "You already have a seat booked that day." in text
    assert response.redirect_chain[-1][0] == reverse("bookings:mine")


def test_book_days_refuses_a_range_beyond_the_horizon_and_books_nothing(
    client, professional, pod, today
):
    client.force_login(professional)
    response = client.post(
        reverse("centres:book_days", kwargs={"slug": pod.centre.slug}),
        {"first_day": today, "last_day": today + timedelta(days=40), "weekdays": [0, 1, 2]},
    )
    assert response.status_code == 400
    assert "Bookings open 30 days ahead" in response.content.decode()
    assert not SeatBooking.objects.exists()


def test_book_days_refuses_a_last_day_before_the_first(client, professional, pod, next_open_day):
    client.force_login(professional)
    response = client.post(
        reverse("centres:book_days", kwargs={"slug": pod.centre.slug}),
        {
            "first_day": next_open_day + timedelta(days=2),
            "last_day": next_open_day,
            "weekdays": [0, 1, 2, 3, 4, 5, 6],
        },
    )
    assert response.status_code == 400
    assert "The last day must not be before the first." in response.content.decode()
    assert not SeatBooking.objects.exists()


def test_a_centre_not_open_yet_shows_no_map(client):
    from centres.models import Centre
    from tests.support.factories import CentreFactory

    centre = CentreFactory(status=Centre.Status.PLANNED)
    response = client.get(centre.get_absolute_url())
    assert "does not take bookings yet" in response.content.decode()


def test_an_unknown_centre_is_a_friendly_404(client, db):
    response = client.get("/centres/nowhere/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
