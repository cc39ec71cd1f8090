"""Staff log in to the admin through the portal's own login, with its rate limits, and with
a second factor (TOTP, or a recovery code) that they must set up before any staff page opens."""

import pytest
from django.urls import reverse

from bookings.core.services import book_seat
from tests.support.factories import UserFactory
from tests.support.second_factor import PASSWORD, give_totp, totp_code

ADMIN_PAGES = ["/admin/", "/admin/bookings/seatbooking/", "/admin/centres/centre/"]


def admin_login_attempt(client, email: str, password: str):
    """What a person (or a script) does at the admin: open it, follow it to the login form
    it names, and submit it (with both the admin's and the portal's field names)."""
    response = client.get("/admin/", follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/admin/login/"
    return client.post(form_url, {"username": email, "login": email, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@kdisc.example", is_staff=True, is_superuser=True)


def test_the_admin_login_is_the_portals_login(client, db):
    response = client.get("/admin/login/", {"next": "/admin/bookings/seatbooking/"})

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("account_login") + "?next=%2Fadmin%2Fbookings%2Fseatbooking%2F"
    )


def test_the_admins_own_password_form_logs_nobody_in(client, staff_user):
    client.post("/admin/login/", {"username": staff_user.email, "password": PASSWORD})

    assert not signed_in(client)


def test_twenty_wrong_passwords_then_the_right_one_is_refused(client, staff_user):
    give_totp(staff_user)
    for attempt in range(20):
        admin_login_attempt(client, staff_user.email, f"wrong-password-{attempt}")

    response = admin_login_attempt(client, staff_user.email, PASSWORD)

    assert not signed_in(client)
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_a_staff_login_without_a_second_factor_cannot_reach_any_admin_page(client, staff_user):
    response = client.post("/accounts/login/", {"login": staff_user.email, "password": PASSWORD})
    assert response.status_code == 302  # the password alone signs in: to set up a second factor

    for path in ADMIN_PAGES:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("mfa_activate_totp")), path


def test_a_superuser_without_a_second_factor_cannot_reach_the_admin_either(client, superuser):
    client.post("/accounts/login/", {"login": superuser.email, "password": PASSWORD})

    response = client.get("/admin/accounts/user/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_without_a_second_factor_staff_powers_elsewhere_are_closed_too(
    client, staff_user, professional, seat, next_open_day
):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)
    client.post("/accounts/login/", {"login": staff_user.email, "password": PASSWORD})

    api = client.post(f"/api/bookings/{booking.pk}/cancel/", content_type="application/json")
    page = client.get(reverse("centres:entrance", args=[seat.pod.centre.slug]))

    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"
    assert page.status_code == 302
    booking.refresh_from_db()
    assert booking.status == booking.Status.BOOKED


def test_with_totp_set_up_the_login_asks_for_the_code_before_the_admin_opens(client, staff_user):
    secret = give_totp(staff_user)

    response = client.post("/accounts/login/", {"login": staff_user.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert signed_in(client)
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 200, path


def test_a_wrong_or_old_code_is_refused(client, staff_user, clock):
    secret = give_totp(staff_user)
    client.post("/accounts/login/", {"login": staff_user.email, "password": PASSWORD})

    old = totp_code(secret, steps_ago=2)
    response = client.post(reverse("mfa_authenticate"), {"code": old})

    assert response.status_code == 200
    assert "Incorrect code" in response.content.decode()
    assert not signed_in(client)


def test_codes_cannot_be_guessed_for_long(client, staff_user):
    secret = give_totp(staff_user)
    client.post("/accounts/login/", {"login": staff_user.email, "password": PASSWORD})
    right = totp_code(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(10):
        client.post(reverse("mfa_authenticate"), {"code": wrong})

    response = client.post(reverse("mfa_authenticate"), {"code": right})

    assert not signed_in(client)
    assert "Too many failed login attempts" in response.content.decode()


def test_a_recovery_code_also_lets_staff_in(client, staff_user):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    give_totp(staff_user)
    code = RecoveryCodes.activate(staff_user).get_unused_codes()[0]
    client.post("/accounts/login/", {"login": staff_user.email, "password": PASSWORD})

    client.post(reverse("mfa_authenticate"), {"code": code})

    assert signed_in(client)
    assert client.get("/admin/").status_code == 200


def test_a_session_that_skipped_the_code_is_asked_for_it(client, staff_user):
    """Signed in before the second factor was set up (or by any path that skipped it)."""
    give_totp(staff_user)
    client.force_login(staff_user)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_staff_cannot_switch_their_second_factor_off(client, staff_user):
    from allauth.mfa.models import Authenticator

    from tests.support.second_factor import log_in_staff

    log_in_staff(client, staff_user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.post(reverse("mfa_deactivate_totp"))

    assert "You cannot deactivate two-factor authentication" in response.content.decode()
    assert Authenticator.objects.filter(user=staff_user, type="totp").exists()


def test_people_who_are_not_staff_need_no_second_factor(client, professional):
    client.post("/accounts/login/", {"login": professional.email, "password": PASSWORD})

    assert signed_in(client)
    assert client.get(reverse("bookings:mine")).status_code == 200


def test_a_signed_in_person_who_is_not_staff_is_refused_at_the_admin(client, professional):
    client.force_login(professional)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403


def test_the_demo_staff_log_in_with_the_published_password_and_code(client, db):
    from io import StringIO

    from django.core.management import call_command

    from devtools.management.commands.seed_demo import DEMO_PASSWORD

    call_command("seed_demo", stdout=StringIO())
    printed = StringIO()
    call_command("demo_code", stdout=printed)
    code = printed.getvalue().split()[0]

    for email in ("staff@kdisc.example", "admin@kdisc.example"):
        session = client.__class__()
        session.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        session.post(reverse("mfa_authenticate"), {"code": code})
        assert session.get("/admin/").status_code == 200, email


def test_a_next_that_is_no_address_does_not_break_the_admins_door(client, staff_user):
    from tests.support.second_factor import force_login_staff

    force_login_staff(client, staff_user)
    response = client.get("/admin/login/", {"next": "not a url name"})
    assert response.status_code == 302
