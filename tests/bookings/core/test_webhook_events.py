"""Each change a company's webhooks tell of is recorded by the one service that makes it,
in its transaction: a delivery per subscribed endpoint, with the event's data."""

from datetime import timedelta

import pytest

from bookings.core import waitlist
from bookings.core.reservations import (
    cancel_pod_reservation,
    confirm_pod_reservation,
    reject_pod_reservation,
    request_pod_reservation,
)
from bookings.core.services import book_seat, cancel_booking, remove_member
from companies import services as company_services
from companies import webhooks
from companies.models import WebhookDelivery
from tests.support.factories import MembershipFactory, UserFactory
from wnh import weekdays


@pytest.fixture(autouse=True)
def _any_address(settings):
    settings.WEBHOOKS_ALLOW_INSECURE = True
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture
def hooks_a(company_a, admin_a):
    """Company A listens to everything (nothing is sent: on_commit never runs here)."""
    return company_services.add_webhook_endpoint(
        company=company_a,
        url="http://127.0.0.1:9/hooks",
        event_types=list(webhooks.EVENT_TYPES),
        by=admin_a,
    )


def events(endpoint=None) -> list[tuple[str, dict]]:
    deliveries = WebhookDelivery.objects.order_by("pk")
    if endpoint is not None:
        deliveries = deliveries.filter(endpoint=endpoint)
    return [(d.event_type, d.payload["data"]) for d in deliveries]


def test_a_booking_in_the_companys_pod_is_told_when_made_and_cancelled(
    hooks_a, reservation_a, pod_a, member_a, fortnight
):
    WebhookDelivery.objects.all().delete()  # the reservation's own event
    booking = book_seat(user=member_a, seat=pod_a.seats.get(position=2), day=fortnight[0])
    cancel_booking(booking=booking, by=member_a)

    told = events(hooks_a)
    assert [name for name, _ in told] == ["booking.created", "booking.cancelled"]
    made, cancelled = (data for _, data in told)
    assert made["user"]["email"] == "member@a.example"
    assert made["booking"]["id"] == booking.pk
    assert made["booking"]["day"] == fortnight[0].isoformat()
    assert (made["booking"]["pod"], made["booking"]["seat"]) == ("A1", booking.seat.label)
    assert cancelled["booking"]["status"] == "cancelled"
    delivery = WebhookDelivery.objects.order_by("pk").first()
    assert delivery.payload["company_id"] == reservation_a.company_id
    assert delivery.status == "pending"


def test_a_booking_outside_the_companys_pods_is_not_told(hooks_a, pod_b, member_a, fortnight):
    book_seat(user=member_a, seat=pod_b.seats.get(position=1), day=fortnight[0])

    assert events() == []


def test_another_companys_endpoint_hears_nothing_of_a(
    company_b, admin_b, reservation_a, pod_a, member_a, fortnight
):
    hooks_b = company_services.add_webhook_endpoint(
        company=company_b,
        url="http://127.0.0.1:9/b",
        event_types=list(webhooks.EVENT_TYPES),
        by=admin_b,
    )
    book_seat(user=member_a, seat=pod_a.seats.get(position=1), day=fortnight[0])

    assert events(hooks_b) == []


def test_a_pod_reservation_is_told_when_confirmed_cancelled_and_rejected(
    hooks_a, company_a, admin_a, pod_a, pod_b, staff_user, fortnight
):
    def ask(pod):
        return request_pod_reservation(
            company=company_a,
            pod=pod,
            first_day=fortnight[0],
            last_day=fortnight[1],
            weekday_mask=weekdays.ALL_DAYS,
            requested_by=admin_a,
        )

    confirmed = confirm_pod_reservation(reservation=ask(pod_a), decided_by=staff_user)
    cancel_pod_reservation(
        reservation=confirmed, by=admin_a, from_day=fortnight[0] + timedelta(days=7)
    )
    reject_pod_reservation(reservation=ask(pod_b), decided_by=staff_user)

    told = events(hooks_a)
    assert [name for name, _ in told] == [
        "pod_reservation.confirmed",
        "pod_reservation.cancelled",
        "pod_reservation.rejected",
    ]
    assert told[0][1]["reservation"]["id"] == confirmed.pk
    assert told[0][1]["reservation"]["pod"]["code"] == "A1"
    given_up = told[1][1]["days_given_up"]
    assert given_up[0] >= (fortnight[0] + timedelta(days=7)).isoformat()
    assert told[2][1]["reservation"]["status"] == "rejected"


def test_a_member_is_told_when_joining_and_leaving_with_their_bookings_cancelled(
    hooks_a, company_a, admin_a, reservation_a, pod_a, fortnight
):
    newcomer = UserFactory(email="newcomer@a.example")
    company_services.add_member(company=company_a, user=newcomer)
    book_seat(user=newcomer, seat=pod_a.seats.get(position=3), day=fortnight[0])
    WebhookDelivery.objects.filter(event_type="pod_reservation.confirmed").delete()

    remove_member(company=company_a, user=newcomer, by=admin_a)

    told = events(hooks_a)
    assert [name for name, _ in told] == [
        "member.joined",
        "booking.created",
        "member.left",
        "booking.cancelled",
    ]
    assert told[0][1] == {
        "user": {"id": newcomer.pk, "email": "newcomer@a.example", "name": newcomer.full_name},
        "role": "member",
    }
    assert told[2][1]["user"]["email"] == "newcomer@a.example"
    assert told[3][1]["booking"]["status"] == "cancelled"


def test_a_waitlist_offer_outside_the_company_s_pods_is_not_the_employer_s_business(
    hooks_a, company_a, small_pod, daily_centre, people, tomorrow
):
    for person, seat in zip(people, small_pod.seats.order_by("position"), strict=False):
        book_seat(user=person, seat=seat, day=tomorrow)
    MembershipFactory(company=company_a, user=people[4])
    waitlist.join_waitlist(user=people[4], centre=daily_centre, day=tomorrow)

    cancel_booking(booking=people[0].seat_bookings.get(), by=people[0])
    waitlist.serve_waitlist(centre_id=daily_centre.pk, day=tomorrow)

    assert people[4].waitlist_entries.get().offered_seat is not None
    assert events(hooks_a) == []
