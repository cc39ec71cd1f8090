"""Admin pages whose cost must not grow with the rows behind them: at 10 million bookings a
page that works on every row of a company or a centre takes minutes.

- A company's History page (its bookings' audit events too) works out the data and diff of
  the events it shows, not of every event of every booking the company ever had.
- A centre's delete page refuses a centre with a history at once, without fetching and
  listing its waitlist places and occupancy days one query each.
- A company's change page lists its members in the same number of queries, however many.
"""

import json
from datetime import timedelta

import pgtrigger
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import SeatBooking, WaitlistEntry
from centres.models import Centre
from companies.admin import CompanyAdmin
from tests.support.factories import (
    CentreFactory,
    CompanyFactory,
    MembershipFactory,
    PodFactory,
    UserFactory,
    WaitlistEntryFactory,
)
from tests.support.second_factor import force_login_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@kdisc.example", is_staff=True, is_superuser=True)


def most_loops(plan: dict) -> int:
    """The most times any node of an EXPLAIN ANALYZE plan ran (a per-row subquery runs once
    a row it is worked out for)."""
    return max([plan.get("Actual Loops", 1)] + [most_loops(p) for p in plan.get("Plans", [])])


@pytest.mark.postgres
def test_a_companys_history_page_works_out_only_the_events_it_shows(
    client, staff_user, monkeypatch, today
):
    monkeypatch.setattr(CompanyAdmin, "AUDIT_ROWS", 5)
    company = CompanyFactory()
    seats = list(PodFactory(capacity=4).seats.all())
    people = [UserFactory() for _ in range(10)]
    SeatBooking.objects.bulk_create(
        SeatBooking(
            seat=seats[i % 4], user=people[i % 10], company=company, day=today - timedelta(i // 4)
        )
        for i in range(60)
    )
    # One transaction (the test's) wrote them all at one moment: a minute apart instead, after
    # the company's own events, as months of bookings are.
    with pgtrigger.ignore("bookings.SeatBookingEvent:append_only"), connection.cursor() as cur:
        cur.execute(
            "UPDATE bookings_seatbookingevent"
            " SET pgh_created_at = now() + pgh_id * interval '1 minute'"
        )
    force_login_staff(client, staff_user)

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:companies_company_history", args=[company.pk]))

    assert page.status_code == 200
    rows = page.context["audit_rows"]
    assert len(rows) == 5
    assert [row["label"] for row in rows] == ["SeatBooking insert"] * 5
    newest = SeatBooking.objects.order_by("-pk").first()
    assert ("id", None, newest.pk) in rows[0]["changes"]  # the newest first
    # (The audit context's set_config statement goes first, in the same string.)
    history = [
        q["sql"][q["sql"].index("WITH pghistory_events") :]
        for q in queries.captured_queries
        if "WITH pghistory_events" in q["sql"]
    ]
    assert history
    for sql in history:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            found = cursor.fetchone()[0]
        (plan,) = json.loads(found) if isinstance(found, str) else found
        # pghistory's JSON diff subqueries ran for the 5 events shown and the one before
        # them, not for the 60 + 1 events of the company.
        assert most_loops(plan["Plan"]) <= 6, sql[:300]


def delete_page_queries(client, centre) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:centres_centre_delete", args=[centre.pk]))
    assert page.status_code == 200
    assert "Set its status to Closed instead" in page.content.decode()
    return len(queries)


def test_a_centres_delete_page_refuses_a_centre_with_a_history_at_once(client, superuser, today):
    force_login_staff(client, superuser)
    quiet, busy = CentreFactory(), CentreFactory()
    for centre, waiting in [(quiet, 2), (busy, 30)]:
        PodFactory(centre=centre)
        for i in range(waiting):
            WaitlistEntryFactory(centre=centre, day=today + timedelta(days=i + 1))

    delete_page_queries(client, quiet)  # the session and content types, once
    assert delete_page_queries(client, busy) == delete_page_queries(client, quiet)
    response = client.post(reverse("admin:centres_centre_delete", args=[busy.pk]), {"post": "yes"})
    assert response.status_code == 200  # the refusal again; nothing deleted
    assert Centre.objects.filter(pk=busy.pk).exists()
    assert WaitlistEntry.objects.filter(centre=busy).count() == 30


def test_a_centre_without_a_history_can_still_be_deleted(client, superuser):
    force_login_staff(client, superuser)
    mistake = CentreFactory(name="Typed twice")

    response = client.post(
        reverse("admin:centres_centre_delete", args=[mistake.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Centre.objects.filter(pk=mistake.pk).exists()


def change_page_queries(client, company) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("admin:companies_company_change", args=[company.pk]))
    assert page.status_code == 200
    return len(queries)


def test_a_companys_change_page_lists_its_members_in_the_same_queries_however_many(
    client, staff_user
):
    force_login_staff(client, staff_user)
    small, large = CompanyFactory(), CompanyFactory()
    for company, members in [(small, 2), (large, 25)]:
        for _ in range(members):
            MembershipFactory(company=company)

    change_page_queries(client, small)  # the session and content types, once
    assert change_page_queries(client, large) == change_page_queries(client, small)
