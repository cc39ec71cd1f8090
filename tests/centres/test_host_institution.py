"""Each centre's host institution: its kind and name, on the public page and as an admin
filter; the old kinds move to the new ones."""

import importlib
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from centres.models import Centre
from tests.support.factories import CentreFactory
from tests.support.second_factor import force_login_staff

pytestmark = pytest.mark.django_db


def test_the_kinds_are_the_networks_hosts():
    assert set(Centre.HostKind.values) == {
        "college",
        "polytechnic",
        "iti",
        "local_government",
        "government_building",
        "private_partner",
    }


def test_the_public_centre_page_names_its_host(client):
    centre = CentreFactory(
        name="Kalamassery",
        host_kind=Centre.HostKind.POLYTECHNIC,
        host_name="Government Polytechnic College, Kalamassery",
    )

    page = client.get(centre.get_absolute_url()).content.decode()

    assert "Hosted by" in page
    assert "Government Polytechnic College, Kalamassery (Polytechnic)" in page


def test_a_centre_without_a_host_name_shows_its_kind(client):
    centre = CentreFactory(host_kind=Centre.HostKind.ITI, host_name="")

    assert "<dd>ITI</dd>" in client.get(centre.get_absolute_url()).content.decode()


def test_staff_filter_the_centres_by_host_kind(client, staff_user):
    college = CentreFactory(name="Taliparamba", host_kind=Centre.HostKind.COLLEGE)
    CentreFactory(name="Kollam", host_kind=Centre.HostKind.ITI)
    force_login_staff(client, staff_user)

    response = client.get(
        reverse("admin:centres_centre_changelist"), {"host_kind__exact": "college"}
    )

    assert [c.pk for c in response.context["cl"].result_list] == [college.pk]
    assert "Private partner" in response.content.decode()  # offered in the filter


def test_the_migration_moves_the_old_kinds_to_the_new_ones():
    migration = importlib.import_module("centres.migrations.0004_host_institution_and_rate_history")

    assert migration.RENAMED_HOST_KINDS == {
        "bsnl": "government_building",
        "other": "government_building",
    }


def test_the_migration_keeps_each_centres_rate_as_its_first_rate():
    """Run the data step against stand-ins for the historical models."""
    migration = importlib.import_module("centres.migrations.0004_host_institution_and_rate_history")
    made = []
    old = SimpleNamespace(
        opened_on=date(2026, 1, 19),
        created_at=datetime(2026, 1, 5, 9, 0),
        seat_day_rate=Decimal("150.00"),
    )
    unopened = SimpleNamespace(
        opened_on=None, created_at=datetime(2026, 3, 1, 9, 0), seat_day_rate=Decimal("99.50")
    )
    models = {
        "Centre": SimpleNamespace(objects=SimpleNamespace(all=lambda: [old, unopened])),
        "CentreRate": SimpleNamespace(
            objects=SimpleNamespace(bulk_create=lambda rows: made.extend(rows))
        ),
    }
    models["CentreRate"] = type(
        "CentreRate", (), {"objects": models["CentreRate"].objects, "__init__": _keep}
    )
    apps = SimpleNamespace(get_model=lambda app, name: models[name])

    migration.first_rates_from_the_centres(apps, None)

    assert [(r.centre, r.effective_from, r.seat_day_rate, r.pod_seat_day_rate) for r in made] == [
        (old, date(2026, 1, 5), Decimal("150.00"), Decimal("150.00")),
        (unopened, date(2026, 3, 1), Decimal("99.50"), Decimal("99.50")),
    ]


def _keep(self, **fields):
    self.__dict__.update(fields)
