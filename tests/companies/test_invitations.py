"""Invitations: a signed, expiring link that only the invited address can accept."""

import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.urls import reverse

from companies.errors import (
    AlreadyInvited,
    InvitationExpired,
    InvitationForSomeoneElse,
    InvitationInvalid,
    InvitationNoLongerOpen,
    NotCompanyAdmin,
)
from companies.models import Invitation, Membership
from companies.services import (
    accept_invitation,
    invitation_token,
    invite_member,
    revoke_invitation,
)
from tests.support.factories import UserFactory


@pytest.fixture
def invitee(db):
    return UserFactory(email="Chitra@Example.com")


@pytest.fixture
def invitation(company_a, admin_a):
    return invite_member(company=company_a, email="chitra@example.com", invited_by=admin_a)


def test_an_admin_invites_by_email_and_the_link_in_the_email_lets_them_join(
    client, company_a, admin_a, invitee, django_capture_on_commit_callbacks
):
    client.force_login(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("companies:members", args=[company_a.slug]),
            {"email": "chitra@example.com", "role": "member"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["chitra@example.com"]
    path = re.search(r"https?://[^/]+(/companies/invitations/[^/\s]+/)", message.body).group(1)
    assert path in message.alternatives[0][0]

    client.force_login(invitee)
    page = client.get(path)
    assert company_a.name in page.content.decode()
    response = client.post(path)

    assert response.status_code == 302
    membership = Membership.objects.get(user=invitee)
    assert membership.company == company_a
    assert membership.role == Membership.Role.MEMBER
    assert Invitation.objects.get().accepted_at is not None


def test_accepting_asks_a_logged_out_person_to_log_in_first(client, invitation):
    response = client.get(reverse("companies:accept", args=[invitation_token(invitation)]))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_an_account_with_another_email_cannot_accept(invitation, professional):
    with pytest.raises(InvitationForSomeoneElse):
        accept_invitation(token=invitation_token(invitation), user=professional)
    assert not Membership.objects.filter(user=professional).exists()


def test_an_expired_invitation_is_refused(invitation, invitee, settings):
    token = invitation_token(invitation)
    later = time.time() + (settings.WNH_INVITATION_MAX_AGE_DAYS + 1) * 24 * 3600
    with (
        mock.patch("django.core.signing.time.time", return_value=later),
        pytest.raises(InvitationExpired),
    ):
        accept_invitation(token=token, user=invitee)
    assert not Membership.objects.filter(user=invitee).exists()


def test_an_invitation_just_inside_its_age_is_accepted(invitation, invitee, settings):
    token = invitation_token(invitation)
    later = time.time() + settings.WNH_INVITATION_MAX_AGE_DAYS * 24 * 3600 - 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        accept_invitation(token=token, user=invitee)
    assert Membership.objects.filter(user=invitee).exists()


def test_a_tampered_token_is_refused(client, invitation, invitee):
    token = invitation_token(invitation)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(InvitationInvalid):
        accept_invitation(token=tampered, user=invitee)
    client.force_login(invitee)
    response = client.post(reverse("companies:accept", args=[tampered]))
    assert response.status_code == 400
    assert not Membership.objects.filter(user=invitee).exists()


def test_a_token_signed_for_another_invitation_address_is_refused(invitation, invitee):
    forged = signing.dumps(
        {"invitation": invitation.pk, "email": "someone@else.example"},
        salt="companies.invitation",
    )
    with pytest.raises(InvitationInvalid):
        accept_invitation(token=forged, user=invitee)


def test_a_withdrawn_or_used_invitation_cannot_be_accepted(invitation, invitee, admin_a):
    token = invitation_token(invitation)
    revoke_invitation(invitation=invitation, by=admin_a)
    with pytest.raises(InvitationNoLongerOpen):
        accept_invitation(token=token, user=invitee)


def test_an_invitation_is_accepted_only_once(invitation, invitee):
    token = invitation_token(invitation)
    accept_invitation(token=token, user=invitee)
    with pytest.raises(InvitationNoLongerOpen):
        accept_invitation(token=token, user=invitee)
    assert Membership.objects.filter(user=invitee).count() == 1


def test_one_open_invitation_per_address(company_a, admin_a, invitation):
    with pytest.raises(AlreadyInvited):
        invite_member(company=company_a, email="CHITRA@example.com", invited_by=admin_a)


def test_a_plain_member_cannot_invite(company_a, member_a):
    with pytest.raises(NotCompanyAdmin):
        invite_member(company=company_a, email="x@example.com", invited_by=member_a)
    assert not Invitation.objects.exists()


def test_an_invalid_address_gets_a_message_and_sends_nothing(client, company_a, admin_a):
    client.force_login(admin_a)
    response = client.post(
        reverse("companies:members", args=[company_a.slug]), {"email": "not-an-address"}
    )
    assert response.status_code == 200
    assert "valid email" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
