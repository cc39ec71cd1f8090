"""Reserving pods from the portal: which pods are free over a range, the request, the
confirmation all or nothing, and giving up future days."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from bookings.core.errors import PodAlreadyReserved
from bookings.core.reservations import confirm_pod_reservation, free_pods_for_range
from bookings.core.services import book_seat
from bookings.models import PodReservation, ReservedPodDay
from tests.support.factories import PodFactory
from tests.support.personas import reserve
from wnh import weekdays


def search(fortnight, centre, **extra):
    return {
        "centre": centre.pk,
        "first_day": fortnight[0].isoformat(),
        "last_day": fortnight[1].isoformat(),
        "weekdays": ["0", "1", "2", "3", "4"],
        **extra,
    }


def test_free_pods_lists_conflicting_days_for_each_pod(
    company_a,
    company_b,
    member_b,
    reservation_b,
    pod_a,
    pod_b,
    pod,
    professional,
    fortnight,
    centre,
):
    outsider_day = fortnight[0] + timedelta(days=1 if fortnight[0].weekday() < 5 else 2)
    while outsider_day.weekday() > 4:
        outsider_day += timedelta(days=1)
    book_seat(user=professional, seat=pod.seats.first(), day=outsider_day)

    days, pods = free_pods_for_range(
        centre=centre,
        company=company_a,
        first_day=fortnight[0],
        last_day=fortnight[1],
        weekday_mask=weekdays.MONDAY_TO_FRIDAY,
    )
    by_code = {a.pod.code: a for a in pods}
    assert len(days) == 10
    assert by_code["A1"].is_free
    assert set(by_code["B1"].conflicts) == set(days)
    assert set(by_code["B1"].conflicts.values()) == {"reserved"}
    assert by_code[pod.code].conflicts == {outsider_day: "occupied"}


def test_a_members_own_booking_does_not_make_a_pod_look_taken(
    company_a, member_a, pod, fortnight, centre
):
    book_seat(user=member_a, seat=pod.seats.first(), day=fortnight[0])
    _, pods = free_pods_for_range(
        centre=centre,
        company=company_a,
        first_day=fortnight[0],
        last_day=fortnight[1],
        weekday_mask=weekdays.ALL_DAYS,
        pod=pod,
    )
    assert pods[0].is_free


def test_a_size_keeps_only_pods_that_big_smallest_first(company_a, centre, fortnight):
    PodFactory(centre=centre, code="S4", capacity=4)
    PodFactory(centre=centre, code="M8", capacity=8)
    PodFactory(centre=centre, code="L12", capacity=12)
    _, pods = free_pods_for_range(
        centre=centre,
        company=company_a,
        first_day=fortnight[0],
        last_day=fortnight[1],
        weekday_mask=weekdays.ALL_DAYS,
        min_capacity=6,
    )
    assert [a.pod.code for a in pods] == ["M8", "L12"]


def test_free_pods_takes_the_same_queries_for_a_week_or_a_year(
    company_a, centre, fortnight, django_assert_max_num_queries
):
    for n in range(5):
        PodFactory(centre=centre, code=f"Q{n}", capacity=4 + n)
    with django_assert_max_num_queries(4):
        free_pods_for_range(
            centre=centre,
            company=company_a,
            first_day=fortnight[0],
            last_day=fortnight[0] + timedelta(days=300),
            weekday_mask=weekdays.ALL_DAYS,
        )


def test_the_reserve_page_shows_free_pods_and_conflicts_then_requests_one(
    client, company_a, admin_a, reservation_b, pod_a, pod_b, centre, fortnight
):
    client.force_login(admin_a)
    page = client.get(
        reverse("companies:reserve", args=[company_a.slug]), search(fortnight, centre)
    )
    html = page.content.decode()
    assert "Request pod A1" in html
    assert "Pods with conflicting days" in html
    assert "B1" in html

    response = client.post(
        reverse("companies:reserve", args=[company_a.slug]),
        {**search(fortnight, centre, pod=pod_a.pk), "confirm": "yes"},
    )
    assert response.status_code == 302
    reservation = PodReservation.objects.get(company=company_a)
    assert reservation.pod == pod_a
    assert reservation.status == PodReservation.Status.REQUESTED
    assert reservation.weekdays == weekdays.MONDAY_TO_FRIDAY


def test_a_centre_that_auto_confirms_reserves_at_once(
    client, company_a, admin_a, pod_a, centre, fortnight
):
    centre.auto_confirm_pod_reservations = True
    centre.save()
    client.force_login(admin_a)
    client.post(
        reverse("companies:reserve", args=[company_a.slug]),
        {**search(fortnight, centre, pod=pod_a.pk), "confirm": "yes"},
    )
    assert PodReservation.objects.get().status == PodReservation.Status.CONFIRMED
    assert ReservedPodDay.objects.filter(company=company_a).count() == 10


def test_a_request_for_a_taken_pod_is_refused_with_a_message(
    client, company_a, admin_a, reservation_b, pod_b, centre, fortnight
):
    centre.auto_confirm_pod_reservations = True
    centre.save()
    client.force_login(admin_a)
    response = client.post(
        reverse("companies:reserve", args=[company_a.slug]),
        {**search(fortnight, centre, pod=pod_b.pk), "confirm": "yes"},
        follow=True,
    )
    assert "already reserved" in response.content.decode()
    assert not ReservedPodDay.objects.filter(company=company_a).exists()


def test_a_pod_from_another_centre_is_refused(client, company_a, admin_a, centre, fortnight):
    elsewhere = PodFactory(code="X1", capacity=4)
    client.force_login(admin_a)
    page = client.get(
        reverse("companies:reserve", args=[company_a.slug]),
        search(fortnight, centre, pod=elsewhere.pk),
    )
    assert "That pod is in another centre." in page.content.decode()


def test_confirming_a_reservation_that_conflicts_on_one_day_confirms_none_of_it(
    company_a, admin_a, company_b, admin_b, pod_a, staff_user, fortnight
):
    last_day_of_b = fortnight[0] + timedelta(days=7)  # an open day, like the first
    reserve(
        company=company_b,
        admin=admin_b,
        pod=pod_a,
        first=last_day_of_b,
        last=last_day_of_b,
        staff=staff_user,
    )
    wanted = reserve(
        company=company_a, admin=admin_a, pod=pod_a, first=fortnight[0], last=fortnight[1]
    )

    with pytest.raises(PodAlreadyReserved) as refused:
        confirm_pod_reservation(reservation=wanted, decided_by=staff_user)

    assert refused.value.days == [last_day_of_b]
    assert not ReservedPodDay.objects.filter(company=company_a).exists()
    wanted.refresh_from_db()
    assert wanted.status == PodReservation.Status.REQUESTED


def test_the_admin_gives_up_future_days_from_a_chosen_day(
    client, company_a, admin_a, reservation_a, fortnight
):
    cut = fortnight[0] + timedelta(days=7)
    client.force_login(admin_a)
    client.post(
        reverse("companies:cancel_reservation", args=[company_a.slug, reservation_a.pk]),
        {"from_day": cut.isoformat()},
    )
    kept = ReservedPodDay.objects.filter(company=company_a, cancelled_at__isnull=True)
    assert kept.exists()
    assert all(day < cut for day in kept.values_list("day", flat=True))
    assert ReservedPodDay.objects.filter(
        company=company_a, day__gte=cut, cancelled_at__isnull=False
    ).exists()


def test_the_reservations_page_lists_the_companys_reservations_only(
    client, company_a, admin_a, reservation_a, reservation_b
):
    client.force_login(admin_a)
    html = client.get(reverse("companies:reservations", args=[company_a.slug])).content.decode()
    # Pod codes as words: a random token on the page (CSRF, a version hash) may hold "B1".
    assert re.search(r"\bA1\b", html)
    assert not re.search(r"\bB1\b", html)
    assert "Mon, Tue, Wed, Thu, Fri, Sat, Sun" in html


def test_a_pod_request_shows_its_days_seats_and_rupees_before_it_is_sent(
    client, company_a, admin_a, pod_a, centre, fortnight
):
    client.force_login(admin_a)
    url = reverse("companies:reserve", args=[company_a.slug])

    response = client.post(url, search(fortnight, centre, pod=pod_a.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Send this pod request?" in html
    assert not PodReservation.objects.exists()
    # Ten weekdays (Monday to Friday over a fortnight) x 4 seats x Rs 150 (the factory's rate).
    assert "10 days" in html
    assert '<dd class="quote-seats">4</dd>' in html
    assert "₹6000.00" in html
    assert '<input type="hidden" name="confirm" value="yes">' in html

    client.post(url, {**search(fortnight, centre, pod=pod_a.pk), "confirm": "yes"})
    assert PodReservation.objects.get().pod == pod_a
