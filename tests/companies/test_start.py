"""Where signing in leads without a `next`: each kind of person's own first page."""

import pytest
from django.urls import reverse

from tests.support.factories import CompanyFactory, MembershipFactory
from tests.support.second_factor import force_login_staff

pytestmark = pytest.mark.django_db


def test_a_company_admin_starts_on_their_company(client, company, company_admin):
    client.force_login(company_admin)
    assert client.get(reverse("start"))["Location"] == reverse(
        "companies:dashboard", kwargs={"slug": company.slug}
    )


def test_an_admin_of_two_companies_starts_on_the_list_of_them(client, company, company_admin):
    MembershipFactory(
        company=CompanyFactory(name="Kollam Code Works"), user=company_admin, role="admin"
    )
    client.force_login(company_admin)
    assert client.get(reverse("start"))["Location"] == reverse("companies:home")


def test_a_plain_member_without_a_home_sets_it_first(client, company_member):
    client.force_login(company_member)
    assert client.get(reverse("start"))["Location"] == reverse("accounts:profile") + "?welcome=1"


def test_staff_start_on_their_work_queue(client, staff_user):
    force_login_staff(client, staff_user)
    assert client.get(reverse("start"))["Location"] == reverse("admin:index")


def test_nobody_signed_in_is_sent_to_sign_in(client):
    assert reverse("account_login") in client.get(reverse("start"))["Location"]
