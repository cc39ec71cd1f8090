"""A security key (WebAuthn, allauth.mfa) is a second factor for K-DISC staff as the
authenticator app is: added on the portal's account pages, used after the password at login,
and enough on its own for the admin. A key is never a login by itself, staff keep theirs, and
recovery codes still stand in for a lost one.

The browser's side is tests.support.second_factor.SoftKey; the pages are asked for as
http://localhost, the one plain-http origin fido2 (and the web) accept."""

import json

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.support.factories import UserFactory
from tests.support.second_factor import PASSWORD, SoftKey, add_security_key, give_totp, js_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def web():
    return Client(HTTP_HOST="localhost")


def keys_of(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def log_in_with_password(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def staff_with_a_key(client, user) -> SoftKey:
    """`user` signs in with the password alone (no factor yet), adds a key and signs out."""
    key = SoftKey()
    log_in_with_password(client, user)
    response = add_security_key(client, key)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.post(reverse("account_logout"))
    return key


def answer_with_key(client, key: SoftKey, page_url: str, **extra):
    page = client.get(page_url)
    assert page.status_code == 200, page.get("Location")
    credential = key.sign(js_data(page)["request_options"])
    return client.post(page_url, {"credential": json.dumps(credential), **extra})


def test_security_keys_are_on_and_never_a_login_by_themselves():
    assert "webauthn" in mfa_settings.SUPPORTED_TYPES
    assert not mfa_settings.PASSKEY_LOGIN_ENABLED
    assert not mfa_settings.PASSKEY_SIGNUP_ENABLED
    # Origins are checked: only https, or http on localhost.
    assert not mfa_settings.WEBAUTHN_ALLOW_INSECURE_ORIGIN
    with pytest.raises(NoReverseMatch):
        reverse("mfa_login_webauthn")


def test_a_staff_without_any_factor_still_cannot_reach_the_admin(web, staff_user):
    log_in_with_password(web, staff_user)

    response = web.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    # The set-up page offers the key as the other way.
    activate = reverse("mfa_activate_totp")
    web.post(f"{reverse('account_reauthenticate')}?next={activate}", {"password": PASSWORD})
    page = web.get(activate)
    assert reverse("mfa_add_webauthn") in page.content.decode()


def test_a_staff_adds_a_key_and_gets_recovery_codes_with_it(web, staff_user):
    key = SoftKey()
    log_in_with_password(web, staff_user)

    response = add_security_key(web, key, name="Blue USB key")

    assert response.status_code == 302
    [added] = keys_of(staff_user)
    assert added.wrap().name == "Blue USB key"
    assert Authenticator.objects.filter(
        user=staff_user, type=Authenticator.Type.RECOVERY_CODES
    ).exists()


def test_adding_a_key_is_not_yet_using_it_so_the_admin_asks_for_the_key(web, staff_user):
    key = SoftKey()
    log_in_with_password(web, staff_user)
    add_security_key(web, key)

    response = web.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate_webauthn"))
    response = answer_with_key(web, key, reverse("mfa_reauthenticate_webauthn"))
    assert response.status_code == 302
    assert web.get("/admin/").status_code == 200


def test_password_then_key_opens_the_admin_for_a_staff_whose_only_factor_is_a_key(web, staff_user):
    key = staff_with_a_key(web, staff_user)
    assert not Authenticator.objects.filter(user=staff_user, type=Authenticator.Type.TOTP).exists()

    response = log_in_with_password(web, staff_user)
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert not signed_in(web)
    page = web.get(reverse("mfa_authenticate"))
    assert 'id="mfa_webauthn_authenticate"' in page.content.decode()

    response = answer_with_key(web, key, reverse("mfa_authenticate"))

    assert response.status_code == 302
    assert signed_in(web)
    assert web.get("/admin/").status_code == 200
    assert web.get("/admin/bookings/seatbooking/").status_code == 200
    assert keys_of(staff_user).get().last_used_at is not None


def test_the_key_counts_as_the_sessions_second_factor(web, staff_user):
    from allauth.account.authentication import get_authentication_records
    from django.test import RequestFactory

    from accounts.second_factor import second_factor_step

    key = staff_with_a_key(web, staff_user)
    log_in_with_password(web, staff_user)
    answer_with_key(web, key, reverse("mfa_authenticate"))

    request = RequestFactory().get("/admin/")
    request.user = staff_user
    request.session = web.session
    records = get_authentication_records(request, staff_user)
    assert [record["method"] for record in records] == ["password", "mfa"]
    assert records[-1]["type"] == Authenticator.Type.WEBAUTHN
    assert second_factor_step(request) is None


def test_a_key_that_was_never_added_is_refused(web, staff_user):
    staff_with_a_key(web, staff_user)
    log_in_with_password(web, staff_user)

    response = answer_with_key(web, SoftKey(), reverse("mfa_authenticate"))

    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not signed_in(web)
    assert web.get("/admin/").status_code == 302


def test_a_keys_answer_cannot_be_replayed_at_another_login(web, staff_user):
    key = staff_with_a_key(web, staff_user)
    log_in_with_password(web, staff_user)
    page = web.get(reverse("mfa_authenticate"))
    answer = json.dumps(key.sign(js_data(page)["request_options"]))
    web.post(reverse("mfa_authenticate"), {"credential": answer})
    assert signed_in(web)
    web.post(reverse("account_logout"))

    thief = Client(HTTP_HOST="localhost")
    log_in_with_password(thief, staff_user)
    thief.get(reverse("mfa_authenticate"))  # a new challenge
    response = thief.post(reverse("mfa_authenticate"), {"credential": answer})

    assert response.status_code == 200
    assert not signed_in(thief)


def test_a_key_is_not_accepted_from_another_site(staff_user):
    elsewhere = Client(HTTP_HOST="localhost")
    key = SoftKey(origin="https://phish.example")
    log_in_with_password(elsewhere, staff_user)

    response = add_security_key(elsewhere, key)

    assert response.status_code == 200
    assert not keys_of(staff_user).exists()


def test_a_recovery_code_still_lets_a_key_only_staff_in(web, staff_user):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    staff_with_a_key(web, staff_user)
    codes = Authenticator.objects.get(user=staff_user, type=Authenticator.Type.RECOVERY_CODES)
    code = RecoveryCodes(codes).get_unused_codes()[0]
    log_in_with_password(web, staff_user)

    web.post(reverse("mfa_authenticate"), {"code": code})

    assert signed_in(web)
    assert web.get("/admin/").status_code == 200


def test_a_session_that_skipped_the_second_step_is_sent_to_the_key(web, staff_user):
    key = staff_with_a_key(web, staff_user)
    web.force_login(staff_user)

    response = web.get("/admin/")

    assert response["Location"].startswith(reverse("mfa_reauthenticate_webauthn"))
    answer_with_key(web, key, reverse("mfa_reauthenticate_webauthn"))
    assert web.get("/admin/").status_code == 200


def test_with_an_app_too_a_skipped_session_is_asked_for_the_apps_code(web, staff_user):
    staff_with_a_key(web, staff_user)
    give_totp(staff_user)
    web.force_login(staff_user)

    response = web.get("/admin/")

    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert not response["Location"].startswith(reverse("mfa_reauthenticate_webauthn"))


def test_staff_cannot_remove_their_key(web, staff_user):
    key = staff_with_a_key(web, staff_user)
    log_in_with_password(web, staff_user)
    answer_with_key(web, key, reverse("mfa_authenticate"))
    added = keys_of(staff_user).get()
    url = reverse("mfa_remove_webauthn", args=[added.pk])

    listing = web.get(reverse("mfa_list_webauthn"))
    assert listing.status_code == 200
    assert url not in listing.content.decode()
    assert web.get(url).status_code == 403
    assert web.post(url).status_code == 403
    assert keys_of(staff_user).count() == 1


def test_a_professional_may_remove_their_own_key_but_no_one_elses(web, professional):
    web.force_login(professional)
    add_security_key(web, SoftKey())
    theirs = keys_of(professional).get()
    other = UserFactory(email="chitra@example.com")
    someone_else = Client(HTTP_HOST="localhost")
    someone_else.force_login(other)
    url = reverse("mfa_remove_webauthn", args=[theirs.pk])
    someone_else.post(f"{reverse('account_reauthenticate')}?next={url}", {"password": PASSWORD})

    assert someone_else.post(url).status_code == 404
    assert keys_of(professional).exists()
    assert web.post(url).status_code == 302
    assert not keys_of(professional).exists()


@pytest.mark.parametrize(
    "credential",
    ["", "not json", json.dumps({"id": "x"}), json.dumps([1, 2]), "{" * 50],
)
def test_a_bad_credential_adds_no_key(web, staff_user, credential):
    log_in_with_password(web, staff_user)
    add_security_key(web, SoftKey())  # confirms the password (and adds one good key)
    keys_of(staff_user).delete()

    response = web.post(reverse("mfa_add_webauthn"), {"name": "x", "credential": credential})

    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not keys_of(staff_user).exists()


def test_a_name_too_long_adds_no_key(web, staff_user):
    key = SoftKey()
    log_in_with_password(web, staff_user)

    response = add_security_key(web, key, name="k" * 61)

    assert response.status_code == 200
    assert not keys_of(staff_user).exists()


def test_a_bad_key_answer_at_login_is_an_error_not_a_crash(web, staff_user):
    staff_with_a_key(web, staff_user)
    log_in_with_password(web, staff_user)
    web.get(reverse("mfa_authenticate"))

    bad = ["", "null", "[" * 40, json.dumps({"id": "x"}), json.dumps({"response": {}})]
    for credential in bad:
        response = web.post(reverse("mfa_authenticate"), {"credential": credential})
        assert response.status_code == 200, credential
    assert not signed_in(web)


def test_a_bad_key_answer_at_reauthentication_is_an_error_not_a_crash(web, staff_user):
    staff_with_a_key(web, staff_user)
    web.force_login(staff_user)
    url = reverse("mfa_reauthenticate_webauthn")
    web.get(url)

    for credential in ["", "{}", json.dumps({"id": "x"}), json.dumps({"response": {}})]:
        response = web.post(url, {"credential": credential})
        # allauth's answer to a refused key here: "Incorrect code." and back to the login.
        assert response.status_code == 302, credential
        assert response["Location"] == reverse("account_login")
    assert web.get("/admin/").status_code == 302


def test_the_key_pages_are_in_malayalam(web, staff_user):
    staff_user.language = "ml"
    staff_user.save(update_fields=["language"])
    log_in_with_password(web, staff_user)

    add = reverse("mfa_add_webauthn")
    web.post(f"{reverse('account_reauthenticate')}?next={add}", {"password": PASSWORD})
    page = web.get(add).content.decode()

    assert "സുരക്ഷാ കീ ചേർക്കുക" in page
    assert "കീയുടെ പേര്" in page


def test_an_account_without_a_key_is_not_offered_one_at_login(web, staff_user):
    """allauth would offer the key to everyone, and the browser would then ask for any
    passkey it holds; an app-only account sees the code form alone."""
    give_totp(staff_user)
    log_in_with_password(web, staff_user)

    page = web.get(reverse("mfa_authenticate")).content.decode()

    assert 'name="code"' in page
    assert 'id="mfa_webauthn_authenticate"' not in page
    assert "mfa/js/webauthn.js" not in page
