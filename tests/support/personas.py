"""The personas and situations tests share beyond the root conftest: two companies with their
admins, members and pods; a centre open every day with a small pod; a member who sat in the
company's pod last month; background work run in-process. Registered for every test by the
root conftest (pytest_plugins)."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from bookings.core.reservations import confirm_pod_reservation, request_pod_reservation
from bookings.models import PodReservation, ReservedPodDay
from tests.support.factories import (
    CentreFactory,
    CompanyFactory,
    MembershipFactory,
    PodFactory,
    SeatBookingFactory,
    UserFactory,
)
from wnh import weekdays

# -- background work ---------------------------------------------------------------------


def at(day, hour: int, minute: int = 0) -> datetime:
    """An aware datetime in Asia/Kolkata."""
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def tomorrow(today):
    return today + timedelta(days=1)


@pytest.fixture
def daily_centre(db):
    """Open every day, so tests do not depend on what weekday they run."""
    return CentreFactory(name="Kottarakkara", open_weekdays=weekdays.ALL_DAYS)


@pytest.fixture
def small_pod(daily_centre):
    return PodFactory(centre=daily_centre, code="A", capacity=4)


@pytest.fixture
def people(db):
    return [UserFactory(email=f"person{i}@example.com") for i in range(8)]


@pytest.fixture
def tasks_inline(monkeypatch):
    """Enqueued tasks run at once in this process, as a worker would run them."""
    ran = []

    def run(task, **kwargs):
        ran.append((task.name, kwargs))
        task.run(**kwargs)
        return True

    monkeypatch.setattr("bookings.tasks.enqueue", run)
    return ran


# -- a company's member and last month's pod ------------------------------------------------

NAME = "Meera Nair Kottarathil"
EMAIL = "meera.nair@example.com"


@pytest.fixture
def last_month(today):
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return [first + timedelta(days=n) for n in range(5, 10)]


@pytest.fixture
def member(company):
    user = UserFactory(email=EMAIL, full_name=NAME, phone="+919447000000")
    user.home_pin_code, user.home_place = "691506", "Kottarakkara"
    user.home_latitude, user.home_longitude = 9, 76.77
    user.save()
    MembershipFactory(company=company, user=user)
    return user


@pytest.fixture
def company_pod(centre, company, last_month):
    pod = PodFactory(centre=centre, code="C1", capacity=4)
    reservation = PodReservation.objects.create(
        company=company,
        pod=pod,
        first_day=last_month[0],
        last_day=last_month[-1],
        status=PodReservation.Status.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    for day in last_month:
        ReservedPodDay.objects.create(pod=pod, day=day, reservation=reservation, company=company)
    return pod


@pytest.fixture
def past_bookings(member, company, company_pod, last_month):
    seat = company_pod.seats.get(position=1)
    teammate = MembershipFactory(company=company).user
    made = []
    for n, day in enumerate(last_month):
        made.append(
            SeatBookingFactory(
                user=member,
                seat=seat,
                day=day,
                company=company,
                status="no_show" if n == 2 else "checked_in",
                checked_in_at=None if n == 2 else timezone.now(),
                no_show_at=timezone.now() if n == 2 else None,
            )
        )
        SeatBookingFactory(
            user=teammate,
            seat=company_pod.seats.get(position=2),
            day=day,
            company=company,
            status="checked_in",
            checked_in_at=timezone.now(),
        )
    return made


# -- two companies, each with its admin, member, pod and reservation --------------------------


@pytest.fixture
def fortnight(next_open_day):
    return next_open_day, next_open_day + timedelta(days=13)


def reserve(*, company, admin, pod, first, last, staff=None, mask=weekdays.ALL_DAYS):
    reservation = request_pod_reservation(
        company=company,
        pod=pod,
        first_day=first,
        last_day=last,
        weekday_mask=mask,
        requested_by=admin,
    )
    if staff is not None:
        reservation = confirm_pod_reservation(reservation=reservation, decided_by=staff)
    return reservation


@pytest.fixture
def company_a(db):
    return CompanyFactory(name="Anchal Analytics")


@pytest.fixture
def company_b(db):
    return CompanyFactory(name="Beypore Bytes")


@pytest.fixture
def admin_a(company_a):
    return MembershipFactory(
        company=company_a, role="admin", user=UserFactory(email="admin@a.example")
    ).user


@pytest.fixture
def member_a(company_a):
    return MembershipFactory(company=company_a, user=UserFactory(email="member@a.example")).user


@pytest.fixture
def admin_b(company_b):
    return MembershipFactory(
        company=company_b, role="admin", user=UserFactory(email="admin@b.example")
    ).user


@pytest.fixture
def member_b(company_b):
    return MembershipFactory(company=company_b, user=UserFactory(email="member@b.example")).user


@pytest.fixture
def pod_a(centre):
    return PodFactory(centre=centre, code="A1", capacity=4)


@pytest.fixture
def pod_b(centre):
    return PodFactory(centre=centre, code="B1", capacity=6)


@pytest.fixture
def reservation_a(company_a, admin_a, pod_a, staff_user, fortnight):
    return reserve(
        company=company_a,
        admin=admin_a,
        pod=pod_a,
        first=fortnight[0],
        last=fortnight[1],
        staff=staff_user,
    )


@pytest.fixture
def reservation_b(company_b, admin_b, pod_b, staff_user, fortnight):
    return reserve(
        company=company_b,
        admin=admin_b,
        pod=pod_b,
        first=fortnight[0],
        last=fortnight[1],
        staff=staff_user,
    )
