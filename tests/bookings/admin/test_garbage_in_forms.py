"""What the admin fuzz found (tests/wnh/test_fuzz.py): a form sent back with garbage is
a form with errors, a 200 that changes nothing, never a 500."""

import pytest
from django.urls import reverse

from accounts.models import StaffScope
from tests.support.factories import UserFactory
from tests.support.second_factor import force_login_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["0347-04-30", "x", "1.5", "9" * 30, "\u0663"])
def test_a_staff_scope_for_a_person_who_is_no_id_is_an_invalid_choice(client, value):
    force_login_staff(client, UserFactory(is_staff=True, is_superuser=True))

    page = client.post(reverse("admin:accounts_staffscope_add"), {"user": value, "kind": "manager"})

    assert page.status_code == 200
    assert page.context["adminform"].form.errors["user"]
    assert not StaffScope.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"day__year": "9" * 30},
        {"day__year": "-" + "9" * 30},
        {"day__year": "9999"},
        {"day__year": "9999", "day__month": "12"},
        {"day__year": "9999", "day__month": "12", "day__day": "31"},
    ],
)
def test_a_date_hierarchy_past_the_calendar_is_a_wrong_filter(client, query):
    force_login_staff(client, UserFactory(is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:centres_centreclosure_changelist"), query)

    assert page.status_code == 302
    assert page["Location"].endswith("?e=1")
