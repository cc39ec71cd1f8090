"""The company dashboard's words (issue 14: "You are a Admin")."""

import pytest

from tests.support.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_company_dashboard_names_the_role_in_a_whole_sentence(client):
    admin = MembershipFactory(company=CompanyFactory(slug="kcw"), role="admin").user
    client.force_login(admin)
    assert "You are an admin of this company." in client.get("/companies/kcw/").content.decode()


def test_a_member_reads_that_they_are_a_member(client):
    member = MembershipFactory(company=CompanyFactory(slug="kcw")).user
    client.force_login(member)
    assert "You are a member of this company." in client.get("/companies/kcw/").content.decode()
