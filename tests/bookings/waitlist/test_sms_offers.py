"""Waitlist offers by the person's choice (User.notify_by): email, SMS or both, made and sent
in one transaction; in Malayalam for a Malayalam reader, with the offer's link."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from bookings.core import waitlist
from bookings.core.services import book_seat, cancel_booking
from bookings.models import WaitlistEntry
from wnh import sms
from wnh.sms import backends  # noqa: F401 - sms.backends below

NUMBER = "+919447012345"


@pytest.fixture
def offer(small_pod, people, daily_centre, tomorrow):
    """Serves the line once people[0] cancels: people[4] is offered the seat."""
    full = [
        book_seat(user=person, seat=seat, day=tomorrow)
        for person, seat in zip(people, small_pod.seats.order_by("position"), strict=False)
    ]
    entry = waitlist.join_waitlist(user=people[4], centre=daily_centre, day=tomorrow)

    def serve(notify_by: str, *, language: str = "en", phone: str = NUMBER) -> WaitlistEntry:
        user = entry.user
        user.notify_by, user.language, user.phone = notify_by, language, phone
        user.phone_verified = bool(phone)
        user.save()
        cancel_booking(booking=full[0], by=people[0])
        waitlist.serve_waitlist(centre_id=daily_centre.pk, day=tomorrow)
        entry.refresh_from_db()
        return entry

    return serve


def offer_link(entry) -> str:
    return "http://localhost:8000" + reverse("waitlist:offer", kwargs={"entry_id": entry.pk})


def test_email_only(offer):
    entry = offer("email")

    assert entry.status == WaitlistEntry.Status.OFFERED
    assert len(mail.outbox) == 1
    assert sms.outbox == []


def test_sms_only_carries_the_offers_link(offer):
    entry = offer("sms")

    assert mail.outbox == []
    [message] = sms.outbox
    assert (message.to, message.kind) == (NUMBER, "waitlist_offer")
    assert message.text.startswith("WNH Seats: a seat is free tomorrow at Kottarakkara. Take it by")
    assert message.text.endswith(": " + offer_link(entry))


def test_both(offer):
    offer("both")

    assert (len(mail.outbox), len(sms.outbox)) == (1, 1)


def test_in_malayalam_for_a_malayalam_reader(offer, daily_centre):
    daily_centre.name_ml = "കൊട്ടാരക്കര"
    daily_centre.save()

    entry = offer("sms", language="ml")

    [message] = sms.outbox
    assert message.text.startswith("WNH Seats: നാളെ കൊട്ടാരക്കര-ൽ ഒരു സീറ്റ് ഒഴിവുണ്ട്.")
    assert message.text.endswith(offer_link(entry))
    assert sms.segments(message.text) <= 2


def test_sms_chosen_without_a_number_gets_the_email(offer):
    offer("sms", phone="")

    assert len(mail.outbox) == 1
    assert sms.outbox == []


def test_an_unavailable_provider_rolls_the_offer_back(offer):
    unavailable = mock.patch.object(
        sms.backends.MemoryBackend, "send", side_effect=sms.Unavailable("503")
    )
    with unavailable, pytest.raises(sms.Unavailable):
        offer("sms")

    assert WaitlistEntry.objects.get().status == WaitlistEntry.Status.WAITING
    assert mail.outbox == []
