"""A Malayalam reader sees a centre's name, local body and host, and post offices, in
Malayalam when they have a Malayalam version, and in English when it is blank
(centres/text.py); staff add the Malayalam versions in the admin."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from bookings.core.services import book_seat
from centres.models import Centre, Locality
from tests.bookings.admin.forms import submitted_fields
from tests.support.second_factor import force_login_staff

pytestmark = pytest.mark.django_db

NAME_ML, BODY_ML, HOST_ML = "കൊട്ടാരക്കര", "കൊട്ടാരക്കര നഗരസഭ", "ബിഎസ്എൻഎൽ കെട്ടിടം"


@pytest.fixture
def kottarakkara(centre):
    centre.name, centre.local_body, centre.host_name = (
        "Kottarakkara",
        "Kottarakkara Municipality",
        "Telephone Exchange",
    )
    centre.name_ml, centre.local_body_ml, centre.host_name_ml = NAME_ML, BODY_ML, HOST_ML
    centre.save()
    return centre


@pytest.fixture
def reads_malayalam(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ml"
    return client


def without_malayalam(centre: Centre) -> None:
    centre.name_ml = centre.local_body_ml = centre.host_name_ml = ""
    centre.save()


def test_the_centre_list_shows_the_malayalam_name_and_local_body_or_the_english(
    reads_malayalam, kottarakkara
):
    page = reads_malayalam.get(reverse("centres:list")).content.decode()
    assert NAME_ML in page
    assert BODY_ML in page
    assert "Kottarakkara Municipality" not in page

    without_malayalam(kottarakkara)
    page = reads_malayalam.get(reverse("centres:list")).content.decode()
    assert "Kottarakkara" in page
    assert "Kottarakkara Municipality" in page
    assert NAME_ML not in page


def test_the_seat_map_shows_the_malayalam_name_and_host_or_the_english(
    reads_malayalam, kottarakkara, pod, next_open_day
):
    url = f"{kottarakkara.get_absolute_url()}?day={next_open_day:%Y-%m-%d}"
    page = reads_malayalam.get(url).content.decode()
    assert NAME_ML in page
    assert HOST_ML in page
    assert "Telephone Exchange" not in page

    without_malayalam(kottarakkara)
    page = reads_malayalam.get(url).content.decode()
    assert "Kottarakkara" in page
    assert "Telephone Exchange" in page
    assert NAME_ML not in page


def test_my_bookings_and_the_cancel_page_name_the_centre_in_malayalam_or_english(
    reads_malayalam, kottarakkara, seat, professional, next_open_day
):
    booking = book_seat(user=professional, seat=seat, day=next_open_day)
    reads_malayalam.force_login(professional)
    pages = [reverse("bookings:mine"), reverse("bookings:cancel", args=[booking.pk])]
    for url in pages:
        assert NAME_ML in reads_malayalam.get(url).content.decode()

    without_malayalam(kottarakkara)
    for url in pages:
        page = reads_malayalam.get(url).content.decode()
        assert "Kottarakkara" in page
        assert NAME_ML not in page


def test_staff_save_a_centres_malayalam_names_in_the_admin(client, staff_user, kottarakkara):
    without_malayalam(kottarakkara)
    force_login_staff(client, staff_user)
    url = reverse("admin:centres_centre_change", args=[kottarakkara.pk])
    page = client.get(url).content.decode()
    assert ">Malayalam<" in page
    data = submitted_fields(page, form_id="centre_form")
    data.update(name_ml=NAME_ML, local_body_ml=BODY_ML, host_name_ml=HOST_ML, _save="Save")

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    kottarakkara.refresh_from_db()
    assert (kottarakkara.name_ml, kottarakkara.local_body_ml, kottarakkara.host_name_ml) == (
        NAME_ML,
        BODY_ML,
        HOST_ML,
    )
    assert kottarakkara.name == "Kottarakkara"  # the English stays


def test_staff_name_a_post_office_in_malayalam_and_the_home_picker_shows_it(
    client, staff_user, professional
):
    office = Locality.objects.get(pin_code="691506", name="Kottarakara")
    force_login_staff(client, staff_user)
    url = reverse("admin:centres_locality_change", args=[office.pk])
    data = submitted_fields(client.get(url).content.decode(), form_id="locality_form")
    response = client.post(url, {**data, "name_ml": NAME_ML, "_save": "Save"})

    assert response.status_code == 302
    office.refresh_from_db()
    assert (office.name, office.name_ml) == ("Kottarakara", NAME_ML)
    with translation.override("ml"):
        assert str(office) == f"{NAME_ML} (691506)"
    with translation.override("en"):
        assert str(office) == "Kottarakara (691506)"

    professional.home_pin_code, professional.home_place = "691506", "Kottarakara"
    professional.home_latitude, professional.home_longitude = office.latitude, office.longitude
    professional.save()
    client.force_login(professional)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ml"
    assert NAME_ML in client.get(reverse("centres:list")).content.decode()


def test_the_demo_names_its_centres_places_and_post_offices_in_malayalam():
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    assert all(c.local_body_ml and c.host_name_ml for c in Centre.objects.all())
    assert Locality.objects.get(pin_code="691506", name="Kottarakara").name_ml == NAME_ML


@pytest.mark.django_db(transaction=True)
def test_the_migration_adds_the_malayalam_fields_and_goes_back():
    executor = MigrationExecutor(connection)
    executor.migrate([("centres", "0011_centre_history_malayalam_name")])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    columns = {
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), "centres_centre"
        )
    }
    assert {"local_body_ml", "host_name_ml"} <= columns
