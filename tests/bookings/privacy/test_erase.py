"""Erase my account: the person is gone from every column; the figures are not."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

from accounts.models import User
from bookings.core.services import book_seat
from bookings.core.statements import monthly_statement, statement_csv
from bookings.models import OccupancyDaily, SeatBooking, WaitlistEntry
from bookings.operations import occupancy
from bookings.privacy.services import erase_person
from companies.models import Invitation
from tests.support.factories import UserFactory, WaitlistEntryFactory
from tests.support.personas import EMAIL, NAME
from tests.support.second_factor import force_login_staff, give_totp

TEXT_TYPES = ("character varying", "text", "character", "json", "jsonb")


def columns_holding(*needles: str) -> list[str]:
    """Every text column of every table in the database that holds one of `needles`."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN %s",
            [TEXT_TYPES],
        )
        for table, column in cursor.fetchall():
            quoted_table, quoted_column = (
                connection.ops.quote_name(table),
                connection.ops.quote_name(column),
            )
            for needle in needles:
                cursor.execute(
                    f"SELECT count(*) FROM {quoted_table} WHERE {quoted_column}::text ILIKE %s",  # noqa: S608
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column} holds {needle!r}")
    return found


def figures(company, last_month) -> tuple:
    occupancy.rollup(first=last_month[0], last=last_month[-1])
    rollups = list(
        OccupancyDaily.objects.order_by("centre", "day").values(
            "centre",
            "day",
            "seats",
            "booked",
            "checked_in",
            "no_shows",
            "cancelled",
            "pod_days_reserved",
        )
    )
    return rollups, statement_csv(monthly_statement(company=company, month=last_month[0]))


@pytest.mark.postgres
@pytest.mark.django_db
def test_erasing_a_member_leaves_the_figures_and_no_trace_of_them(
    company,
    member,
    past_bookings,
    last_month,
    seat,
    next_open_day,
    centre,
    staff_user,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    served = []
    monkeypatch.setattr("bookings.tasks.enqueue", lambda task, **kw: served.append((task.name, kw)))
    future = book_seat(user=member, seat=seat, day=next_open_day)
    waiting = WaitlistEntryFactory(centre=centre, day=next_open_day)
    WaitlistEntryFactory(user=member, centre=centre, day=next_open_day + timedelta(days=1))
    Invitation.objects.create(company=company, email=EMAIL, accepted_at=future.created_at)
    give_totp(member)
    LogEntry.objects.create(
        user=staff_user,
        content_type=ContentType.objects.get_for_model(SeatBooking),
        object_id=str(future.pk),
        object_repr=str(future),
        action_flag=CHANGE,
        change_message="[]",
    )
    before = figures(company, last_month)
    assert columns_holding(EMAIL, NAME)  # the scan finds them before

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(user=member, by=member)

    assert figures(company, last_month) == before
    assert columns_holding(EMAIL, NAME) == []
    member.refresh_from_db()
    assert member.get_full_name() == "a former member"
    assert (member.home_pin_code, member.home_place, member.home_latitude) == ("", "", None)
    assert not member.is_active
    assert not member.has_usable_password()
    future.refresh_from_db()
    assert future.status == SeatBooking.Status.CANCELLED
    assert (
        "bookings.serve_waitlist",
        {"centre_id": centre.pk, "day": next_open_day.isoformat()},
    ) in served
    assert waiting.pk  # the next person in line is the one the freed seat is offered to
    assert not WaitlistEntry.objects.filter(user=member, status="waiting").exists()
    assert SeatBooking.objects.filter(user=member, day__in=last_month).count() == 5
    # The history of the cancellation says who asked and why, by id.
    cancelled = future.events.order_by("pgh_id").last()
    assert cancelled.status == "cancelled"


@pytest.mark.django_db
def test_the_company_admin_sees_a_former_member(
    client, company, company_admin, member, past_bookings, last_month
):
    erase_person(user=member, by=member)
    client.force_login(company_admin)

    html = client.get(
        reverse("companies:team", args=[company.slug]), {"week": last_month[0].isoformat()}
    ).content.decode()

    assert "a former member" in html
    assert NAME not in html
    assert EMAIL not in html


@pytest.mark.django_db
def test_a_person_erases_their_account_from_the_profile_and_can_sign_up_again(client, member):
    client.force_login(member)
    assert client.get(reverse("privacy_erase")).status_code == 200
    refused = client.post(reverse("privacy_erase"), {"password": "not-it"})
    assert refused.status_code == 400
    assert User.objects.get(pk=member.pk).erased_at is None

    response = client.post(reverse("privacy_erase"), {"password": "a-long-test-password"})

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert User.objects.get(pk=member.pk).erased_at is not None
    signed_up = client.post(
        reverse("account_signup"),
        {
            "email": EMAIL,
            "password1": "a-new-long-phrase",
            "password2": "a-new-long-phrase",
            "accept_privacy_notice": "on",
        },
    )
    assert signed_up.status_code == 302
    again = User.objects.get(email=EMAIL)
    assert again.pk != member.pk
    assert EmailAddress.objects.filter(email=EMAIL).get().user == again


@pytest.mark.django_db
def test_a_superuser_deleting_a_person_erases_them(client, member, past_bookings):
    root = UserFactory(email="root@kdisc.example", is_staff=True, is_superuser=True)
    force_login_staff(client, root)
    url = reverse("admin:accounts_user_delete", args=[member.pk])

    assert client.get(url).status_code == 200  # no "Cannot delete user ... seat booking"
    response = client.post(url, {"post": "yes"})

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.erased_at is not None
    assert SeatBooking.objects.filter(user=member).count() == 5


@pytest.mark.django_db
def test_staff_erase_selected_people_on_request(client, staff_user, member, other_professional):
    from django.contrib.auth.models import Permission

    staff_user.user_permissions.add(Permission.objects.get(codename="delete_user"))
    staff_user.user_permissions.add(Permission.objects.get(codename="view_user"))
    force_login_staff(client, staff_user)

    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "erase_selected", "_selected_action": [member.pk]},
    )

    assert User.objects.get(pk=member.pk).erased_at is not None
    assert User.objects.get(pk=other_professional.pk).erased_at is None
