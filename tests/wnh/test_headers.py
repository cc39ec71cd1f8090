"""Headers on every answer: Permissions-Policy; Cache-Control: private, no-store for a
signed-in person; and every cookie HttpOnly, SameSite=Lax and (without DEBUG) Secure."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ANYONES = ["/", "/centres/", "/accounts/login/", "/no-such-page/", "/healthz", "/api/schema/"]


def signed_in_pages(company) -> list[str]:
    return [
        "/",
        "/centres/",
        reverse("bookings:mine"),
        reverse("accounts:profile"),
        reverse("companies:dashboard", args=[company.slug]),
        reverse("companies:members", args=[company.slug]),
        "/api/bookings/",
        "/no-such-page/",
    ]


@pytest.mark.parametrize("path", [*ANYONES, "/bookings/"])  # /bookings/ redirects to login
def test_every_answer_forbids_the_camera_location_and_microphone(client, path):
    policy = client.get(path)["Permissions-Policy"]

    assert "camera=()" in policy
    assert "geolocation=()" in policy
    assert "microphone=()" in policy


def test_no_page_asks_for_a_feature_the_policy_forbids(client):
    # If a page ever needs the camera (an in-page QR scanner) or the location, the policy
    # must allow it for self on that page: this test is where that choice shows.
    from pathlib import Path

    sources = [*Path(settings.BASE_DIR, "templates").rglob("*.html")]
    sources += [*Path(settings.BASE_DIR, "static", "js").rglob("*.js")]
    for source in sources:
        text = source.read_text()
        assert "getUserMedia" not in text, source
        assert "geolocation" not in text, source


def test_every_page_for_a_signed_in_person_is_private_and_not_stored(
    client, company, company_admin
):
    client.force_login(company_admin)

    for path in signed_in_pages(company):
        cache_control = client.get(path).get("Cache-Control", "")
        directives = {part.strip() for part in cache_control.split(",")}
        assert {"private", "no-store"} <= directives, (path, cache_control)
        assert "public" not in directives, path


@pytest.mark.parametrize("path", ["/", "/centres/"])  # allauth's login page is never_cache
def test_a_public_page_for_an_anonymous_visitor_is_not_marked_private(client, path):
    assert "private" not in client.get(path).get("Cache-Control", "")


def cookies_of_a_visit(client, user) -> dict:
    """Every cookie the portal sets while someone logs in, switches language, logs out."""
    seen = {}
    steps = [
        lambda: client.get(reverse("account_login")),
        lambda: client.post(
            reverse("account_login"), {"login": user.email, "password": "a-long-test-password"}
        ),
        lambda: client.post(reverse("set_language"), {"language": "ml", "next": "/"}),
        lambda: client.get(reverse("bookings:mine")),
        lambda: client.post(reverse("account_logout")),
    ]
    for step in steps:
        for name, morsel in step().cookies.items():
            seen.setdefault(name, []).append(morsel)
    return seen


def test_every_cookie_is_httponly_samesite_lax_and_secure_in_production(client, professional):
    assert not settings.DEBUG  # pytest-django runs every test with DEBUG off

    cookies = cookies_of_a_visit(client, professional)

    assert {
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        settings.LANGUAGE_COOKIE_NAME,
        "messages",
    } <= set(cookies)
    for name, morsels in cookies.items():
        for morsel in morsels:
            assert morsel["httponly"] is True, name
            assert morsel["samesite"] == "Lax", name
            assert morsel["secure"] is True, name


def test_the_language_cookie_is_secure_httponly_and_lax_when_it_is_set_at_login(
    client, professional
):
    professional.language = "ml"
    professional.save(update_fields=["language"])

    response = client.post(
        reverse("account_login"), {"login": professional.email, "password": "a-long-test-password"}
    )

    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ml"
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Lax")


def test_the_production_settings_mark_the_frameworks_own_cookies_too():
    # The middleware marks every cookie; the settings say the same for Django's own, so
    # `check --deploy` and anyone reading settings.py see it.
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    assert settings.LANGUAGE_COOKIE_HTTPONLY
    assert {
        settings.SESSION_COOKIE_SAMESITE,
        settings.CSRF_COOKIE_SAMESITE,
        settings.LANGUAGE_COOKIE_SAMESITE,
    } == {"Lax"}


def test_a_failures_answer_is_never_kept_and_does_not_ask_for_the_person_again(rf):
    """With the database away the person cannot be loaded: the 503 goes out with its headers
    instead of a second failure (the PostgreSQL-restart round logged each 503 twice)."""
    from django.db import OperationalError
    from django.http import HttpResponse
    from django.utils.functional import SimpleLazyObject

    from wnh.middleware import SecurityHeadersMiddleware

    def unreachable():
        raise OperationalError("server closed the connection unexpectedly")

    request = rf.get("/centres/")
    request.user = SimpleLazyObject(unreachable)
    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse(status=503))

    response = middleware(request)

    assert "no-store" in response["Cache-Control"]
    assert response["Permissions-Policy"].startswith("accelerometer=()")
