"""Each refusal of the company services, named, and nothing changed by it."""

import pytest

from bookings.core.services import remove_member
from companies.errors import (
    AlreadyAMember,
    CompanyNameTaken,
    CompanyNotActive,
    CompanyStatusUnchanged,
    LastAdmin,
    NotAMember,
)
from companies.models import Company, Invitation, Membership
from companies.services import (
    add_member,
    approve_company,
    change_role,
    invite_member,
    register_company,
    suspend_company,
)
from tests.support.factories import UserFactory


def test_a_second_company_with_the_same_name_in_another_case_is_refused(professional):
    register_company(name="Kollam Code", contact_email="a@kc.example", created_by=professional)

    with pytest.raises(CompanyNameTaken):
        register_company(name="KOLLAM CODE", contact_email="b@kc.example", created_by=professional)
    assert Company.objects.count() == 1
    assert Membership.objects.count() == 1


def test_a_second_company_with_the_same_gstin_is_refused(professional):
    register_company(
        name="One", contact_email="a@one.example", created_by=professional, gstin="32AABCK1234L1Z5"
    )

    with pytest.raises(CompanyNameTaken):
        register_company(
            name="Two",
            contact_email="a@two.example",
            created_by=professional,
            gstin="32aabck1234l1z5",
        )
    assert Company.objects.count() == 1


def test_approving_an_approved_company_or_suspending_a_suspended_one_says_so(company, staff_user):
    with pytest.raises(CompanyStatusUnchanged):
        approve_company(company=company, by=staff_user)

    suspend_company(company=company, by=staff_user)
    with pytest.raises(CompanyStatusUnchanged):
        suspend_company(company=company, by=staff_user)
    company.refresh_from_db()
    assert company.status == Company.Status.SUSPENDED


def test_adding_a_member_twice_is_refused(company, company_member):
    with pytest.raises(AlreadyAMember):
        add_member(company=company, user=company_member)
    assert company.memberships.filter(user=company_member).count() == 1


def test_inviting_someone_already_in_the_company_is_refused(company, company_admin, company_member):
    with pytest.raises(AlreadyAMember):
        invite_member(company=company, email=company_member.email.upper(), invited_by=company_admin)
    assert not Invitation.objects.exists()


def test_a_suspended_company_invites_nobody(company, company_admin, staff_user):
    suspend_company(company=company, by=staff_user)
    company.refresh_from_db()

    with pytest.raises(CompanyNotActive):
        invite_member(company=company, email="new@example.com", invited_by=company_admin)
    assert not Invitation.objects.exists()


def test_removing_or_changing_someone_outside_the_company_is_refused(company, company_admin):
    outsider = UserFactory()

    with pytest.raises(NotAMember):
        remove_member(company=company, user=outsider, by=company_admin)
    with pytest.raises(NotAMember):
        change_role(company=company, user=outsider, role="admin", by=company_admin)


def test_the_last_admin_can_be_neither_removed_nor_demoted(company, company_admin):
    with pytest.raises(LastAdmin):
        remove_member(company=company, user=company_admin, by=company_admin)
    with pytest.raises(LastAdmin):
        change_role(company=company, user=company_admin, role="member", by=company_admin)
    assert company.has_admin(company_admin)
