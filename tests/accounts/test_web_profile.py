"""The professional's home and language, and how logging in uses them."""

import pytest
from django.conf import settings
from django.urls import reverse

from centres.models import Locality
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_known_pin_code_sets_home_coordinates(client, professional):
    client.force_login(professional)
    response = client.post(
        reverse("accounts:profile"), {"pin_code": "691506", "language": "en", "full_name": "Asha"}
    )
    professional.refresh_from_db()
    assert response.status_code == 302
    assert professional.home_place == "Kottarakara"  # India Post spells it so
    assert professional.has_home
    assert float(professional.home_latitude) == pytest.approx(9.0)


def test_a_locality_sets_home(client, professional):
    kalamassery = Locality.objects.get(pin_code="683104", name="Kalamassery")
    client.force_login(professional)
    client.post(reverse("accounts:profile"), {"locality": kalamassery.pk, "language": "ml"})
    professional.refresh_from_db()
    assert (professional.home_pin_code, professional.language) == ("683104", "ml")


@pytest.mark.parametrize(
    ("pin_code", "message"),
    [
        ("12345", "Enter a 6-digit PIN code"),
        ("69150A", "Enter a 6-digit PIN code"),
        ("011111", "Enter a 6-digit PIN code"),
        ("110001", "We do not know where PIN code 110001 is yet"),
        ("", "Enter your home PIN code or pick your locality."),
    ],
)
def test_a_bad_pin_code_is_refused_and_changes_nothing(client, professional, pin_code, message):
    client.force_login(professional)
    response = client.post(reverse("accounts:profile"), {"pin_code": pin_code, "language": "ml"})
    professional.refresh_from_db()
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not professional.has_home
    assert professional.language == "en"


def test_the_first_login_asks_for_a_home(client, db):
    UserFactory(email="new@example.com")
    response = client.post(
        reverse("account_login"), {"login": "new@example.com", "password": "a-long-test-password"}
    )
    # Through the start page (companies.views.start), which sends each person to their own.
    assert response["Location"] == reverse("start")
    assert client.get(reverse("start"))["Location"] == reverse("accounts:profile") + "?welcome=1"


def test_logging_in_switches_to_the_profile_language(client, db):
    UserFactory(email="mal@example.com", language="ml")
    response = client.post(
        reverse("account_login"), {"login": "mal@example.com", "password": "a-long-test-password"}
    )
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ml"
    page = client.get(reverse("centres:list"))
    assert page.context["LANGUAGE_CODE"] == "ml"


def test_the_language_switcher_also_saves_the_profile(client, professional):
    client.force_login(professional)
    client.post(reverse("set_language"), {"language": "ml", "next": "/"})
    professional.refresh_from_db()
    assert professional.language == "ml"


def test_the_switcher_works_for_visitors_too(client, db):
    response = client.post(reverse("set_language"), {"language": "ml", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ml"
