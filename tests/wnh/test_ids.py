"""No id, however large, answers a 500 (wnh/ids.py): not in a form, the admin, a URL or a
query, on SQLite or on PostgreSQL.

SQLite's driver cannot bind a number past 64 bits ("OverflowError: Python int too large to
convert to SQLite INTEGER"), and Django sent one to the database wherever it looked ids up
with `__in` or a foreign key: the admin's autocomplete widget, its many-to-many fields, its
actions on selected rows. PostgreSQL took it, but compared it as a numeric, and so every id
of the table as one: a full scan of the table instead of a look in its primary key's index.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import StaffScope
from companies.models import Company, Membership
from tests.support.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.support.second_factor import force_login_staff
from wnh.ids import MAX_ID, as_id

# Numbers no id column can hold: just past the 64-bit range, far past it, below it.
BEYOND = [MAX_ID + 1, 2**64, 10**30, -(2**63) - 1]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("007", 7),
        (str(MAX_ID), MAX_ID),
        (MAX_ID, MAX_ID),
        (str(MAX_ID + 1), None),
        (MAX_ID + 1, None),
        ("9" * 30, None),
        ("9" * 5000, None),  # past Python's 4,300 digits: int() itself refuses
        ("0", None),
        ("-1", None),
        ("1.5", None),
        ("1e3", None),
        (" 1", None),
        ("", None),
        ("²", None),  # isdigit() says yes
        ("\u0663", None),  # an Arabic-Indic three
        (True, None),
        (None, None),
    ],
)
def test_what_an_id_is(value, expected):
    assert as_id(value) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("beyond", BEYOND)
def test_a_query_for_an_id_no_row_can_have_finds_nothing_and_sends_no_such_number(beyond):
    membership = MembershipFactory()
    company, user = membership.company, membership.user

    with CaptureQueriesContext(connection) as queries:
        assert list(Company.objects.filter(pk__in=[beyond])) == []
        assert list(Company.objects.filter(pk__in=[str(beyond)])) == []
        assert list(Company.objects.filter(pk__in=[beyond, company.pk])) == [company]
        assert list(Company.objects.exclude(pk__in=[beyond])) == [company]
        assert list(Membership.objects.filter(user__in=[beyond, user.pk])) == [membership]
        assert list(Membership.objects.filter(user=beyond)) == []
        assert list(Membership.objects.filter(company_id=beyond)) == []
        assert list(Membership.objects.exclude(user=beyond)) == [membership]

    assert [query["sql"] for query in queries if str(abs(beyond)) in query["sql"]] == []


@pytest.fixture
def superuser(client, db):
    force_login_staff(client, UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("beyond", [str(MAX_ID + 1), "9" * 30])
def test_the_admin_takes_an_id_no_row_can_have_as_an_invalid_choice(superuser, beyond):
    # Ours: an autocomplete field (the person) and a many-to-many one (the centres).
    page = superuser.post(
        reverse("admin:accounts_staffscope_add"),
        {"user": beyond, "kind": "manager", "centres": [beyond]},
    )
    assert page.status_code == 200
    errors = page.context["adminform"].form.errors
    assert errors["user"]
    assert errors["centres"]
    assert not StaffScope.objects.exists()

    # Django's own: a group's permissions.
    page = superuser.post(reverse("admin:auth_group_add"), {"name": "G", "permissions": [beyond]})
    assert page.status_code == 200
    assert page.context["adminform"].form.errors["permissions"]
    assert not Group.objects.filter(name="G").exists()


@pytest.mark.parametrize("beyond", [str(MAX_ID + 1), "9" * 30])
def test_an_admin_action_on_a_row_no_row_can_be_changes_nothing(superuser, beyond):
    pending = CompanyFactory(status=Company.Status.PENDING)

    page = superuser.post(
        reverse("admin:companies_company_changelist"),
        {"action": "approve", "index": 0, "_selected_action": [beyond]},
    )

    assert page.status_code in (200, 302)
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING


@pytest.mark.parametrize("name", ["waitlist:leave", "waitlist:offer"])
def test_a_page_for_an_id_no_row_can_have_is_a_404(client, professional, name):
    client.force_login(professional)

    assert client.post(reverse(name, args=[MAX_ID + 1])).status_code == 404
    assert client.post(reverse(name, args=[10**30])).status_code == 404


def test_an_admin_page_for_an_id_no_row_can_have_is_no_500(superuser):
    page = superuser.get(reverse("admin:companies_company_change", args=[10**30]))

    assert page.status_code in (302, 404)
