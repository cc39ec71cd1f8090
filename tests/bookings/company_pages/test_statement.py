"""The monthly statement equals what the database holds, to the rupee, by the billing rule
in bookings/core/statements.py; computed here independently, row by row."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.core.statements import monthly_statement
from bookings.models import PodReservation, ReservedPodDay, SeatBooking
from tests.support.factories import CentreFactory, MembershipFactory, PodFactory

MONTH = date(2026, 2, 1)  # a past month: the rows are seeded as history


@pytest.fixture
def seeded(company_a, company_b, admin_a):
    """Two centres with different rates; pods reserved on some February days, one day given
    up; bookings inside and outside the pods, with no-shows and cancellations; and another
    company's rows that must not count."""
    kottarakkara = CentreFactory(name="Kottarakkara", seat_day_rate=Decimal("150.00"))
    kalamassery = CentreFactory(name="Kalamassery", seat_day_rate=Decimal("212.50"))
    pod_k4 = PodFactory(centre=kottarakkara, code="K4", capacity=4)
    pod_k10 = PodFactory(centre=kalamassery, code="K10", capacity=10)
    loose = PodFactory(centre=kalamassery, code="L6", capacity=6)
    pod_b = PodFactory(centre=kottarakkara, code="B6", capacity=6)
    now = timezone.now()
    members = [MembershipFactory(company=company_a).user for _ in range(5)]

    def reservation(company, pod, first, last):
        return PodReservation.objects.create(
            company=company,
            pod=pod,
            first_day=first,
            last_day=last,
            status="confirmed",
            confirmed_at=now,
        )

    def pod_days(company, pod, days, cancelled=()):
        r = reservation(company, pod, days[0], days[-1])
        for day in days:
            ReservedPodDay.objects.create(
                pod=pod,
                day=day,
                reservation=r,
                company=company,
                cancelled_at=now if day in cancelled else None,
            )

    feb = [MONTH + timedelta(days=n) for n in range(28)]
    pod_days(company_a, pod_k4, feb[2:12], cancelled=feb[10:12])  # 8 billed, 2 given up
    pod_days(company_a, pod_k10, feb[16:21])  # 5 billed
    pod_days(company_a, pod_k4, [date(2026, 1, 30), date(2026, 3, 2)])  # other months
    pod_days(company_b, pod_b, feb[2:12])  # another company's

    def book(user, seat, day, status="booked", company=company_a):
        stamps = {
            "cancelled": {"cancelled_at": now},
            "no_show": {"no_show_at": now},
            "checked_in": {"checked_in_at": now},
        }.get(status, {})
        return SeatBooking.objects.create(
            user=user, seat=seat, day=day, status=status, company=company, **stamps
        )

    k4_seats = list(pod_k4.seats.all())
    book(members[0], k4_seats[0], feb[2], "checked_in")  # in pod: use, not billed again
    book(members[1], k4_seats[1], feb[2], "no_show")  # in pod: a no-show
    book(members[2], k4_seats[2], feb[3], "cancelled")  # not counted
    book(members[0], k4_seats[0], feb[10], "booked")  # a given-up pod day: billed per seat
    book(members[1], loose.seats.first(), feb[5], "checked_in")  # outside pods: seat-day
    book(members[2], loose.seats.first(), feb[6], "no_show")  # outside pods: seat-day
    book(members[3], loose.seats.first(), feb[7], "cancelled")  # not billed
    book(members[4], loose.seats.first(), feb[8], "booked", company=None)  # personal
    book(members[4], k4_seats[3], date(2026, 3, 2), "booked")  # next month
    return {"kottarakkara": kottarakkara, "kalamassery": kalamassery}


def rate_on(centre, day):
    """The centre's rate in force on `day`, looked up in Python: the latest that took effect
    on or before it, else the first."""
    rates = sorted(centre.rates.all(), key=lambda r: r.effective_from)
    in_force = [r for r in rates if r.effective_from <= day]
    return in_force[-1] if in_force else rates[0]


