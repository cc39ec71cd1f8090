from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail

from bookings.core.services import book_seat, cancel_booking
from bookings.models import SeatBooking
from bookings.operations import reminders
from tests.support.factories import SeatBookingFactory, UserFactory
from tests.support.personas import at


@pytest.fixture
def booking(small_pod, professional, tomorrow):
    return book_seat(user=professional, seat=small_pod.seats.get(position=2), day=tomorrow)


def test_it_sends_the_evening_reminder_with_the_details_and_the_ics(booking, today):
    sent = reminders.send_due(now=at(today, 18, 5))

    assert sent == 1
    [email] = mail.outbox
    assert email.to == ["asha@example.com"]
    assert "Kottarakkara" in email.subject
    assert "Seat: A-02" in email.body
    assert "Pod: A" in email.body
    assert "Old BSNL building, Kottarakkara 691506" in email.body
    assert "Check in by 11:00" in email.body
    html, _ = email.alternatives[0]
    assert "Check in by 11:00" in html
    [(name, ics, mimetype)] = email.attachments
    assert mimetype == "text/calendar"
    assert f"booking-{booking.pk}@wnh-seats" in str(ics)
    assert email.extra_headers["Message-ID"] == f"<reminder-evening-{booking.pk}@wnh-seats>"
    booking.refresh_from_db()
    assert booking.reminder_sent_at == at(today, 18, 5)


def test_it_sends_a_reminder_only_once(booking, today):
    reminders.send_due(now=at(today, 18, 5))
    again = reminders.send_due(now=at(today, 18, 15))
    tomorrow_morning = reminders.send_due(now=at(today + timedelta(days=1), 8))

    assert (again, tomorrow_morning) == (0, 0)
    assert len(mail.outbox) == 1


def test_it_waits_for_the_evening_before(booking, today):
    assert reminders.send_due(now=at(today, 17, 59)) == 0
    assert mail.outbox == []


def test_the_evening_time_is_a_setting(booking, today, settings):
    settings.WNH_REMINDER_EVENING_AT = at(today, 16).time()

    assert reminders.send_due(now=at(today, 16, 1)) == 1


def test_a_reminder_missed_in_the_evening_goes_out_before_the_check_in_deadline(booking, tomorrow):
    """The broker was down all evening: the next sweep, even next morning, still sends it."""
    assert reminders.send_due(now=at(tomorrow, 7)) == 1
    assert reminders.send_due(now=at(tomorrow, 7, 10)) == 0


def test_no_reminder_after_the_check_in_deadline(booking, tomorrow):
    assert reminders.send_due(now=at(tomorrow, 11, 0)) == 0


def test_cancelled_bookings_get_no_reminder(booking, professional, today):
    cancel_booking(booking=booking, by=professional, now=at(today, 12))

    assert reminders.send_due(now=at(today, 18, 5)) == 0


def test_a_failed_send_leaves_the_reminder_due_for_the_next_sweep(booking, today):
    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")
        ),
        pytest.raises(OSError, match="SMTP down"),
    ):
        reminders.send_due(now=at(today, 18, 5))
    booking.refresh_from_db()
    assert booking.reminder_sent_at is None  # the claim rolled back with the failed send

    assert reminders.send_due(now=at(today, 18, 15)) == 1
    assert len(mail.outbox) == 1


def test_the_optional_morning_reminder_is_sent_once_too(booking, tomorrow, today, settings):
    settings.WNH_REMINDER_MORNING_AT = at(today, 7).time()
    reminders.send_due(now=at(today, 18, 5))

    assert reminders.send_due(now=at(tomorrow, 6, 59)) == 0
    assert reminders.send_due(now=at(tomorrow, 7, 0)) == 1
    assert reminders.send_due(now=at(tomorrow, 7, 30)) == 0
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject.startswith("Today")


def test_there_is_no_morning_reminder_unless_it_is_set(booking, tomorrow, today):
    reminders.send_due(now=at(today, 18, 5))

    assert reminders.send_due(now=at(tomorrow, 8)) == 0


def test_the_reminder_is_in_the_persons_language(small_pod, tomorrow, today):
    person = UserFactory(email="meera@example.com", language="ml")
    SeatBookingFactory(user=person, seat=small_pod.seats.get(position=1), day=tomorrow)

    reminders.send_due(now=at(today, 18, 5))

    html, _ = mail.outbox[0].alternatives[0]
    assert '<html lang="ml">' in html


def test_a_sweep_sends_each_due_booking_once_in_batches(small_pod, people, tomorrow, today):
    for person, seat in zip(people, small_pod.seats.all(), strict=False):
        SeatBookingFactory(user=person, seat=seat, day=tomorrow)

    first = reminders.send_due(now=at(today, 18, 5), batch_size=3)
    rest = reminders.send_due(now=at(today, 18, 15), batch_size=3)
    last = reminders.send_due(now=at(today, 18, 25), batch_size=3)

    assert (first, rest, last) == (3, 1, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[:4])
    assert not SeatBooking.objects.filter(reminder_sent_at=None).exists()
