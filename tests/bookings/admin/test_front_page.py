"""The admin's front page is K-DISC staff's work queue, in a fixed number of queries."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.core.closures import add_closure
from companies.models import Company
from tests.support.factories import (
    CentreFactory,
    CompanyFactory,
    MembershipFactory,
    PodFactory,
    SeatBookingFactory,
    UserFactory,
)
from tests.support.second_factor import force_login_staff


def front_page(client) -> str:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def book_today(centre, today, *, checked_in: int, booked: int) -> None:
    pod = PodFactory(centre=centre, capacity=8)
    seats = iter(pod.seats.order_by("position"))
    for status, n in (("checked_in", checked_in), ("booked", booked)):
        for _ in range(n):
            SeatBookingFactory(seat=next(seats), day=today, status=status)


def test_it_lists_companies_waiting_for_approval_with_a_count_and_links(
    client, staff_user, pending, company
):
    force_login_staff(client, staff_user)
    html = front_page(client)

    changelist = reverse("admin:companies_company_changelist")
    assert f'href="{changelist}?status__exact=pending"' in html
    assert re.search(r"Companies waiting for approval: <span[^>]*>1</span>", html)
    assert reverse("admin:companies_company_change", args=[pending.pk]) in html
    assert reverse("admin:companies_company_change", args=[company.pk]) not in html


def test_it_lists_reservations_waiting_for_confirmation(client, staff_user, requested):
    reservation = requested
    force_login_staff(client, staff_user)
    html = front_page(client)

    changelist = reverse("admin:bookings_podreservation_changelist")
    assert f'href="{changelist}?status__exact=requested"' in html
    assert re.search(r"Pod reservations waiting for confirmation: <span[^>]*>1</span>", html)
    assert reverse("admin:bookings_podreservation_change", args=[reservation.pk]) in html


def test_it_counts_each_centres_arrivals_and_check_ins_today(client, staff_user, today):
    kollam = CentreFactory(name="Kollam")
    varkala = CentreFactory(name="Varkala")
    book_today(kollam, today, checked_in=2, booked=3)
    book_today(varkala, today, checked_in=0, booked=1)
    SeatBookingFactory(seat=kollam.pods.first().seats.last(), day=today, status="cancelled")
    force_login_staff(client, staff_user)
    html = front_page(client)

    bookings = reverse("admin:bookings_seatbooking_changelist")
    row = f'{bookings}?when=today&amp;seat__pod__centre__id__exact={kollam.pk}">Kollam</a></th>'
    assert f"{row}<td>5</td><td>2</td>" in html
    assert f"{varkala.pk}" + '">Varkala</a></th><td>1</td><td>0</td>' in html


def test_it_lists_closures_of_the_next_two_weeks_only(client, staff_user, centre, today):
    soon = add_closure(centre=centre, day=today + timedelta(days=14), reason="Vishu")
    later = add_closure(centre=centre, day=today + timedelta(days=15), reason="Later")
    force_login_staff(client, staff_user)
    html = front_page(client)

    assert re.search(r"Closures in the next two weeks: <span[^>]*>1</span>", html)
    assert reverse("admin:centres_centreclosure_change", args=[soon.pk]) in html
    assert reverse("admin:centres_centreclosure_change", args=[later.pk]) not in html
    closures = reverse("admin:centres_centreclosure_changelist")
    assert f"{closures}?day__gte={today:%Y-%m-%d}&amp;day__lte=" in html


def test_the_queue_links_open_filtered_lists(client, staff_user, pending, centre, today):
    add_closure(centre=centre, day=today + timedelta(days=3))
    force_login_staff(client, staff_user)
    html = front_page(client)

    links = re.findall(r'<h3 id="queue-[a-z]+"><a href="([^"]+)"', html)
    assert len(links) == 4
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200


def test_the_front_page_costs_the_same_queries_for_one_centre_or_many(client, staff_user, today):
    force_login_staff(client, staff_user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            front_page(client)
        return len(captured)

    centre = CentreFactory()
    book_today(centre, today, checked_in=1, booked=1)
    add_closure(centre=centre, day=today + timedelta(days=2))
    CompanyFactory(status=Company.Status.PENDING)
    one = queries()
    for _ in range(4):
        other = CentreFactory()
        book_today(other, today, checked_in=1, booked=2)
        add_closure(centre=other, day=today + timedelta(days=3))
        CompanyFactory(status=Company.Status.PENDING)
    assert queries() == one


def test_staff_without_permissions_see_no_queue(client, pending):
    force_login_staff(client, UserFactory(is_staff=True))
    html = front_page(client)

    assert "Companies waiting" not in html
    assert "Pending Pixels" not in html


def test_a_company_admin_who_is_not_staff_never_sees_the_queue(client, pending):
    force_login_staff(client, MembershipFactory(company=pending, role="admin").user)

    assert client.get(reverse("admin:index")).status_code == 302


def test_a_centre_manager_sees_the_queue_of_their_own_centre_only(
    client, staff_user, today, requested
):
    from django.apps import apps
    from django.contrib.auth.models import Group

    from accounts.models import StaffScope
    from accounts.staff import CENTRE_MANAGERS_GROUP, sync_kdisc_staff_group

    kollam = CentreFactory(name="Kollam")
    varkala = CentreFactory(name="Varkala")
    book_today(kollam, today, checked_in=1, booked=1)
    book_today(varkala, today, checked_in=0, booked=1)
    add_closure(centre=varkala, day=today + timedelta(days=3), reason="Varkala festival")
    sync_kdisc_staff_group(apps)
    manager = UserFactory(email="manager@kollam.example", is_staff=True)
    manager.groups.add(Group.objects.get(name=CENTRE_MANAGERS_GROUP))
    scope = StaffScope.objects.create(user=manager, kind=StaffScope.Kind.CENTRE_MANAGER)
    scope.centres.add(kollam)
    force_login_staff(client, manager)

    html = front_page(client)

    assert ">Kollam</a>" in html
    assert "Varkala" not in html  # neither its arrivals nor its closure day
    assert requested.company.name not in html  # a reservation at another centre
    assert "Companies waiting" not in html  # approving companies is K-DISC's
