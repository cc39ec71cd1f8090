from django.utils.translation import gettext_lazy as _

from wnh.errors import DomainError


class CompanyNameTaken(DomainError):
    message = _("A company with that name or GSTIN is already registered.")
    code = "company_name_taken"


class AlreadyAMember(DomainError):
    message = _("That person is already a member of the company.")
    code = "already_a_member"


class CompanyStatusUnchanged(DomainError):
    message = _("The company already has that status.")
    code = "company_status_unchanged"


class CompanyError(DomainError):
    code = "company_error"


class NotCompanyAdmin(CompanyError):
    message = _("Only the company's admins can do that.")
    status = 403
    code = "not_company_admin"


class CompanyNotActive(CompanyError):
    message = _("The company is suspended: it keeps its history but cannot make changes.")
    status = 403
    code = "company_not_active"


class InvitationInvalid(CompanyError):
    message = _("That invitation link is not valid. Ask the company admin for a new one.")
    status = 400
    code = "invitation_invalid"


class InvitationExpired(CompanyError):
    message = _("That invitation has expired. Ask the company admin for a new one.")
    status = 400
    code = "invitation_expired"


class InvitationNoLongerOpen(CompanyError):
    message = _("That invitation was already used or withdrawn.")
    code = "invitation_no_longer_open"


class InvitationForSomeoneElse(CompanyError):
    message = _(
        "That invitation was sent to another email address. Log in with the invited address."
    )
    status = 403
    code = "invitation_for_someone_else"


class AlreadyInvited(CompanyError):
    message = _("That address already has an open invitation.")
    code = "already_invited"


class LastAdmin(CompanyError):
    message = _("A company needs at least one admin: make someone else an admin first.")
    code = "last_admin"


class NotAMember(CompanyError):
    message = _("That person is not a member of the company.")
    status = 404
    code = "not_a_member"


class WebhookURLRefused(CompanyError):
    """An endpoint's URL the portal will not post to; the message says why."""

    message = _("That URL cannot receive webhooks.")
    status = 400
    code = "webhook_url_refused"


class NoWebhookEvents(CompanyError):
    message = _("Choose at least one event to send.")
    status = 400
    code = "no_webhook_events"


class TooManyWebhookEndpoints(CompanyError):
    message = _("A company can have at most %(count)d webhook endpoints: delete one first.")
    status = 400
    code = "too_many_webhook_endpoints"


class WebhookEndpointOff(CompanyError):
    message = _("The endpoint is turned off: turn it back on first.")
    code = "webhook_endpoint_off"
