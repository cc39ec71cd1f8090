"""An invitation link that can no longer be accepted (withdrawn, used, expired, forged) or
is opened by someone else shows nothing of the company or the invited address."""

import time
from unittest import mock

import pytest
from django.urls import reverse

from companies.services import accept_invitation, invitation_token, invite_member, revoke_invitation
from tests.support.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPANY = "Ponmudi Payroll"
ADDRESS = "chitra@example.com"


@pytest.fixture
def admin():
    return MembershipFactory(company=CompanyFactory(name=COMPANY), role="admin").user


@pytest.fixture
def invitation(admin):
    return invite_member(company=admin.memberships.get().company, email=ADDRESS, invited_by=admin)


@pytest.fixture
def invitee(db):
    return UserFactory(email=ADDRESS)


def open_link(client, token, method="get"):
    return getattr(client, method)(reverse("companies:accept", args=[token]))


def assert_shows_nothing(response):
    html = response.content.decode()
    assert 400 <= response.status_code < 500
    assert COMPANY not in html
    assert ADDRESS not in html
    assert "Accept and join" not in html


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_withdrawn_invitation_shows_nothing(client, invitation, admin, invitee, method):
    token = invitation_token(invitation)
    revoke_invitation(invitation=invitation, by=admin)
    client.force_login(invitee)

    assert_shows_nothing(open_link(client, token, method))


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_used_invitation_shows_nothing(client, invitation, invitee, method):
    token = invitation_token(invitation)
    accept_invitation(token=token, user=invitee)
    client.force_login(UserFactory(email="someone@else.example"))

    assert_shows_nothing(open_link(client, token, method))


def test_an_expired_invitation_shows_nothing(client, invitation, invitee, settings):
    token = invitation_token(invitation)
    later = time.time() + (settings.WNH_INVITATION_MAX_AGE_DAYS + 1) * 24 * 3600
    client.force_login(invitee)

    with mock.patch("django.core.signing.time.time", return_value=later):
        assert_shows_nothing(open_link(client, token))


def test_someone_else_signed_in_with_the_link_sees_nothing(client, invitation, invitee):
    client.force_login(UserFactory(email="forwarded-to@example.com"))

    response = open_link(client, invitation_token(invitation))

    assert_shows_nothing(response)
    assert response.status_code == 403


def test_an_open_invitation_still_shows_the_company_and_address(client, invitation, invitee):
    client.force_login(invitee)

    html = open_link(client, invitation_token(invitation)).content.decode()

    assert COMPANY in html
    assert ADDRESS in html
