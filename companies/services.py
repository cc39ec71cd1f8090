"""Writes to companies and their memberships."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User

from .errors import AlreadyAMember, CompanyNameTaken, CompanyStatusUnchanged
from .models import Company, Membership


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "company"
    slug, n = base, 1
    while Company.objects.filter(slug=slug).exists():
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
    return company


@transaction.atomic
def approve_company(*, company: Company, by: User) -> Company:
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.status == Company.Status.APPROVED:
        raise CompanyStatusUnchanged()
    company.status = Company.Status.APPROVED
    company.approved_at = timezone.now()
    company.suspended_at = None
    company.save(update_fields=["status", "approved_at", "suspended_at"])
    return company


@transaction.atomic
def suspend_company(*, company: Company, by: User) -> Company:
    """A suspended company keeps its history but cannot reserve pods or book in them."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.status == Company.Status.SUSPENDED:
        raise CompanyStatusUnchanged()
    company.status = Company.Status.SUSPENDED
    company.suspended_at = timezone.now()
    company.save(update_fields=["status", "suspended_at"])
    return company


@transaction.atomic
def add_member(*, company: Company, user: User, role: str = Membership.Role.MEMBER) -> Membership:
    try:
        with transaction.atomic():
            return Membership.objects.create(company=company, user=user, role=role)
    except IntegrityError as error:
        raise AlreadyAMember() from error
