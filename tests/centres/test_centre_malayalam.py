"""Centres have a Malayalam name and address, shown when the page or email is in Malayalam."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from bookings.core.services import book_seat
from bookings.operations.reminders import reminder_email
from centres.models import Centre

pytestmark = pytest.mark.django_db


@pytest.fixture
def kottarakkara(centre):
    centre.name, centre.name_ml = "Kottarakkara", "കൊട്ടാരക്കര"
    centre.address, centre.address_ml = "Old BSNL building", "പഴയ ബിഎസ്എൻഎൽ കെട്ടിടം"
    centre.save()
    return centre


def test_the_centre_list_names_centres_in_the_page_language(client, kottarakkara):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ml"
    page = client.get(reverse("centres:list")).content.decode()
    assert "കൊട്ടാരക്കര" in page
    assert ">Kottarakkara<" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ">Kottarakkara<" in client.get(reverse("centres:list")).content.decode()


def test_a_centre_without_a_malayalam_name_keeps_its_english_one(centre):
    with translation.override("ml"):
        assert centre.local_name == centre.name
        assert str(centre) == centre.name


def test_the_reminder_in_malayalam_names_the_centre_and_address_in_malayalam(
    kottarakkara, seat, professional, next_open_day
):
    professional.language = "ml"
    professional.save(update_fields=["language"])
    booking = book_seat(user=professional, seat=seat, day=next_open_day)
    email = reminder_email(booking)
    assert "കൊട്ടാരക്കര" in email.subject
    assert "കൊട്ടാരക്കര" in email.body
    assert "പഴയ ബിഎസ്എൻഎൽ കെട്ടിടം" in email.body


def test_the_seven_demo_centres_have_malayalam_names_and_addresses():
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    centres = Centre.objects.all()
    assert centres.count() == 7
    assert all(c.name_ml and c.address_ml for c in centres)
    assert Centre.objects.get(slug="kalamassery").name_ml == "കളമശ്ശേരി"
