from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from wnh.audit import audited

from .validators import GSTIN_PATTERN, validate_gstin


@audited()
class Company(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(unique=True, max_length=200)
    contact_email = models.EmailField(_("contact email"))
    gstin = models.CharField(_("GSTIN"), max_length=15, blank=True, validators=[validate_gstin])
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="company_name_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(gstin="") | models.Q(gstin__regex=GSTIN_PATTERN),
                name="company_gstin_valid",
            ),
            models.UniqueConstraint(
                fields=["gstin"], condition=~models.Q(gstin=""), name="company_gstin_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def has_member(self, user) -> bool:
        return self.memberships.filter(user=user).exists()

    def has_admin(self, user) -> bool:
        return Membership.admins_of(self.pk).filter(user=user).exists()


@audited()
class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["company", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="one_membership_per_company")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.company} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @classmethod
    def admins(cls) -> models.QuerySet:
        """Every admin membership: the one home of "is a company admin"."""
        return cls.objects.filter(role=cls.Role.ADMIN)

    @classmethod
    def admins_of(cls, company_id: int) -> models.QuerySet:
        """The admin memberships of a company: who may act for it."""
        return cls.admins().filter(company_id=company_id)


@audited(exclude=["email"])
class Invitation(models.Model):
    """An emailed invitation to join a company. The link carries a signed, expiring token."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role, default=Membership.Role.MEMBER
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "company",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.company}"
