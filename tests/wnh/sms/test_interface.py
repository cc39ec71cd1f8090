"""wnh/sms: one interface, its backend chosen by SMS_URL."""

import pytest
from django.db import transaction

from wnh import sms


def test_memory_backend_keeps_the_message():
    sms.send(sms.Sms(to="+919447012345", kind="code", text="123456 is your WNH Seats code"))

    assert [(m.to, m.kind) for m in sms.outbox] == [("+919447012345", "code")]


def test_console_backend_prints_the_message(settings, capsys):
    settings.SMS_BACKEND = "wnh.sms.backends.ConsoleBackend"

    sms.send(sms.Sms(to="+919447012345", kind="reminder", text="നാളെ കൊട്ടാരക്കര"))

    out = capsys.readouterr().out
    assert "+919447012345" in out
    assert "നാളെ കൊട്ടാരക്കര" in out


def test_an_unknown_kind_is_refused_before_it_is_sent():
    with pytest.raises(ValueError, match="Unknown kind"):
        sms.Sms(to="+919447012345", kind="marketing", text="Offer!")


@pytest.mark.django_db(transaction=True)
def test_send_later_waits_for_the_commit_and_a_rollback_sends_nothing():
    message = sms.Sms(to="+919447012345", kind="code", text="1")
    with transaction.atomic():
        sms.send_later(message)
        assert sms.outbox == []
    assert sms.outbox == [message]

    def send_and_fail():
        with transaction.atomic():
            sms.send_later(sms.Sms(to="+919447012345", kind="code", text="2"))
            raise RuntimeError

    with pytest.raises(RuntimeError):
        send_and_fail()
    assert sms.outbox == [message]
