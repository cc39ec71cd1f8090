from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from centres.models import Centre, Pod, Seat
from companies.models import Company
from wnh import weekdays
from wnh.audit import audited
from wnh.weekdays import WeekdaysField

# The longest pod reservation one request may cover; longer terms are renewed.
MAX_RESERVATION_DAYS = 366


@audited(quiet=["reminder_sent_at", "morning_reminder_sent_at"])
class SeatBooking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CHECKED_IN = "checked_in", _("Checked in")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    ACTIVE = (Status.BOOKED, Status.CHECKED_IN)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="seat_bookings"
    )
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="bookings")
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.BOOKED)
    # Set when the seat was booked inside a pod the company had reserved that day: the
    # company's monthly statement counts these seat-days.
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="seat_bookings"
    )
    # Who made the booking: the person, or a company admin assigning a member to a seat.
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    no_show_at = models.DateTimeField(null=True, blank=True)
    # Claimed by the reminder sweep with UPDATE ... WHERE reminder_sent_at IS NULL.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # The same for the optional morning-of reminder (WNH_REMINDER_MORNING_AT).
    morning_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["seat", "day"],
                condition=models.Q(status__in=["booked", "checked_in"]),
                name="one_active_booking_per_seat_day",
            ),
            models.UniqueConstraint(
                fields=["user", "day"],
                condition=models.Q(status__in=["booked", "checked_in"]),
                name="one_active_booking_per_person_day",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | models.Q(cancelled_at__isnull=False),
                name="cancelled_booking_has_cancelled_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="checked_in") | models.Q(checked_in_at__isnull=False),
                name="checked_in_booking_has_checked_in_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="no_show") | models.Q(no_show_at__isnull=False),
                name="no_show_booking_has_no_show_at",
            ),
        ]
        indexes = [
            # The day's sweeps (reminders, no-show release) and the occupancy rollup.
            models.Index(fields=["day", "status"], name="booking_day_status_idx"),
            # "My bookings", newest first.
            models.Index(fields=["user", "-day"], name="booking_user_day_idx"),
            # A company's statement and team view.
            models.Index(fields=["company", "day"], name="booking_company_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.seat} · {self.day}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


@audited()
class PodReservation(models.Model):
    """A company's request for a pod over a date range on some weekdays.

    Confirming it writes one ReservedPodDay row a day; those rows, not this one, are what
    the database keeps unique, so two confirmations cannot both hold a pod on one day.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="pod_reservations")
    pod = models.ForeignKey(Pod, on_delete=models.PROTECT, related_name="reservations")
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    weekdays = WeekdaysField(_("weekdays"), default=weekdays.MONDAY_TO_FRIDAY)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.REQUESTED, db_index=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-first_day", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_day__lte=models.F("last_day")),
                name="reservation_first_day_not_after_last",
            ),
            models.CheckConstraint(
                condition=models.Q(weekdays__gte=1, weekdays__lte=weekdays.ALL_DAYS),
                name="reservation_weekdays_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="confirmed") | models.Q(confirmed_at__isnull=False),
                name="confirmed_reservation_has_confirmed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} · {self.pod} · {self.first_day}–{self.last_day}"


@audited()
class ReservedPodDay(models.Model):
    """One day of a confirmed pod reservation: the row the uniqueness rule lives on."""

    pod = models.ForeignKey(Pod, on_delete=models.PROTECT, related_name="reserved_days")
    day = models.DateField(_("day"))
    reservation = models.ForeignKey(PodReservation, on_delete=models.PROTECT, related_name="days")
    # The reservation's company, copied so a seat booking checks one row, not two.
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="reserved_days")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "pod"]
        constraints = [
            models.UniqueConstraint(
                fields=["pod", "day"],
                condition=models.Q(cancelled_at__isnull=True),
                name="one_active_reservation_per_pod_day",
            ),
        ]
        indexes = [models.Index(fields=["company", "day"], name="reserved_company_day_idx")]

    def __str__(self) -> str:
        return f"{self.pod} reserved for {self.company} on {self.day}"


class PodDayCount(models.Model):
    """How many seats of a pod are booked (booked or checked in) on a day.

    Kept by database triggers on the bookings table (migration 0003), in the transaction of
    every insert, change and delete of a booking, whichever path makes it: the services, the
    admin, a bulk update. "Free seats" then costs a few index lookups per centre, however many
    bookings the table holds. It only tells people what is free: a booking is still decided
    under the pod's lock by the unique constraints. `bookings.core.pods.repair_counts`
    compares the rows with the bookings and repairs any drift.
    """

    pod = models.ForeignKey(Pod, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    booked = models.IntegerField(_("seats booked"), default=0)
    # One more with every change of a booking or a pod reservation of this pod on this day
    # (the same triggers, same transaction): with the centre's version, the key of the cached
    # seat map (bookings/centre_pages/page_cache.py). Never lowered, and a row is deleted only
    # with its pod, which changes the centre's version.
    version = models.BigIntegerField(default=0, db_default=0, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pod", "day"], name="one_count_per_pod_day"),
        ]

    def __str__(self) -> str:
        return f"{self.pod} on {self.day}: {self.booked}"


class WaitlistEntry(models.Model):
    """A person waiting for a seat at a full centre on a day."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OFFERED = "offered", _("Offered a seat")
        ACCEPTED = "accepted", _("Booked")
        EXPIRED = "expired", _("Offer expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="waitlist")
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    offered_seat = models.ForeignKey(
        Seat, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "centre", "day"],
                condition=models.Q(status__in=["waiting", "offered"]),
                name="one_open_waitlist_entry_per_person",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="offered")
                | models.Q(offered_at__isnull=False, offer_expires_at__isnull=False),
                name="offered_entry_has_offer_times",
            ),
        ]
        indexes = [
            # The line for a centre and day, first come first served.
            models.Index(fields=["centre", "day", "status", "created_at"], name="waitlist_line_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user} waiting for {self.centre} on {self.day}"


class OccupancyDaily(models.Model):
    """A centre's day in figures, computed by the rollup and upserted on (centre, day)."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="occupancy")
    day = models.DateField(_("day"))
    seats = models.PositiveIntegerField(_("active seats"))
    booked = models.PositiveIntegerField(_("seats booked"))
    checked_in = models.PositiveIntegerField(_("checked in"))
    no_shows = models.PositiveIntegerField(_("no-shows"))
    cancelled = models.PositiveIntegerField(_("cancelled"))
    pod_days_reserved = models.PositiveIntegerField(_("pod-days reserved"))
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "centre"]
        verbose_name_plural = "occupancy (daily)"
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "day"], name="one_occupancy_row_per_centre_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre} on {self.day}"


class TurnedAway(models.Model):
    """One time a person went without: no seat for them at a centre, a waitlist that did not
    serve them, or no open centre within a commute of their home.

    No personal data on purpose: no person, no address, no IP; the time is kept to the hour.
    Recorded by bookings.core.demand from the one place each refusal is decided, and rolled
    up nightly into TurnedAwayDaily (bookings.operations.demand), which the open data shows.
    """

    class Kind(models.TextChoices):
        NO_FREE_SEAT = "no_free_seat", _("No free seat")
        POD_RESERVED = "pod_reserved", _("No free seat outside pods reserved for companies")
        WAITLIST_NOT_SERVED = "waitlist_not_served", _("Waitlisted, not served")
        NO_CENTRE_NEAR = "no_centre_near", _("No open centre within a commute")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    # The centre that turned the person away; none for "no centre near" (the home's area).
    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    district = models.CharField(_("district"), max_length=3, blank=True)
    local_body = models.CharField(_("local self-government body"), max_length=120, blank=True)
    pin_code = models.CharField(_("PIN code"), max_length=6, blank=True)
    day = models.DateField(_("day wanted"))
    hour = models.DateTimeField(_("hour recorded"))

    class Meta:
        verbose_name = _("person turned away")
        verbose_name_plural = _("people turned away")
        indexes = [
            # The rollup counts a range of days; the nightly run finds the days recorded since.
            models.Index(fields=["day"], name="turned_away_day_idx"),
            models.Index(fields=["hour"], name="turned_away_hour_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.day}"


class TurnedAwayDaily(models.Model):
    """People turned away per day, kind and centre (or, with no centre, per home PIN code):
    upserted by the nightly rollup, read by the open data."""

    day = models.DateField(_("day wanted"))
    kind = models.CharField(_("kind"), max_length=20, choices=TurnedAway.Kind)
    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, null=True, blank=True, related_name="turned_away"
    )
    district = models.CharField(_("district"), max_length=3, blank=True)
    local_body = models.CharField(_("local self-government body"), max_length=120, blank=True)
    pin_code = models.CharField(_("PIN code"), max_length=6, blank=True)
    people = models.PositiveIntegerField(_("people turned away"))
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "kind"]
        verbose_name_plural = "people turned away (daily)"
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "centre"],
                condition=models.Q(centre__isnull=False),
                name="one_turned_away_row_per_centre_day_kind",
            ),
            models.UniqueConstraint(
                fields=["day", "kind", "pin_code"],
                condition=models.Q(centre__isnull=True),
                name="one_turned_away_row_per_area_day_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre or self.pin_code} · {self.day} · {self.kind}: {self.people}"


class SearchDaily(models.Model):
    """Searches for centres ("centres near me", on the page and in the API) per day searched
    for, kind and PIN area. No personal data: a search is counted, never stored. Counted in
    Redis as it happens (bookings.core.demand.searched) and written here by the nightly task
    (bookings.operations.demand.flush_searches); K-DISC's planning view reads it."""

    class Kind(models.TextChoices):
        HOME = "home", _("From home")
        POINT = "point", _("From a point on the map")
        NO_PLACE = "no_place", _("Without a place")

    day = models.DateField(_("day searched for"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    district = models.CharField(_("district"), max_length=3, blank=True)
    # The home's PIN code, or the PIN area nearest the point; blank without a place.
    pin_code = models.CharField(_("PIN code"), max_length=6, blank=True)
    searches = models.PositiveIntegerField(_("searches"))
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "kind", "pin_code"]
        verbose_name = _("searches (daily)")
        verbose_name_plural = _("searches (daily)")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "kind", "pin_code"], name="one_search_row_per_area_day_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pin_code or '-'} · {self.day} · {self.kind}: {self.searches}"
