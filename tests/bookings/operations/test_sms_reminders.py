"""Reminders by the person's choice (User.notify_by): email, SMS or both, through the same
claim as the email; in Malayalam for a Malayalam reader, within two segments."""

from unittest import mock

import pytest
from django.core import mail

from bookings.core.services import book_seat
from bookings.operations import reminders
from tests.support.personas import at
from wnh import sms
from wnh.sms import backends  # noqa: F401 - sms.backends below

NUMBER = "+919447012345"


@pytest.fixture
def booking(small_pod, professional, tomorrow):
    professional.phone, professional.phone_verified = NUMBER, True
    professional.save()
    return book_seat(user=professional, seat=small_pod.seats.get(position=2), day=tomorrow)


def choose(booking, notify_by: str, *, language: str = "en", phone: str = NUMBER) -> None:
    user = booking.user
    user.notify_by, user.language, user.phone = notify_by, language, phone
    user.phone_verified = bool(phone)
    user.save()


def test_email_only_sends_no_sms(booking, today):
    choose(booking, "email")

    assert reminders.send_due(now=at(today, 18, 5)) == 1

    assert len(mail.outbox) == 1
    assert sms.outbox == []


def test_sms_only_sends_the_sms_and_no_email(booking, today):
    choose(booking, "sms")

    assert reminders.send_due(now=at(today, 18, 5)) == 1

    assert mail.outbox == []
    [message] = sms.outbox
    assert (message.to, message.kind) == (NUMBER, "reminder")
    assert message.text == (
        "WNH Seats: tomorrow at Kottarakkara, seat A/A-02. Check in by 11:00. "
        "http://localhost:8000/bookings/"
    )
    booking.refresh_from_db()
    assert booking.reminder_sent_at == at(today, 18, 5)


def test_both_send_both_once(booking, today):
    choose(booking, "both")

    reminders.send_due(now=at(today, 18, 5))
    reminders.send_due(now=at(today, 18, 15))

    assert len(mail.outbox) == 1
    assert len(sms.outbox) == 1


def test_a_malayalam_reader_gets_a_malayalam_sms_within_two_segments(booking, today):
    centre = booking.seat.pod.centre
    centre.name_ml = "കൊട്ടാരക്കര"
    centre.save()
    choose(booking, "sms", language="ml")

    reminders.send_due(now=at(today, 18, 5))

    [message] = sms.outbox
    assert message.text.startswith("WNH Seats: നാളെ കൊട്ടാരക്കര, സീറ്റ് A/A-02. 11:00-നകം")
    assert message.text.endswith(" http://localhost:8000/bookings/")
    assert not message.text.isascii()
    assert sms.segments(message.text) <= 2


def test_a_long_centre_name_is_cut_to_keep_two_segments(booking, today):
    centre = booking.seat.pod.centre
    centre.name_ml = "കൊട്ടാരക്കര മുനിസിപ്പാലിറ്റി ഇൻഫർമേഷൻ ടെക്നോളജി വർക്ക് നിയർ ഹോം കേന്ദ്രം"
    centre.save()
    choose(booking, "sms", language="ml")

    reminders.send_due(now=at(today, 18, 5))

    [message] = sms.outbox
    assert sms.segments(message.text) == 2
    assert "കൊട്ടാരക്കര മുനിസിപ്പാലിറ്റി" in message.text
    assert message.text.endswith(" http://localhost:8000/bookings/")


def test_sms_chosen_without_a_number_sends_email(booking, today):
    choose(booking, "sms", phone="")

    reminders.send_due(now=at(today, 18, 5))

    assert len(mail.outbox) == 1
    assert sms.outbox == []


def test_a_refused_sms_sends_the_email_instead_and_says_so(booking, today, caplog):
    choose(booking, "sms")
    with mock.patch("wnh.sms.backends.MemoryBackend.send", side_effect=sms.Refused("400")):
        assert reminders.send_due(now=at(today, 18, 5)) == 1

    assert len(mail.outbox) == 1
    assert "SMS (reminder) to user" in caplog.text
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None


def test_an_unavailable_provider_leaves_the_reminder_for_the_next_sweep(booking, today):
    choose(booking, "both")
    unavailable = mock.patch.object(
        sms.backends.MemoryBackend, "send", side_effect=sms.Unavailable("503")
    )
    with unavailable, pytest.raises(sms.Unavailable):
        reminders.send_reminder(booking_id=booking.pk, now=at(today, 18, 5))

    booking.refresh_from_db()
    assert booking.reminder_sent_at is None
    assert mail.outbox == []  # the SMS goes first: nothing went out

    assert reminders.send_due(now=at(today, 18, 15)) == 1
    assert (len(mail.outbox), len(sms.outbox)) == (1, 1)
