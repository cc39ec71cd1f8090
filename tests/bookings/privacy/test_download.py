"""Download my data: everything about the person, and nothing about anyone else."""

import json

from django.urls import reverse

from bookings.core.services import book_seat
from bookings.models import SeatBooking
from tests.support.factories import SeatBookingFactory, UserFactory, WaitlistEntryFactory
from tests.support.personas import EMAIL, NAME


def test_the_download_holds_every_booking_of_the_person_and_no_one_elses(
    client, member, company, past_bookings, seat, next_open_day, centre
):
    future = book_seat(user=member, seat=seat, day=next_open_day)
    someone = UserFactory(email="someone.else@example.com", full_name="Suresh Pillai Varkala")
    theirs = SeatBookingFactory(user=someone, seat=seat, day=next_open_day.replace(day=1))
    WaitlistEntryFactory(user=member, centre=centre, day=next_open_day)
    WaitlistEntryFactory(user=someone, centre=centre, day=next_open_day)
    client.force_login(member)

    response = client.get(reverse("privacy_download"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    data = json.loads(text)
    assert {b["id"] for b in data["bookings"]} == set(
        SeatBooking.objects.filter(user=member).values_list("pk", flat=True)
    )
    assert future.pk in {b["id"] for b in data["bookings"]}
    assert theirs.pk not in {b["id"] for b in data["bookings"]}
    assert data["profile"]["email"] == EMAIL
    assert data["profile"]["full_name"] == NAME
    assert data["home"]["pin_code"] == "691506"
    assert [m["company"] for m in data["memberships"]] == [company.name]
    assert len(data["waitlist"]) == 1
    # Nobody else: not the other person, not the teammate, not the company admin's address.
    teammates = company.memberships.exclude(user=member).select_related("user")
    for other in [someone, *(m.user for m in teammates)]:
        assert other.email not in text
        assert other.full_name not in text
    assert member.calendar_token not in text  # a secret, not data to carry around


def test_the_download_needs_a_login(client, db):
    response = client.get(reverse("privacy_download"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
