"""Two companies, A and B, each with an admin and a member, and a pod each reserved for a
fortnight: the three personas (owner, same team, must see nothing) for every company test."""

from datetime import timedelta

import pytest

from bookings.core.reservations import confirm_pod_reservation, request_pod_reservation
from tests.factories import CompanyFactory, MembershipFactory, PodFactory, UserFactory
from wnh import weekdays


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
