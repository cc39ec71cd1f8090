from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

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


class ApiToken(AbstractAuthToken):
    """An API token (the API's `Authorization: Token ...`): django-rest-knox keeps only its
    SHA-512 digest and its first characters to find it; the token itself is shown once, when
    it is made. Deleting the row revokes it; past its expiry it is refused and deleted.

    A personal token acts as its person. A company token (with `company`) is made by one of
    the company's admins for an integration: it reaches only that company's endpoints, within
    its scope, and only while its maker is still an admin there. Its services are in
    bookings/api/tokens.py."""

    class Scope(models.TextChoices):
        READ = "read", _("read: members, reservations, statements")
        BOOK = "book", _("read, and book members into the company's pods")
        RESERVE = "reserve", _("read, and reserve pods")

    name = models.CharField(_("name"), max_length=100)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, null=True, blank=True, related_name="api_tokens"
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            # A company token has a scope; a personal one has none (it is its person).
            models.CheckConstraint(
                condition=(models.Q(company__isnull=True) & models.Q(scope=""))
                | (
                    models.Q(company__isnull=False)
                    & models.Q(scope__in=["read", "book", "reserve"])
                ),
                name="api_token_scope_iff_company",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…) of {self.company or self.user}"

    def allows(self, scope: str) -> bool:
        """Whether this company token may do what needs `scope` (every scope reads)."""
        return scope == self.Scope.READ or scope == self.scope


class WebhookEndpoint(models.Model):
    """A URL of the company's own systems that is told, by a signed POST, about the events
    it subscribed to (companies/webhooks.py). Not in the audit history: it would keep a copy
    of the secret."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.CharField(_("URL"), max_length=2000)
    # Signs every delivery (HMAC-SHA256); shown to the admin once, when the endpoint is made.
    secret = models.CharField(max_length=100)
    event_types = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    # Deliveries that failed for good in a row; WEBHOOKS_DISABLE_AFTER_FAILURES turns it off.
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["company", "created_at"]

    def __str__(self) -> str:
        return f"{self.url} ({self.company})"


class WebhookDelivery(models.Model):
    """One event for one endpoint, and how its sending went. Written in the transaction of
    the change it tells about, sent after commit; a periodic sweep sends any whose message
    was lost (DESIGN.md rule 8)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The same on every attempt and on a replay, so the receiver can tell a repeat.
    event_id = models.UUIDField(db_index=True)
    event_type = models.CharField(_("event"), max_length=50)
    payload = models.JSONField()
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            # The sweep's question: which pending deliveries are due.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} to {self.endpoint_id}"
