"""Writes to companies, their memberships and invitations.

Emails go out on commit (companies/emails.py), so a refused or rolled-back change sends none.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from wnh.db import locking_transaction

from . import emails, webhooks
from .errors import (
    AlreadyAMember,
    AlreadyInvited,
    CompanyNameTaken,
    CompanyNotActive,
    CompanyStatusUnchanged,
    InvitationExpired,
    InvitationForSomeoneElse,
    InvitationInvalid,
    InvitationNoLongerOpen,
    LastAdmin,
    NotAMember,
    NotCompanyAdmin,
    NoWebhookEvents,
    TooManyWebhookEndpoints,
    WebhookEndpointOff,
)
from .models import Company, Invitation, Membership, WebhookDelivery, WebhookEndpoint
from .webhook_addresses import check_endpoint_url

INVITATION_SALT = "companies.invitation"
# Paths under /companies/ that are not a company's pages (bookings/company_pages/urls.py).
RESERVED_SLUGS = {"register", "invitations"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "company"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Company.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def register_company(
    *, name: str, contact_email: str, created_by: User, gstin: str = "", website: str = ""
) -> Company:
    """A signed-in person registers a company; they become its first admin. It waits for
    K-DISC approval before it can reserve pods."""
    try:
        with transaction.atomic():
            company = Company.objects.create(
                name=name.strip(),
                slug=_unique_slug(name),
                contact_email=contact_email,
                gstin=gstin.strip().upper(),
                website=website,
                created_by=created_by,
            )
    except IntegrityError as error:
        raise CompanyNameTaken() from error
    Membership.objects.create(user=created_by, company=company, role=Membership.Role.ADMIN)
    emails.send_on_commit(
        template="registered", to=emails.admin_addresses(company), context={"company": company}
    )
    return company


@locking_transaction(durable=False)
def approve_company(*, company: Company, by: User) -> Company:
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.status == Company.Status.APPROVED:
        raise CompanyStatusUnchanged()
    company.status = Company.Status.APPROVED
    company.approved_at = timezone.now()
    company.suspended_at = None
    company.save(update_fields=["status", "approved_at", "suspended_at"])
    emails.send_on_commit(
        template="approved", to=emails.admin_addresses(company), context={"company": company}
    )
    return company


@locking_transaction(durable=False)
def suspend_company(*, company: Company, by: User) -> Company:
    """A suspended company keeps its history but cannot reserve pods or book in them."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.status == Company.Status.SUSPENDED:
        raise CompanyStatusUnchanged()
    company.status = Company.Status.SUSPENDED
    company.suspended_at = timezone.now()
    company.save(update_fields=["status", "suspended_at"])
    emails.send_on_commit(
        template="suspended", to=emails.admin_addresses(company), context={"company": company}
    )
    return company


@transaction.atomic
def add_member(*, company: Company, user: User, role: str = Membership.Role.MEMBER) -> Membership:
    try:
        with transaction.atomic():
            membership = Membership.objects.create(company=company, user=user, role=role)
    except IntegrityError as error:
        raise AlreadyAMember() from error
    webhooks.emit(
        company_id=company.pk,
        event_type=webhooks.MEMBER_JOINED,
        data=lambda: member_data(membership),
    )
    return membership


def member_data(membership: Membership) -> dict:
    """A member as webhooks tell of them: what the company's admins see on its pages."""
    user = membership.user
    return {
        "user": {"id": user.pk, "email": user.email, "name": user.full_name},
        "role": membership.role,
    }


# -- the company admin's own pages --------------------------------------------------------


def ensure_admin(*, company: Company, user: User) -> None:
    """Only the company's admins manage it, and a suspended company changes nothing."""
    if not company.has_admin(user):
        raise NotCompanyAdmin()
    if company.status == Company.Status.SUSPENDED:
        raise CompanyNotActive()


def invitation_token(invitation: Invitation) -> str:
    """The signed token in the invitation link: the invitation and the address it was for.
    Signing (with the project's secret key) makes a tampered token fail; its timestamp lets
    accept_invitation refuse an old one."""
    return signing.dumps(
        {"invitation": invitation.pk, "email": invitation.email.lower()}, salt=INVITATION_SALT
    )


def invitation_max_age_seconds() -> int:
    return settings.WNH_INVITATION_MAX_AGE_DAYS * 24 * 3600


@transaction.atomic
def invite_member(
    *, company: Company, email: str, invited_by: User, role: str = Membership.Role.MEMBER
) -> Invitation:
    """Email a signed, expiring link that lets the owner of `email` join `company`."""
    ensure_admin(company=company, user=invited_by)
    email = email.strip()
    if company.memberships.filter(user__email__iexact=email).exists():
        raise AlreadyAMember()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                company=company, email=email, role=role, invited_by=invited_by
            )
    except IntegrityError as error:  # the partial unique index on open invitations
        raise AlreadyInvited() from error
    emails.send_on_commit(
        template="invitation",
        to=[email],
        context={
            "invitation": invitation,
            "token": invitation_token(invitation),
            "inviter": invited_by.get_full_name(),
            "max_age_days": settings.WNH_INVITATION_MAX_AGE_DAYS,
        },
    )
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link points at, or InvitationInvalid / InvitationExpired."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=invitation_max_age_seconds())
    except signing.SignatureExpired as error:
        raise InvitationExpired() from error
    except signing.BadSignature as error:
        raise InvitationInvalid() from error
    invitation = (
        Invitation.objects.select_related("company").filter(pk=data.get("invitation")).first()
    )
    if invitation is None or invitation.email.lower() != data.get("email"):
        raise InvitationInvalid()
    return invitation


