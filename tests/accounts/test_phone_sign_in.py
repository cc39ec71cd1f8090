"""A mobile number as a way in (issue 22): sign up with a number alone, confirm it by a code
sent by SMS, sign in by number and code (no password); numbers read as people type them and
kept in E.164, one account per number; the answers never tell whether a number has an account;
codes expire and are rate-limited; staff still pass their second factor."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from tests.support.factories import UserFactory
from tests.support.second_factor import give_totp
from wnh import sms

pytestmark = pytest.mark.django_db

NUMBER = "+919447012345"
SPELLINGS = ["94470 12345", "+91 9447012345", "09447012345", "+91-94470-12345"]


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """A POST whose SMS (sent after commit) reach wnh.sms.outbox."""

    def _post(url, data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, **extra)

    return _post


def last_code(to=NUMBER) -> str:
    texts = [m.text for m in sms.outbox if m.to == to and m.kind == "code"]
    assert texts, sms.outbox
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def sign_up(post, phone, **extra):
    return post("/accounts/signup/", {"phone": phone, "accept_privacy_notice": "on"}, **extra)


def test_a_person_signs_up_with_a_mobile_number_alone_and_confirms_it_by_code(client, post):
    response = sign_up(post, "94470 12345")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/phone/verify/"
    user = User.objects.get()
    assert (user.email, user.phone, user.phone_verified) == (None, NUMBER, False)
    assert not user.has_usable_password()
    [message] = sms.outbox
    assert (message.to, message.kind) == (NUMBER, "code")
    assert len(message.text) <= 160

    response = post("/accounts/phone/verify/", {"code": last_code()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone_verified
    assert client.get("/me/").wsgi_request.user == user


def test_the_code_sms_is_in_malayalam_for_a_malayalam_page(client, post):
    client.cookies["django_language"] = "ml"
    sign_up(post, "94470 12345")
    [message] = sms.outbox
    assert "WNH Seats" in message.text
    assert re.search("[\u0d00-\u0d7f]", message.text), message.text
    assert User.objects.get().language == "ml"


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_four_spellings_are_one_number(spelling):
    from accounts.phones import to_e164

    assert to_e164(spelling) == NUMBER


def test_the_same_number_typed_another_way_is_the_same_account(client, post, clock):
    sign_up(post, SPELLINGS[0])
    for spelling in SPELLINGS[1:]:
        client.logout()
        clock.shift(31)  # one code to a number in 30 seconds
        response = sign_up(post, spelling)
        # The same answer as for a new number: on to the code page.
        assert response.status_code == 302
        assert response["Location"] == "/accounts/phone/verify/"
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "typed",
    [
        "0474 2123456",  # a Kollam landline: SMS cannot reach it
        "+1 202 555 0100",  # not an Indian number
        "call me maybe",
        "9" * 200,
        "٩٤٤٧٠١٢٣٤٥",  # Arabic-Indic digits
        "൯൪൪൭൦൧൨൩൪൫",  # Malayalam digits
        "+91 12345",
    ],
)
def test_what_is_not_an_indian_mobile_number_is_refused_and_nothing_is_saved(client, post, typed):
    response = sign_up(post, typed)
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert "mobile number" in response.content.decode()
    assert not User.objects.exists()
    response = post("/accounts/login/code/", {"phone": typed})
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert sms.outbox == []


def test_the_message_is_in_malayalam_on_a_malayalam_page(client, post):
    client.cookies["django_language"] = "ml"
    response = sign_up(post, "0474 2123456")
    [error] = response.context["form"].errors["phone"]
    assert re.search("[\u0d00-\u0d7f]", error), error


def test_a_sign_up_needs_a_number_or_an_email_address(client, post):
    response = post("/accounts/signup/", {"accept_privacy_notice": "on"})
    assert response.status_code == 200
    assert "Give your mobile number" in response.content.decode()
    response = post("/accounts/signup/", {"email": "a@example.com", "accept_privacy_notice": "on"})
    assert response.context["form"].errors["password1"]
    assert not User.objects.exists()


def test_two_accounts_cannot_hold_one_number():
    from django.db import IntegrityError, transaction

    UserFactory(phone=NUMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(phone=NUMBER)


def test_the_database_refuses_a_number_not_in_e164():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        UserFactory(phone="09447012345")


def known(phone=NUMBER, **kwargs):
    return UserFactory(phone=phone, phone_verified=True, **kwargs)


def test_a_person_signs_in_with_number_and_code_without_a_password(client, post):
    user = known()
    response = post("/accounts/login/code/", {"phone": "94470 12345"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/confirm/")
    response = post("/accounts/login/code/confirm/", {"code": last_code()})
    assert response.status_code == 302
    assert client.get("/me/").wsgi_request.user == user


def test_a_known_and_an_unknown_number_get_the_same_pages(client, post):
    known()
    answers = []
    for typed in ["94470 12345", "94470 54321"]:
        client.logout()
        first = post("/accounts/login/code/", {"phone": typed})
        page = client.get(first["Location"])
        answers.append((first.status_code, first["Location"], page.status_code))
        text = page.content.decode()
        assert "has an account, we have sent a code" in text
    assert answers[0] == answers[1]
    # The number's owner learns which it was, by SMS; the page says nothing.
    assert [(m.to, m.kind) for m in sms.outbox] == [
        (NUMBER, "code"),
        ("+919447054321", "unknown_account"),
    ]


def test_a_sign_up_with_a_known_number_looks_like_a_new_one(client, post):
    known()
    response = sign_up(post, "94470 12345")
    assert (response.status_code, response["Location"]) == (302, "/accounts/phone/verify/")
    page = client.get("/accounts/phone/verify/")
    assert page.status_code == 200
    assert User.objects.count() == 1
    # No code went out (nothing could sign in), only a note to the number's owner.
    assert [m.kind for m in sms.outbox] == ["unknown_account"]


def test_a_second_sign_up_with_one_number_within_30_seconds_is_asked_to_wait(client, post):
    sign_up(post, "94470 12345")
    client.logout()
    response = sign_up(post, "+91 94470 12345")
    assert response.status_code == 429
    assert "wait a minute" in response.content.decode()
    assert User.objects.count() == 1
    assert len(sms.outbox) == 1


def test_a_fourth_code_in_a_minute_for_one_number_is_refused(client, post):
    known()
    for _ in range(3):
        client.logout()
        response = post("/accounts/login/code/", {"phone": NUMBER})
        assert response.status_code == 302
    client.logout()  # a fresh session, as a script would use
    response = post("/accounts/login/code/", {"phone": "094470 12345"})
    assert response.status_code == 200
    assert "Too many" in response.content.decode()
    assert len(sms.outbox) == 3


def test_a_code_expires_after_three_minutes(client, post, clock):
    user = known()
    post("/accounts/login/code/", {"phone": NUMBER})
    code = last_code()
    clock.move_to(timezone.now() + timedelta(minutes=3, seconds=5))
    response = post("/accounts/login/code/confirm/", {"code": code})
    assert client.get("/me/").wsgi_request.user != user
    assert response.status_code in (200, 302)


def test_a_code_within_three_minutes_works(client, post, clock):
    user = known()
    post("/accounts/login/code/", {"phone": NUMBER})
    clock.move_to(timezone.now() + timedelta(minutes=2, seconds=50))
    post("/accounts/login/code/confirm/", {"code": last_code()})
    assert client.get("/me/").wsgi_request.user == user


def test_three_wrong_codes_end_the_attempt(client, post):
    user = known()
    post("/accounts/login/code/", {"phone": NUMBER})
    code = last_code()
    for _ in range(3):
        post("/accounts/login/code/confirm/", {"code": "000000" if code != "000000" else "111111"})
    post("/accounts/login/code/confirm/", {"code": code})
    assert client.get("/me/").wsgi_request.user != user


def test_staff_signing_in_by_code_must_still_pass_their_second_factor(client, post):
    staff = known(is_staff=True)
    give_totp(staff)
    post("/accounts/login/code/", {"phone": NUMBER})
    response = post("/accounts/login/code/confirm/", {"code": last_code()})
    assert response.status_code == 302
    assert "/accounts/2fa/" in response["Location"], response["Location"]
    # Not yet in: the admin and the staff pages send them to the second factor.
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/2fa/" in response["Location"] or "/login" in response["Location"]


def sign_in_by_code(client, post, phone=NUMBER):
    post("/accounts/login/code/", {"phone": phone})
    post("/accounts/login/code/confirm/", {"code": last_code(phone)})


def test_a_person_adds_a_number_from_the_profile_and_it_counts_once_confirmed(client, post):
    person = UserFactory(email="asha@example.com")
    client.post(
        "/accounts/login/", {"login": "asha@example.com", "password": "a-long-test-password"}
    )
    page = client.get("/me/").content.decode()
    assert 'href="/accounts/phone/change/"' in page
    response = post("/accounts/phone/change/", {"phone": "94470 12345"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/accounts/phone/verify/"
    person.refresh_from_db()
    assert not person.phone_verified
    post("/accounts/phone/verify/", {"code": last_code()})
    person.refresh_from_db()
    assert (person.phone, person.phone_verified) == (NUMBER, True)


def test_a_changed_number_is_verified_by_a_code_sent_to_the_new_one(client, post, clock):
    person = known()
    sign_in_by_code(client, post)
    clock.shift(61)  # one change a minute
    response = post("/accounts/phone/change/", {"phone": "98470 12345"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sms.outbox[-1].to == "+919847012345"
    post("/accounts/phone/verify/", {"code": last_code("+919847012345")})
    person.refresh_from_db()
    assert (person.phone, person.phone_verified) == ("+919847012345", True)


def test_a_number_another_account_has_cannot_be_taken_from_the_profile(client, post):
    known()
    person = known("+919847012345")
    sign_in_by_code(client, post, "+919847012345")
    post("/accounts/phone/change/", {"phone": "94470 12345"})
    person.refresh_from_db()
    assert person.phone == "+919847012345"
    assert User.objects.filter(phone=NUMBER).count() == 1
