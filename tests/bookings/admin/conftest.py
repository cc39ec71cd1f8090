"""A company waiting for approval and a pod reservation waiting for confirmation."""

import pytest

from bookings.core.reservations import request_pod_reservation
from companies.models import Company
from tests.support.factories import CompanyFactory
from wnh import weekdays


@pytest.fixture
def pending(db):
    return CompanyFactory(name="Pending Pixels", status=Company.Status.PENDING)


@pytest.fixture
def requested(company, company_admin, pod, next_open_day):
    return request_pod_reservation(
        company=company,
        pod=pod,
        first_day=next_open_day,
        last_day=next_open_day,
        weekday_mask=weekdays.ALL_DAYS,
        requested_by=company_admin,
    )


# The scope matrix's world and staff (tests/bookings/admin/scopes.py).
from tests.bookings.admin.scopes import (  # noqa: E402, F401
    bare_staff,
    coordinator,
    manager,
    outsider,
    scope_world,
)
