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


def test_the_calendar_speaks_malayalam_for_a_malayalam_reader(professional, seat, next_open_day):
    centre = seat.pod.centre
    centre.name_ml = "കൊട്ടാരക്കര"
    centre.save(update_fields=["name_ml"])
    booking = book_seat(user=professional, seat=seat, day=next_open_day)

    calendar = Calendar.from_ical(calendar_of([booking], language="ml"))

    [event] = calendar.walk("VEVENT")
    assert "കൊട്ടാരക്കര" in str(event["summary"])
    assert "സീറ്റ്" in str(event["summary"])
    assert "വർക്ക് നിയർ ഹോം" in str(event["location"])
    assert "ചെക്ക്-ഇൻ" in str(event["description"])
    # And English for everyone else.
    [event] = Calendar.from_ical(calendar_of([booking], language="en")).walk("VEVENT")
    assert str(event["summary"]) == f"WNH seat {seat.label} · {centre.name}"
