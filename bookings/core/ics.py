"""Bookings as iCalendar events: the per-booking .ics, the personal feed, reminder mails."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from bookings.models import SeatBooking

PRODID = "-//K-DISC//WNH Seats//EN"


def booking_event(booking: SeatBooking) -> Event:
    seat = booking.seat
    centre = seat.pod.centre
    zone = timezone.get_default_timezone()
    event = Event()
    # Stable across downloads and the feed, so calendars update one event instead of adding.
    event.add("uid", f"booking-{booking.pk}@wnh-seats")
    # In the active language: the page's for a download, the person's for the feed and mails.
    event.add(
        "summary",
        _("WNH seat %(seat)s · %(centre)s") % {"seat": seat.label, "centre": centre.local_name},
    )
    event.add("dtstart", datetime.combine(booking.day, centre.opens_at, tzinfo=zone))
    event.add("dtend", datetime.combine(booking.day, centre.closes_at, tzinfo=zone))
    event.add("dtstamp", booking.created_at)
    event.add(
        "location",
        _("%(centre)s Work Near Home Centre, %(address)s %(pin)s")
        % {"centre": centre.local_name, "address": centre.local_address, "pin": centre.pin_code},
    )
    event.add(
        "description",
        _(
            "Pod %(pod)s, seat %(seat)s. Check in by %(time)s by scanning the QR code at the "
            "entrance."
        )
        % {"pod": seat.pod.code, "seat": seat.label, "time": f"{centre.check_in_deadline:%H:%M}"},
    )
    event.add("status", "CANCELLED" if not booking.is_active else "CONFIRMED")
    return event


def calendar_of(
    bookings: Iterable[SeatBooking], *, name: str = "WNH Seats", language: str | None = None
) -> bytes:
    """The bookings as a calendar, in `language` (else the active one)."""
    with translation.override(language or translation.get_language()):
        return _calendar_of(bookings, name=name)


def _calendar_of(bookings: Iterable[SeatBooking], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for booking in bookings:
        calendar.add_component(booking_event(booking))
    # Events carry TZID=Asia/Kolkata; RFC 5545 wants its VTIMEZONE in the file too, or
    # some calendar apps (Outlook among them) move the seat to the wrong hours.
    calendar.add_missing_timezones()
    return calendar.to_ical()