def independent_total(company, month=MONTH):
    """The billing rule, applied row by row in Python: no SQL grouping, no shared code."""
    total = Decimal("0")
    billed_pod_days = set()
    in_month = lambda day: (day.year, day.month) == (month.year, month.month)  # noqa: E731
    for pd in ReservedPodDay.objects.filter(company=company).select_related("pod__centre"):
        if pd.cancelled_at is None and in_month(pd.day):
            total += pd.pod.capacity * rate_on(pd.pod.centre, pd.day).pod_seat_day_rate
            billed_pod_days.add((pd.pod_id, pd.day))
    for b in SeatBooking.objects.filter(company=company).select_related("seat__pod__centre"):
        if (
            in_month(b.day)
            and b.status != "cancelled"
            and (b.seat.pod_id, b.day) not in billed_pod_days
        ):
            total += rate_on(b.seat.pod.centre, b.day).seat_day_rate
    return total


def test_the_statement_for_a_seeded_month_equals_an_independent_total(seeded, company_a):
    statement = monthly_statement(company=company_a, month=MONTH)

    expected = independent_total(company_a)
    # And by hand: Kottarakkara 8 pod-days x 4 seats x 150 + 1 seat-day (a given-up pod day)
    # x 150; Kalamassery 5 x 10 x 212.50 + 2 seat-days x 212.50.
    assert expected == Decimal("4800") + Decimal("150") + Decimal("10625") + Decimal("425")
    assert statement.total == expected
    lines = {line.centre_name: line for line in statement.lines}
    assert (lines["Kottarakkara"].pod_days, lines["Kottarakkara"].seat_days) == (8, 1)
    assert lines["Kottarakkara"].seats_used_in_pods == 2
    assert lines["Kottarakkara"].no_shows_in_pods == 1
    assert (lines["Kalamassery"].pod_days, lines["Kalamassery"].seat_days) == (5, 2)
    assert lines["Kalamassery"].total == Decimal("11050.00")


def test_the_statement_takes_three_queries_however_much_was_booked(
    seeded, company_a, django_assert_num_queries
):
    with django_assert_num_queries(3):  # pod-days, seat-days, the rates they were priced at
        monthly_statement(company=company_a, month=MONTH)


def test_the_csv_matches_the_statement_to_the_rupee(client, seeded, company_a, admin_a):
    client.force_login(admin_a)
    response = client.get(
        reverse("companies:statement_csv", args=[company_a.slug]), {"month": "2026-02"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "2026-02" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    total = rows[-1]
    assert total["centre"] == "TOTAL"
    assert Decimal(total["total_inr"]) == independent_total(company_a)
    assert sum(Decimal(r["total_inr"]) for r in rows[:-1]) == Decimal(total["total_inr"])
    assert {r["centre"] for r in rows[:-1]} == {"Kalamassery", "Kottarakkara"}


def test_the_statement_page_states_the_billing_rule_and_the_total(
    client, seeded, company_a, admin_a
):
    client.force_login(admin_a)
    html = client.get(
        reverse("companies:statement", args=[company_a.slug]), {"month": "2026-02"}
    ).content.decode()
    assert "How the bill is worked out" in html
    assert f"₹{independent_total(company_a):.2f}" in html


def test_a_month_with_nothing_is_empty_not_an_error(company_a):
    statement = monthly_statement(company=company_a, month=date(2025, 1, 1))
    assert statement.lines == []
    assert statement.total == Decimal("0")


def test_the_statement_month_is_read_from_the_url_or_defaults_to_this_one(
    client, company_a, admin_a
):
    client.force_login(admin_a)
    url = reverse("companies:statement", args=[company_a.slug])
    response = client.get(url, {"month": ""})
    assert response.status_code == 200
    assert response.context["statement"].month == timezone.localdate().replace(day=1)
    for month in ("2026-13", "junk"):  # a month that is no month says so (issue 13)
        assert client.get(url, {"month": month}).status_code == 400
