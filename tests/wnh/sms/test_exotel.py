"""The Exotel adapter against a fake Exotel on 127.0.0.1: what each message carries (the DLT
entity, the sender header, the template of its kind, Malayalam as Unicode), what counts as
worth a retry, and no secret in any log line or error."""

import base64
import logging

import pytest

from wnh import sms
from wnh.sms.exotel import ExotelBackend

from .fake_exotel import FakeExotel

KEY = "exo-key-5f1c9a7e2b"
TOKEN = "exo-token-9d8c7b6a5f4e3d2c1b0a"  # noqa: S105 - a test's
ACCOUNT = "kdisc-wnh"
ENTITY = "1201160000000012345"
TEMPLATES = {
    "code": "1207160000000000001",
    "unknown_account": "1207160000000000002",
    "reminder": "1207160000000000003",
    "waitlist_offer": "1207160000000000004",
}
MALAYALAM = "WNH Seats: നാളെ കൊട്ടാരക്കര, സീറ്റ് A/A-02. 11:00-നകം ചെക്ക് ഇൻ ചെയ്യുക."


def options(url: str, timeout: float = 2.0) -> dict:
    return {
        "base_url": url,
        "account_sid": ACCOUNT,
        "api_key": KEY,
        "api_token": TOKEN,
        "entity_id": ENTITY,
        "sender": "WNHSTS",
        "templates": TEMPLATES,
        "timeout": timeout,
    }


def secrets_in(text: str) -> list[str]:
    credentials = base64.b64encode(f"{KEY}:{TOKEN}".encode()).decode()
    return [secret for secret in (KEY, TOKEN, credentials) if secret in text]


@pytest.fixture
def exotel():
    with FakeExotel() as fake:
        yield fake


def test_each_message_carries_the_dlt_ids_and_its_kinds_template(exotel):
    backend = ExotelBackend(**options(exotel.url))

    backend.send(sms.Sms(to="+919447012345", kind="reminder", text=MALAYALAM))
    backend.send(sms.Sms(to="+919447012345", kind="code", text="123456 is your WNH Seats code"))

    reminder, code = exotel.received
    assert reminder.path == f"/v1/Accounts/{ACCOUNT}/Sms/send"
    assert reminder.form == {
        "From": "WNHSTS",
        "To": "+919447012345",
        "Body": MALAYALAM,
        "DltEntityId": ENTITY,
        "DltTemplateId": TEMPLATES["reminder"],
        "SmsType": "transactional",
        "EncodingType": "unicode",
    }
    # Malayalam travels as UTF-8 (percent-encoded), not as question marks.
    assert b"%E0%B4%A8%E0%B4%BE%E0%B4%B3%E0%B5%86" in reminder.raw  # നാളെ
    assert code.form["DltTemplateId"] == TEMPLATES["code"]
    assert code.form["EncodingType"] == "plain"
    expected = base64.b64encode(f"{KEY}:{TOKEN}".encode()).decode()
    assert reminder.headers["Authorization"] == f"Basic {expected}"
    assert not secrets_in(reminder.path)


def test_the_settings_choose_the_adapter(exotel, settings):
    settings.SMS_BACKEND = "wnh.sms.exotel.ExotelBackend"
    settings.SMS_OPTIONS = options(exotel.url)

    sms.send(sms.Sms(to="+919447012345", kind="waitlist_offer", text="A seat is free"))

    [offer] = exotel.received
    assert offer.form["DltTemplateId"] == TEMPLATES["waitlist_offer"]


@pytest.mark.parametrize("status", [500, 502, 503, 429, 408])
def test_a_5xx_or_a_rate_limit_is_unavailable(exotel, status):
    exotel.answer(status, "Service temporarily down")

    with pytest.raises(sms.Unavailable, match=str(status)):
        ExotelBackend(**options(exotel.url)).send(sms.Sms("+919447012345", "code", "1"))


def test_a_timeout_is_unavailable(exotel):
    exotel.answer(202, delay=1.5)

    with pytest.raises(sms.Unavailable, match="TimeoutError"):
        ExotelBackend(**options(exotel.url, timeout=0.3)).send(
            sms.Sms("+919447012345", "code", "1")
        )


def test_a_closed_port_is_unavailable():
    with FakeExotel() as gone:
        url = gone.url
    with pytest.raises(sms.Unavailable):
        ExotelBackend(**options(url)).send(sms.Sms("+919447012345", "code", "1"))


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404])
def test_a_4xx_is_refused_with_exotels_reason(exotel, status):
    exotel.answer(status, "DLT template ID mismatch")

    with pytest.raises(sms.Refused, match="DLT template ID mismatch") as refusal:
        ExotelBackend(**options(exotel.url)).send(sms.Sms("+919447012345", "reminder", "x"))
    assert str(status) in str(refusal.value)


def test_no_secret_in_any_log_line_or_error(exotel, caplog):
    caplog.set_level(logging.DEBUG)
    backend = ExotelBackend(**options(exotel.url, timeout=0.3))
    exotel.answer(202)
    exotel.answer(401, "Authentication failed. Invalid API Key or Token.")
    exotel.answer(503)
    exotel.answer(202, delay=1.0)
    errors = []
    for _ in range(4):
        try:
            backend.send(sms.Sms("+919447012345", "code", "123456"))
        except sms.SmsError as error:
            errors.append(f"{error!r} {error.__cause__!r} {error.__context__!r}")

    assert len(errors) == 3
    assert not secrets_in(caplog.text)
    assert not secrets_in(" ".join(errors))
    assert not secrets_in(repr(vars(backend)).replace(backend._authorization, ""))
