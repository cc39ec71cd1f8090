"""Seats in a company's pod: members only, the admin's assignments, and the team's week."""

import pytest
from django.urls import reverse

from bookings.core.errors import AssignmentRefused, PodReserved, SeatOutsideCompanyPod
from bookings.core.reservations import assign_seats
from bookings.core.services import book_seat
from bookings.models import SeatBooking
from tests.support.factories import MembershipFactory


def reserved(company):
    return list(company.reserved_days.order_by("day").values_list("day", flat=True))


def test_a_member_of_a_cannot_book_in_bs_pod(member_a, company_b, reservation_b, pod_b, fortnight):
    with pytest.raises(PodReserved):
        book_seat(user=member_a, seat=pod_b.seats.first(), day=reserved(company_b)[0])
    assert not SeatBooking.objects.exists()


def test_a_member_books_a_seat_in_their_companys_pod(member_a, company_a, reservation_a, pod_a):
    booking = book_seat(user=member_a, seat=pod_a.seats.first(), day=reserved(company_a)[0])
    assert booking.company == company_a


def test_the_admin_assigns_a_member_to_a_seat_for_a_range(
    company_a, admin_a, member_a, reservation_a, pod_a, fortnight
):
    days = reserved(company_a)
    made = assign_seats(
        company=company_a,
        member=member_a,
        seat=pod_a.seats.first(),
        first_day=days[0],
        last_day=days[4],
        by=admin_a,
    )
    assert [b.day for b in made] == days[:5]
    assert all(b.booked_by == admin_a and b.company == company_a for b in made)


def test_an_assignment_with_one_refused_day_assigns_nothing(
    company_a, admin_a, member_a, reservation_a, pod_a
):
    days = reserved(company_a)
    other = MembershipFactory(company=company_a).user
    book_seat(user=other, seat=pod_a.seats.first(), day=days[2])

    with pytest.raises(AssignmentRefused) as refused:
        assign_seats(
            company=company_a,
            member=member_a,
            seat=pod_a.seats.first(),
            first_day=days[0],
            last_day=days[4],
            by=admin_a,
        )

    assert refused.value.day == days[2]
    assert days[2].strftime("%a %d %b") in refused.value.message
    assert not SeatBooking.objects.filter(user=member_a).exists()


def test_the_admin_cannot_assign_outside_the_companys_pods_or_assign_outsiders(
    company_a, admin_a, member_a, member_b, reservation_a, reservation_b, pod_a, pod_b
):
    days = reserved(company_a)
    with pytest.raises(SeatOutsideCompanyPod):
        assign_seats(
            company=company_a,
            member=member_a,
            seat=pod_b.seats.first(),
            first_day=days[0],
            last_day=days[0],
            by=admin_a,
        )
    with pytest.raises(SeatOutsideCompanyPod):
        assign_seats(
            company=company_a,
            member=member_b,
            seat=pod_a.seats.first(),
            first_day=days[0],
            last_day=days[0],
            by=admin_a,
        )
    assert not SeatBooking.objects.exists()


def test_the_assign_form_refuses_a_seat_of_another_companys_pod(
    client, company_a, admin_a, member_a, reservation_a, reservation_b, pod_b
):
    client.force_login(admin_a)
    days = reserved(company_a)
    response = client.post(
        reverse("companies:team", args=[company_a.slug]),
        {
            "member": member_a.memberships.get().pk,
            "seat": pod_b.seats.first().pk,
            "first_day": days[0].isoformat(),
            "last_day": days[1].isoformat(),
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not SeatBooking.objects.exists()


def test_the_team_week_shows_who_sits_where_and_the_empty_seats(
    client, company_a, admin_a, member_a, reservation_a, pod_a
):
    days = reserved(company_a)
    client.force_login(admin_a)
    client.post(
        reverse("companies:team", args=[company_a.slug]),
        {
            "member": member_a.memberships.get().pk,
            "seat": pod_a.seats.first().pk,
            "first_day": days[0].isoformat(),
            "last_day": days[0].isoformat(),
        },
    )
    client.force_login(member_a)  # a member sees the team's week too
    html = client.get(
        reverse("companies:team", args=[company_a.slug]), {"week": days[0].isoformat()}
    ).content.decode()
    assert member_a.full_name in html
    assert "empty" in html
    assert "Assign a member" not in html  # the form is for admins


def test_a_member_cannot_assign_seats(client, company_a, member_a, reservation_a, pod_a):
    client.force_login(member_a)
    response = client.post(reverse("companies:team", args=[company_a.slug]), {})
    assert response.status_code == 403


def test_the_team_week_takes_the_same_queries_however_big_the_team(
    client, company_a, admin_a, reservation_a, pod_a, django_assert_num_queries
):
    days = reserved(company_a)
    client.force_login(admin_a)
    url = reverse("companies:team", args=[company_a.slug])

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get(url, {"week": days[0].isoformat()})
        return len(queries)

    before = count()
    for seat in pod_a.seats.all()[:3]:
        member = MembershipFactory(company=company_a).user
        book_seat(user=member, seat=seat, day=days[0])
    assert count() == before


def test_the_dashboard_shows_seats_booked_over_capacity_and_no_shows(
    client, company_a, admin_a, member_a, reservation_a, pod_a
):
    days = reserved(company_a)
    booking = book_seat(user=member_a, seat=pod_a.seats.first(), day=days[0])
    other = MembershipFactory(company=company_a).user
    no_show = book_seat(user=other, seat=pod_a.seats.last(), day=days[0])
    SeatBooking.objects.filter(pk=no_show.pk).update(
        status="no_show", no_show_at=booking.created_at
    )
    client.force_login(admin_a)
    response = client.get(
        reverse("companies:dashboard", args=[company_a.slug]), {"month": days[0].strftime("%Y-%m")}
    )
    use = next(u for u in response.context["pod_days"] if u.pod_day.day == days[0])
    assert (use.booked, use.capacity, use.no_shows) == (1, 4, 1)
    assert "1 / 4" in response.content.decode()
