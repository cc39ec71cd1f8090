"""The seat map says a pod is "Reserved for a company" and names the company only to its
members: which company works where, and when, is not for the public."""

import pytest

from tests.support.factories import CompanyFactory, MembershipFactory, PodFactory, UserFactory
from tests.support.personas import reserve

pytestmark = pytest.mark.django_db

NAME = "Vizhinjam Secret Labs"


@pytest.fixture
def reserved_pod(next_open_day, staff_user):
    company = CompanyFactory(name=NAME)
    admin = MembershipFactory(company=company, role="admin").user
    pod = PodFactory(capacity=4)
    day = next_open_day
    reserve(company=company, admin=admin, pod=pod, first=day, last=day, staff=staff_user)
    return pod, company


def seat_map_html(client, pod, day, *, htmx=False) -> str:
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(pod.centre.get_absolute_url(), {"day": day}, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_anonymous_visitor_sees_reserved_without_the_companys_name(
    client, reserved_pod, next_open_day, htmx
):
    pod, _ = reserved_pod

    html = seat_map_html(client, pod, next_open_day, htmx=htmx)

    assert "Reserved for a company: only its members can book here." in html
    assert NAME not in html


def test_a_professional_outside_the_company_sees_reserved_without_its_name(
    client, reserved_pod, next_open_day
):
    pod, _ = reserved_pod
    client.force_login(UserFactory(email="outsider@example.com"))

    html = seat_map_html(client, pod, next_open_day)

    assert "Reserved for a company: only its members can book here." in html
    assert NAME not in html


def test_a_member_of_another_company_sees_reserved_without_its_name(
    client, reserved_pod, next_open_day
):
    pod, _ = reserved_pod
    client.force_login(MembershipFactory(company=CompanyFactory(name="Other Co")).user)

    html = seat_map_html(client, pod, next_open_day)

    assert NAME not in html


def test_a_member_of_the_company_still_sees_its_name(client, reserved_pod, next_open_day):
    pod, company = reserved_pod
    client.force_login(MembershipFactory(company=company).user)

    html = seat_map_html(client, pod, next_open_day)

    assert f"Reserved for your company, {NAME}." in html


def test_the_map_for_an_outsider_carries_no_company_object(client, reserved_pod, next_open_day):
    pod, _ = reserved_pod

    response = client.get(pod.centre.get_absolute_url(), {"day": next_open_day})

    (on_map,) = response.context["map"].pods
    assert on_map.reserved
    assert on_map.reserved_for is None
