import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from centres.models import District
from centres.selectors import post_office_name
from centres.validators import validate_pin_code

from .phones import E164_INDIA_MOBILE


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str | None, password: str | None, **extra_fields):
        # A person signs up with an email address or a mobile number (or both).
        if not email and not extra_fields.get("phone"):
            raise ValueError("An email address or a mobile number is required.")
        user = self.model(email=self.normalize_email(email) or None, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str | None = None, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class User(AbstractUser):
    """A person who logs in with their email or their mobile number: a professional, a company
    admin or K-DISC staff. Either may be missing (NULL, never ""), not both."""

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        MALAYALAM = "ml", "മലയാളം"

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    # An Indian mobile number in E.164 (accounts/phones.py), a way to sign in by a code sent
    # by SMS; verified once the person typed a code sent to it (allauth's phone verification).
    phone = models.CharField(_("mobile number"), max_length=16, unique=True, null=True, blank=True)
    phone_verified = models.BooleanField(
        _("mobile number verified"), default=False, db_default=False
    )
    # Home: where "centres near me" measures from. Coordinates come from the PIN code or
    # locality the person picks; both are optional until they set them.
    home_pin_code = models.CharField(
        _("home PIN code"), max_length=6, blank=True, validators=[validate_pin_code]
    )
    home_place = models.CharField(_("home locality"), max_length=120, blank=True)
    home_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    home_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class NotifyBy(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        BOTH = "both", _("Email and SMS")

    language = models.CharField(
        _("preferred language"), max_length=5, choices=Language, default=Language.ENGLISH
    )
    # How reminders and waitlist offers reach the person (accounts/notify.py). SMS go to
    # accounts.selectors.sms_number; without one, email is used whatever this says, and without
    # an email address the SMS (accounts/notify.py).
    notify_by = models.CharField(
        _("reminders and offers by"),
        max_length=5,
        choices=NotifyBy,
        default=NotifyBy.EMAIL,
        db_default=NotifyBy.EMAIL,
    )
    # The secret in the personal iCalendar feed URL; rotating it revokes old subscriptions.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    # The privacy notice the person accepted at sign-up (accounts/notice.py), and when.
    privacy_notice_version = models.CharField(max_length=20, blank=True, default="", db_default="")
    privacy_notice_accepted_at = models.DateTimeField(null=True, blank=True)
    # Set when the account was erased (bookings/privacy/services.py): the row stays, as "a former
    # member", so past seat-days still count; nothing in it names the person.
    erased_at = models.DateTimeField(null=True, blank=True)
    # When the retention sweep warned that this unused account will be erased.
    retention_warned_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=models.Q(phone__isnull=True) | models.Q(phone__regex=E164_INDIA_MOBILE),
                name="user_phone_e164_india_mobile",
            ),
            models.CheckConstraint(
                condition=(models.Q(email__isnull=True) | ~models.Q(email=""))
                & (models.Q(phone__isnull=True) | ~models.Q(phone="")),
                name="user_email_phone_null_not_empty",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(home_latitude__isnull=True, home_longitude__isnull=True)
                    | models.Q(
                        home_latitude__gte=-90,
                        home_latitude__lte=90,
                        home_longitude__gte=-180,
                        home_longitude__lte=180,
                    )
                ),
                name="user_home_coordinates_valid",
            ),
        ]

    def clean(self):
        super().clean()
        # AbstractUser.clean normalises a missing address to "": absent stays NULL.
        self.email = self.email or None

    def save(self, *args, **kwargs):
        # Absent is NULL, so that unique holds only between people who have one.
        self.email = self.email or None
        self.phone = self.phone or None
        if self.phone is None:
            self.phone_verified = False
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.email or self.phone or f"#{self.pk}"

    @property
    def contact(self) -> str:
        """How staff and company admins see who this is: the email, else the mobile number."""
        return self.email or self.phone or ""

    def get_full_name(self) -> str:
        if self.erased_at is not None:
            return str(_("a former member"))
        return self.full_name or self.contact

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.contact

    @property
    def has_home(self) -> bool:
        return self.home_latitude is not None and self.home_longitude is not None

    @property
    def local_home_place(self) -> str:
        """The home's post office in the language of the page (centres/text.py)."""
        return post_office_name(self.home_pin_code, self.home_place) if self.home_place else ""


class StaffScope(models.Model):
    """Joins a staff member to the places they run: some centres (a centre manager) or one
    district (a district coordinator). What they may do comes from their group's
    permissions; where, from these rows (accounts/scopes.py). K-DISC staff need none: their
    group reaches every centre."""

    class Kind(models.TextChoices):
        CENTRE_MANAGER = "manager", _("Centre manager")
        DISTRICT_COORDINATOR = "coordinator", _("District coordinator")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_scopes")
    kind = models.CharField(_("role"), max_length=12, choices=Kind)
    centres = models.ManyToManyField(
        "centres.Centre",
        blank=True,
        related_name="staff_scopes",
        verbose_name=_("centres"),
        help_text=_("For a centre manager: the centres they run."),
    )
    district = models.CharField(
        _("district"),
        max_length=3,
        choices=District,
        blank=True,
        help_text=_("For a district coordinator: every centre in this district."),
    )

    class Meta:
        verbose_name = _("staff scope")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="manager", district="") | ~models.Q(kind="manager"))
                & (models.Q(kind="coordinator", district__gt="") | ~models.Q(kind="coordinator")),
                name="staff_scope_district_for_coordinators_only",
            ),
            models.UniqueConstraint(
                fields=["user", "district"],
                condition=models.Q(kind="coordinator"),
                name="one_scope_per_coordinator_district",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.DISTRICT_COORDINATOR:
            return f"{self.user}: coordinator of {self.get_district_display()}"
        return f"{self.user}: centre manager"
