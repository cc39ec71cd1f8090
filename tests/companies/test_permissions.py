"""Nothing of company B is reachable by company A's admin or member, whatever the URL or id;
a plain member of A gets 403 on A's admin pages. Every company URL is listed here."""

import pytest
from django.urls import reverse

from bookings.models import PodReservation, ReservedPodDay
from companies.models import Invitation, Membership
from companies.services import invite_member


@pytest.fixture
def b_objects(company_b, admin_b, member_b, reservation_b):
    invitation = invite_member(company=company_b, email="new@b.example", invited_by=admin_b)
    return {
        "slug": company_b.slug,
        "membership": Membership.objects.get(user=member_b).pk,
        "reservation": reservation_b.pk,
        "invitation": invitation.pk,
    }


# (method, url name, args from B's objects)
B_URLS = [
    ("get", "companies:dashboard", ["slug"]),
    ("get", "companies:members", ["slug"]),
    ("post", "companies:members", ["slug"]),
    ("post", "companies:remove_member", ["slug", "membership"]),
    ("post", "companies:revoke_invitation", ["slug", "invitation"]),
    ("get", "companies:reserve", ["slug"]),
    ("post", "companies:reserve", ["slug"]),
    ("get", "companies:reservations", ["slug"]),
    ("post", "companies:cancel_reservation", ["slug", "reservation"]),
    ("get", "companies:team", ["slug"]),
    ("post", "companies:team", ["slug"]),
    ("get", "companies:statement", ["slug"]),
    ("get", "companies:statement_csv", ["slug"]),
]


def _request(client, method, name, args):
    return getattr(client, method)(reverse(name, args=args), {"email": "x@y.example"})


@pytest.mark.parametrize(("method", "name", "arg_names"), B_URLS)
def test_an_admin_of_a_gets_404_for_every_url_of_b(
    client, admin_a, b_objects, method, name, arg_names
):
    client.force_login(admin_a)
    response = _request(client, method, name, [b_objects[a] for a in arg_names])
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "name", "arg_names"),
    [u for u in B_URLS if len(u[2]) > 1],
)
def test_an_admin_of_a_gets_404_for_bs_ids_under_as_own_slug(
    client, company_a, admin_a, b_objects, method, name, arg_names
):
    client.force_login(admin_a)
    args = [company_a.slug if a == "slug" else b_objects[a] for a in arg_names]
    response = _request(client, method, name, args)
    assert response.status_code == 404


def test_nothing_of_b_changed_after_all_those_requests(client, admin_a, b_objects, company_b):
    client.force_login(admin_a)
    for method, name, arg_names in B_URLS:
        _request(client, method, name, [b_objects[a] for a in arg_names])
    assert company_b.memberships.count() == 2
    assert Invitation.objects.get(pk=b_objects["invitation"]).revoked_at is None
    assert PodReservation.objects.get(pk=b_objects["reservation"]).status == "confirmed"
    assert not ReservedPodDay.objects.filter(company=company_b, cancelled_at__isnull=False)


ADMIN_ONLY = [u for u in B_URLS if u[1] not in ("companies:dashboard", "companies:team")]


@pytest.mark.parametrize(("method", "name", "arg_names"), ADMIN_ONLY)
def test_a_plain_member_gets_403_on_their_own_companys_admin_pages(
    client, company_a, admin_a, member_a, method, name, arg_names
):
    ids = {
        "slug": company_a.slug,
        "membership": Membership.objects.get(user=admin_a).pk,
        "reservation": 1,
        "invitation": 1,
    }
    client.force_login(member_a)
    response = _request(client, method, name, [ids[a] for a in arg_names])
    assert response.status_code == 403


def test_a_member_sees_their_own_dashboard_and_team(client, company_a, member_a):
    client.force_login(member_a)
    assert client.get(reverse("companies:dashboard", args=[company_a.slug])).status_code == 200
    assert client.get(reverse("companies:team", args=[company_a.slug])).status_code == 200


def test_a_member_of_a_gets_404_on_bs_team_and_dashboard(client, member_a, company_b):
    client.force_login(member_a)
    assert client.get(reverse("companies:dashboard", args=[company_b.slug])).status_code == 404
    assert client.get(reverse("companies:team", args=[company_b.slug])).status_code == 404


def test_a_slug_that_does_not_exist_is_the_same_404(client, admin_a):
    client.force_login(admin_a)
    assert client.get(reverse("companies:dashboard", args=["no-such"])).status_code == 404
