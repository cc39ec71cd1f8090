from icalendar import Calendar

from bookings.core.ics import calendar_of
from bookings.core.services import book_seat


def test_a_booking_becomes_a_calendar_event_at_the_centre(professional, seat, next_open_day):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)

    calendar = Calendar.from_ical(calendar_of([booking]))

    [event] = calendar.walk("VEVENT")
    assert event["uid"] == f"booking-{booking.pk}@wnh-seats"
    assert event.decoded("dtstart").date() == next_open_day
    assert seat.pod.centre.name in str(event["location"])
    assert str(event["status"]) == "CONFIRMED"


def test_the_calendar_file_carries_the_time_zone_its_events_name(professional, seat, next_open_day):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)

    calendar = Calendar.from_ical(calendar_of([booking]))

    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Asia/Kolkata"
    [event] = calendar.walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "Asia/Kolkata"
    assert event.decoded("dtstart").utcoffset().total_seconds() == 5.5 * 3600
