"""Bookings as iCalendar events: the per-booking .ics, the personal feed, reminder mails."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.utils import timezone
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
    event.add("summary", f"WNH seat {seat.label} · {centre.name}")
    event.add("dtstart", datetime.combine(booking.day, centre.opens_at, tzinfo=zone))
    event.add("dtend", datetime.combine(booking.day, centre.closes_at, tzinfo=zone))
    event.add("dtstamp", booking.created_at)
    event.add(
        "location", f"{centre.name} Work Near Home Centre, {centre.address} {centre.pin_code}"
    )
    event.add(
        "description",
        f"Pod {seat.pod.code}, seat {seat.label}. Check in by "
        f"{centre.check_in_deadline:%H:%M} by scanning the QR code at the entrance.",
    )
    event.add("status", "CANCELLED" if not booking.is_active else "CONFIRMED")
    return event


def calendar_of(bookings: Iterable[SeatBooking], *, name: str = "WNH Seats") -> bytes:
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
