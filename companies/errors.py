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
