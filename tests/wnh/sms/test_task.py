"""The task `wnh.send_sms` (wnh.sms.send_later): retried with exponential backoff while the
provider is unavailable, never when it refuses; each failure logged without a secret."""

import logging
from unittest import mock

import pytest
from celery.exceptions import Retry

from wnh import sms
from wnh.celery import app
from wnh.sms import tasks
from wnh.sms.tasks import send_sms

from .fake_exotel import FakeExotel
from .test_exotel import KEY, TEMPLATES, options, secrets_in

MESSAGE = {"to": "+919447012345", "kind": "code", "text": "123456 is your WNH Seats code"}


@pytest.fixture
def exotel(settings):
    settings.SMS_RETRY_SECONDS = 10.0
    settings.SMS_MAX_ATTEMPTS = 4
    with FakeExotel() as fake:
        settings.SMS_BACKEND = "wnh.sms.exotel.ExotelBackend"
        settings.SMS_OPTIONS = options(fake.url, timeout=0.3)
        yield fake


@pytest.fixture
def retries():
    """The countdown of every retry the task asks for (an eager apply runs them at once)."""
    with mock.patch.object(send_sms, "retry", wraps=send_sms.retry) as retry:
        yield retry


def countdowns(retry) -> list[float]:
    return [call.kwargs["countdown"] for call in retry.call_args_list]


def test_the_waits_grow_four_times_each_retry(settings):
    settings.SMS_RETRY_SECONDS = 10.0

    assert [tasks.retry_countdown(n) for n in range(4)] == [10.0, 40.0, 160.0, 640.0]


def test_a_5xx_then_a_timeout_are_retried_with_backoff_until_it_goes(exotel, retries, caplog):
    caplog.set_level(logging.DEBUG)
    exotel.answer(503, "Service Unavailable")
    exotel.answer(202, delay=1.0)  # a timeout
    exotel.answer(202)

    result = send_sms.apply(kwargs=MESSAGE)

    assert result.successful()
    assert result.result is True
    assert len(exotel.received) == 3
    assert countdowns(retries) == [10.0, 40.0]
    assert "attempt 1 failed, next in 10.0s" in caplog.text
    assert not secrets_in(caplog.text)


def test_it_gives_up_after_the_last_attempt_and_says_so(exotel, retries, caplog):
    for _ in range(5):
        exotel.answer(500, "Internal Server Error")

    result = send_sms.apply(kwargs=MESSAGE)

    assert result.failed()
    assert isinstance(result.result, sms.Unavailable)
    assert len(exotel.received) == 4  # SMS_MAX_ATTEMPTS
    assert countdowns(retries) == [10.0, 40.0, 160.0]
    assert "SMS (code) not sent after 4 attempts" in caplog.text
    assert not secrets_in(caplog.text)


def test_a_4xx_is_not_retried_and_is_reported(exotel, retries, caplog):
    exotel.answer(400, "Invalid DltTemplateId")

    result = send_sms.apply(kwargs=MESSAGE)

    assert result.failed()
    assert isinstance(result.result, sms.Refused)
    assert len(exotel.received) == 1
    retries.assert_not_called()
    [report] = [r for r in caplog.records if r.name == "wnh.sms" and r.levelno == logging.ERROR]
    assert report.name == "wnh.sms"
    assert "refused, not retried" in report.getMessage()
    assert "Invalid DltTemplateId" in report.getMessage()
    assert not secrets_in(caplog.text)
    assert MESSAGE["text"] not in caplog.text  # a sign-in code stays out of the log


def test_a_retry_is_published_with_its_countdown(exotel):
    """Outside an eager run the retry goes back to the broker, due after the backoff."""
    exotel.answer(503)
    request = {"retries": 1, "is_eager": False, "called_directly": False}
    send_sms.push_request(**request)
    try:
        with mock.patch.object(send_sms, "apply_async") as published, pytest.raises(Retry):
            send_sms.run(**MESSAGE)
    finally:
        send_sms.pop_request()

    assert published.call_args.kwargs["countdown"] == 40.0


def test_the_task_has_a_stable_name_and_goes_to_the_mail_queue():
    app.loader.import_default_modules()

    assert send_sms.name == "wnh.send_sms"
    assert "wnh.send_sms" in app.tasks
    assert app.amqp.router.route({}, "wnh.send_sms")["queue"].name == "mail"


@pytest.mark.django_db
def test_send_later_queues_the_task_after_the_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(send_sms, "apply_async", lambda kwargs, **options: queued.append(kwargs))

    with django_capture_on_commit_callbacks(execute=True):
        sms.send_later(sms.Sms(**MESSAGE))
        assert queued == []

    assert queued == [MESSAGE]


def test_with_the_broker_down_send_later_sends_at_once(monkeypatch, caplog):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Connection refused")

    monkeypatch.setattr(send_sms, "apply_async", broker_down)

    assert sms.queue(sms.Sms(**MESSAGE)) is False
    assert [m.kind for m in sms.outbox] == ["code"]
    assert "Could not enqueue wnh.send_sms (code)" in caplog.text


def test_the_template_names_cover_every_kind(settings):
    assert set(settings.SMS_TEMPLATE_VARIABLES) == set(sms.KINDS) == set(TEMPLATES)
    assert KEY not in repr(settings.SMS_TEMPLATE_VARIABLES)