def open_invitation_for(*, token: str, user: User) -> Invitation:
    """The invitation a link points at while `user` can still accept it, or why not.

    Only then may a page show it: a withdrawn, used or forwarded link names neither the
    company nor the invited address.
    """
    invitation = invitation_from_token(token)
    if invitation.accepted_at or invitation.revoked_at:
        raise InvitationNoLongerOpen()
    if (user.email or "").lower() != invitation.email.lower():
        raise InvitationForSomeoneElse()
    return invitation


@locking_transaction(durable=False)
def accept_invitation(*, token: str, user: User) -> Membership:
    """`user`, logged in with the invited address, joins the company with the invited role."""
    invitation = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise InvitationNoLongerOpen()
    if (user.email or "").lower() != invitation.email.lower():
        raise InvitationForSomeoneElse()
    company = invitation.company
    if company.status == Company.Status.SUSPENDED:
        raise CompanyNotActive()
    membership = add_member(company=company, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return membership


@locking_transaction(durable=False)
def revoke_invitation(*, invitation: Invitation, by: User) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update().select_related("company").get(pk=invitation.pk)
    )
    ensure_admin(company=invitation.company, user=by)
    if invitation.accepted_at or invitation.revoked_at:
        raise InvitationNoLongerOpen()
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def _lock_memberships(company: Company) -> list[Membership]:
    # Locking every membership row of the company serialises role changes and removals,
    # so two admins cannot remove each other at once and leave the company with none.
    return list(Membership.objects.select_for_update().filter(company=company).order_by("pk"))


@locking_transaction(durable=False)
def end_membership(*, company: Company, user: User, by: User) -> Membership:
    """Take `user` out of `company`, refusing to leave it without an admin. What happens to
    their bookings in the company's pods is the bookings layer's: a member is removed
    through bookings.core.services.remove_member, which calls this first."""
    memberships = _lock_memberships(company)
    ensure_admin(company=company, user=by)  # under the lock: `by` may be being removed
    membership = next((m for m in memberships if m.user_id == user.pk), None)
    if membership is None:
        raise NotAMember()
    admins = [m for m in memberships if m.is_admin]
    if membership.is_admin and len(admins) == 1:
        raise LastAdmin()
    membership.delete()
    webhooks.emit(
        company_id=company.pk,
        event_type=webhooks.MEMBER_LEFT,
        data=lambda: member_data(membership),
    )
    return membership


@locking_transaction(durable=False)
def change_role(*, company: Company, user: User, role: str, by: User) -> Membership:
    memberships = _lock_memberships(company)
    ensure_admin(company=company, user=by)  # under the lock: `by` may be being demoted
    membership = next((m for m in memberships if m.user_id == user.pk), None)
    if membership is None:
        raise NotAMember()
    admins = [m for m in memberships if m.is_admin]
    if membership.is_admin and role != membership.role and len(admins) == 1:
        raise LastAdmin()
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


# -- webhooks -------------------------------------------------------------------------------

MAX_WEBHOOK_ENDPOINTS = 10


@locking_transaction(durable=False)
def add_webhook_endpoint(
    *, company: Company, url: str, event_types: list[str], by: User
) -> WebhookEndpoint:
    """Subscribe `url` to `event_types`; the secret that signs its deliveries is made here
    and shown to the admin once. The URL is refused unless the portal may post to it now
    (companies/webhooks.py checks it again before every attempt)."""
    ensure_admin(company=company, user=by)
    url = check_endpoint_url(url)
    chosen = sorted(set(event_types))
    if not chosen or not set(chosen) <= set(webhooks.EVENT_TYPES):
        raise NoWebhookEvents()
    Company.objects.select_for_update().get(pk=company.pk)  # one count at a time
    if company.webhook_endpoints.count() >= MAX_WEBHOOK_ENDPOINTS:
        raise TooManyWebhookEndpoints(
            TooManyWebhookEndpoints.message % {"count": MAX_WEBHOOK_ENDPOINTS}
        )
    return WebhookEndpoint.objects.create(
        company=company,
        url=url,
        secret="whsec_" + secrets.token_hex(32),
        event_types=chosen,
        created_by=by,
    )


@transaction.atomic
def delete_webhook_endpoint(*, endpoint: WebhookEndpoint, by: User) -> None:
    """The endpoint and its delivery log go; a delivery on its way is not sent."""
    ensure_admin(company=endpoint.company, user=by)
    endpoint.delete()


@transaction.atomic
def turn_webhook_endpoint_on(*, endpoint: WebhookEndpoint, by: User) -> WebhookEndpoint:
    """After the receiver is mended: the endpoint gets events again, its failures forgotten."""
    ensure_admin(company=endpoint.company, user=by)
    endpoint.is_active = True
    endpoint.disabled_at = None
    endpoint.consecutive_failures = 0
    endpoint.save(update_fields=["is_active", "disabled_at", "consecutive_failures"])
    return endpoint


@transaction.atomic
def send_test_webhook(*, endpoint: WebhookEndpoint, by: User) -> WebhookDelivery:
    ensure_admin(company=endpoint.company, user=by)
    if not endpoint.is_active:
        raise WebhookEndpointOff()
    return webhooks.send_test_event(endpoint=endpoint)


@transaction.atomic
def replay_webhook(*, delivery: WebhookDelivery, by: User) -> WebhookDelivery:
    """Send a delivery's event again, with the same Webhook-Id."""
    ensure_admin(company=delivery.endpoint.company, user=by)
    if not delivery.endpoint.is_active:
        raise WebhookEndpointOff()
    return webhooks.replay(delivery=delivery)
