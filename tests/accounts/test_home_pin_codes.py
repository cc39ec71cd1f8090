"""Home from any Kerala PIN code: India Post's post offices, their points checked, a picker
when a PIN covers several, and a new PIN never silently ignored."""

import pytest
from django.urls import reverse

from centres.models import Locality
from centres.post_offices import OVERRIDES, distance_km, kerala_post_offices

pytestmark = pytest.mark.django_db

# Each PIN's town and where its post office is (from maps, not from the package).
TOWNS = {
    "682022": ("Kalamassery (Kochi University)", 10.05, 76.32),
    "673633": ("Ramanattukara", 11.18, 75.86),
    "670141": ("Taliparamba", 12.04, 75.36),
    "679322": ("Perinthalmanna", 10.97, 76.22),
    "691506": ("Kottarakkara", 9.00, 76.77),
    "683104": ("Kalamassery", 10.05, 76.32),
    "673101": ("Vadakara", 11.60, 75.59),
}


def home_of(client, user, **data):
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"language": "en", **data})
    user.refresh_from_db()
    return response


def test_every_kerala_pin_code_is_known_in_all_14_districts():
    assert Locality.objects.values("pin_code").distinct().count() == 1428
    assert Locality.objects.count() > 5000
    assert Locality.objects.values("district").distinct().count() == 14


def test_no_post_office_is_placed_outside_kerala():
    outside = Locality.objects.exclude(latitude__range=(8.1, 12.85), longitude__range=(74.8, 77.5))
    assert list(outside) == []


@pytest.mark.parametrize("pin_code", TOWNS)
def test_every_office_of_the_pin_code_is_within_10_km_of_its_town(pin_code):
    _town, latitude, longitude = TOWNS[pin_code]
    offices = Locality.objects.filter(pin_code=pin_code)
    assert offices
    for office in offices:
        away = distance_km(float(office.latitude), float(office.longitude), latitude, longitude)
        assert away < 10, f"{office} is {away:.0f} km from its town"


@pytest.mark.parametrize("typed", ["682022", "673633", "670141", "679322", "691 506"])
def test_a_pin_code_typed_sets_home_within_10_km_of_its_town(client, professional, typed):
    pin_code = typed.replace(" ", "")
    _town, latitude, longitude = TOWNS[pin_code]
    offices = Locality.objects.filter(pin_code=pin_code).order_by("name")
    data = {"pin_code": typed}
    if offices.count() > 1:
        data["post_office"] = offices.first().pk
    response = home_of(client, professional, **data)
    assert response.status_code == 302, response.content.decode()
    assert professional.home_pin_code == pin_code
    home = (float(professional.home_latitude), float(professional.home_longitude))
    assert distance_km(*home, latitude, longitude) < 10


def test_the_wrong_points_india_post_gives_are_replaced():
    offices = {(o.pin_code, o.name): o for o in kerala_post_offices()}
    # India Post: 9.751, 76.368 (33 km south) and 9.751, 76.034 (in the sea).
    for key in [("682022", "Kochi University"), ("683104", "Kalamassery")]:
        office = offices[key]
        assert (office.latitude, office.longitude) == OVERRIDES[key]
    # A point many PINs share is a head office's, given to the offices under it.
    vadakara = offices[("673101", "Vadakara")]
    assert distance_km(vadakara.latitude, vadakara.longitude, 11.60, 75.59) < 3


def test_a_pin_code_with_several_post_offices_asks_which(client, professional):
    response = home_of(client, professional, pin_code="673633")
    page = response.content.decode()
    assert response.status_code == 200
    assert "PIN code 673633 has 5 post offices: pick yours." in page
    assert 'type="radio"' in page
    assert "Vazhayur East" in page
    assert not professional.has_home

    vazhayur = Locality.objects.get(pin_code="673633", name="Vazhayur")
    home_of(client, professional, pin_code="673633", post_office=vazhayur.pk)
    assert (professional.home_place, professional.home_pin_code) == ("Vazhayur", "673633")


def test_a_post_office_of_another_pin_code_does_not_count(client, professional):
    elsewhere = Locality.objects.get(pin_code="691506")
    response = home_of(client, professional, pin_code="673633", post_office=elsewhere.pk)
    assert "pick yours" in response.content.decode()
    assert not professional.has_home


def test_a_new_pin_code_wins_over_the_town_still_chosen(client, professional):
    kalamassery = Locality.objects.get(pin_code="683104", name="Kalamassery")
    home_of(client, professional, locality=kalamassery.pk)
    assert professional.home_place == "Kalamassery"
    # The form comes back with Kalamassery still chosen; the person types 691506.
    response = home_of(client, professional, pin_code="691506", locality=kalamassery.pk)
    assert response.status_code == 302
    assert (professional.home_place, professional.home_pin_code) == ("Kottarakara", "691506")


def test_a_new_town_wins_over_the_pin_code_still_shown(client, professional):
    home_of(client, professional, pin_code="691506")
    kalamassery = Locality.objects.get(pin_code="683104", name="Kalamassery")
    home_of(client, professional, pin_code="691506", locality=kalamassery.pk)
    assert professional.home_pin_code == "683104"


def test_a_new_pin_code_and_a_different_new_town_are_refused(client, professional):
    kalamassery = Locality.objects.get(pin_code="683104", name="Kalamassery")
    response = home_of(client, professional, pin_code="691506", locality=kalamassery.pk)
    assert response.status_code == 200
    assert "PIN code 691506 is not the PIN code of Kalamassery (683104)" in (
        response.content.decode()
    )
    assert not professional.has_home


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("691 50", "Enter a 6-digit PIN code"),
        ("6915066", "Enter a 6-digit PIN code"),
        ("691 5O6", "Enter a 6-digit PIN code"),
        ("110001", "We do not know where PIN code 110001 is yet"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(client, professional, typed, message):
    home_of(client, professional, pin_code="691506")
    response = home_of(client, professional, pin_code=typed, full_name="Changed")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (professional.home_pin_code, professional.full_name) == ("691506", "")


def test_the_profile_page_sends_the_town_list_only_when_asked(client, professional):
    client.force_login(professional)
    light = client.get(reverse("accounts:profile"))
    assert "Pick your district and town" in light.content.decode()
    assert len(light.content) < 20_000
    heavy = client.get(reverse("accounts:profile") + "?towns=1")
    assert "Kottarakara (691506)" in heavy.content.decode()
    # A PIN code it does not know brings the list with the message.
    refused = home_of(client, professional, pin_code="110001")
    assert "Kottarakara (691506)" in refused.content.decode()
