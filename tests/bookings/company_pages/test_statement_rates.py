"""A rate that changes in the middle of a month prices the days before it at the old rate
and the days from it at the new one; a rate added later reprices nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings.admin.centres import CentreRateForm
from bookings.core.statements import monthly_statement, statement_csv
from bookings.models import PodReservation, ReservedPodDay, SeatBooking
from centres.models import CentreRate
from tests.bookings.company_pages.test_statement import independent_total
from tests.support.factories import CentreFactory, MembershipFactory, PodFactory

MONTH = date(2026, 2, 1)
CHANGE = date(2026, 2, 15)  # the new rate takes effect on this day


@pytest.fixture
def february(company_a):
    """Pod P4 reserved 10-19 Feb (5 days at each rate), seat-days outside it on 5, 14, 15 and
    20 Feb; the seat-day rate goes 150 -> 200 and the pod-day rate per seat 150 -> 180."""
    centre = CentreFactory(name="Kottarakkara", seat_day_rate="150.00")
    CentreRate.objects.create(
        centre=centre,
        effective_from=CHANGE,
        seat_day_rate=Decimal("200.00"),
        pod_seat_day_rate=Decimal("180.00"),
    )
    pod = PodFactory(centre=centre, code="P4", capacity=4)
    loose = PodFactory(centre=centre, code="L6", capacity=6)
    days = [date(2026, 2, d) for d in range(10, 20)]
    reservation = PodReservation.objects.create(
        company=company_a,
        pod=pod,
        first_day=days[0],
        last_day=days[-1],
        status="confirmed",
        confirmed_at=timezone.now(),
    )
    for day in days:
        ReservedPodDay.objects.create(pod=pod, day=day, reservation=reservation, company=company_a)
    member = MembershipFactory(company=company_a).user
    for day in (5, 14, 15, 20):
        SeatBooking.objects.create(
            user=member, seat=loose.seats.first(), day=date(2026, 2, day), company=company_a
        )
    # Used inside the reserved pod on both sides of the change: covered by the pod-day.
    for day in (12, 16):
        SeatBooking.objects.create(
            user=member, seat=pod.seats.first(), day=date(2026, 2, day), company=company_a
        )
    return centre


def test_a_mid_month_rate_change_prices_each_day_at_its_own_rate(february, company_a):
    statement = monthly_statement(company=company_a, month=MONTH)

    by_hand = (
        5 * 4 * Decimal("150")  # pod-days 10-14 Feb at the old rate
        + 5 * 4 * Decimal("180")  # pod-days 15-19 Feb at the new one
        + 2 * Decimal("150")  # seat-days 5 and 14 Feb
        + 2 * Decimal("200")  # seat-days 15 and 20 Feb
    )
    assert by_hand == Decimal("7300")
    assert independent_total(company_a) == by_hand
    assert statement.total == by_hand
    old, new = statement.lines
    assert (old.rate_from, old.seat_day_rate, old.pod_days, old.seat_days) == (
        MONTH,
        Decimal("150.00"),
        5,
        2,
    )
    assert (new.rate_from, new.pod_seat_day_rate, new.pod_days, new.seat_days) == (
        CHANGE,
        Decimal("180.00"),
        5,
        2,
    )
    assert old.seats_used_in_pods == new.seats_used_in_pods == 1


def test_the_csv_has_a_line_per_rate_and_the_same_total(february, company_a):
    text = statement_csv(monthly_statement(company=company_a, month=MONTH))

    assert "Kottarakkara,2026-02-01,150.00,150.00" in text
    assert "Kottarakkara,2026-02-15,200.00,180.00" in text
    assert text.strip().splitlines()[-1].endswith(",7300.00")


def test_a_rate_added_later_does_not_reprice_the_month(february, company_a):
    before = monthly_statement(company=company_a, month=MONTH).total

    CentreRate.objects.create(
        centre=february,
        effective_from=date(2026, 3, 1),
        seat_day_rate=Decimal("999.00"),
        pod_seat_day_rate=Decimal("999.00"),
    )

    assert monthly_statement(company=company_a, month=MONTH).total == before


def test_a_day_before_the_first_rate_is_priced_at_the_first_rate(company_a):
    centre = CentreFactory(name="Kalamassery")
    centre.rates.update(effective_from=date(2026, 2, 20), seat_day_rate=Decimal("212.50"))
    seat = PodFactory(centre=centre, capacity=4).seats.first()
    member = MembershipFactory(company=company_a).user
    SeatBooking.objects.create(user=member, seat=seat, day=date(2026, 2, 3), company=company_a)

    assert monthly_statement(company=company_a, month=MONTH).total == Decimal("212.50")


# -- staff edit rates on the centre: a rate in force is history -----------------------------


def rate_form(instance=None, **data):
    data = {"effective_from": "", "seat_day_rate": "150.00", "pod_seat_day_rate": "150.00", **data}
    return CentreRateForm(data=data, instance=instance)


def test_a_new_rate_from_today_or_later_is_accepted(centre, today):
    assert rate_form(effective_from=today + timedelta(days=10)).is_valid()
    assert rate_form(effective_from=today).is_valid()


def test_a_new_rate_cannot_take_effect_in_the_past(centre, today):
    form = rate_form(effective_from=today - timedelta(days=1))

    assert not form.is_valid()
    assert "days gone by keep their rate" in str(form.errors)


def test_a_rate_in_force_cannot_be_edited(centre):
    rate = centre.rates.get()

    form = rate_form(instance=rate, effective_from=rate.effective_from, seat_day_rate="1.00")

    assert not form.is_valid()
    assert "kept as history" in str(form.errors)
    unchanged = rate_form(
        instance=rate,
        effective_from=rate.effective_from,
        seat_day_rate=rate.seat_day_rate,
        pod_seat_day_rate=rate.pod_seat_day_rate,
    )
    assert unchanged.is_valid()
