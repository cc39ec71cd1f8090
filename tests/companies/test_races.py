"""On PostgreSQL: two companies' overlapping requests for one pod, confirmed at once."""

from datetime import timedelta

import pytest

from bookings.errors import PodAlreadyReserved
from bookings.models import PodReservation, ReservedPodDay
from bookings.services import confirm_pod_reservation
from tests.conftest import race
from tests.factories import UserFactory

from .conftest import reserve


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_companies_confirmed_at_once_for_overlapping_ranges_one_wins(
    company_a, admin_a, company_b, admin_b, pod_a, fortnight
):
    # Not the staff_user fixture: its group comes from a data migration, which an earlier
    # transactional test's flush may have wiped.
    staff_user = UserFactory(email="racer-staff@kdisc.example", is_staff=True)
    first, last = fortnight
    requests = [
        reserve(company=company_a, admin=admin_a, pod=pod_a, first=first, last=last),
        reserve(
            company=company_b,
            admin=admin_b,
            pod=pod_a,
            first=first + timedelta(days=7),
            last=last + timedelta(days=7),
        ),
    ]

    results = race(
        2, lambda i: confirm_pod_reservation(reservation=requests[i], decided_by=staff_user)
    )

    assert results.count_of(PodReservation) == 1
    assert results.count_of(PodAlreadyReserved) == 1
    loser = next(r for r in results if isinstance(r, PodAlreadyReserved))
    assert "already reserved" in str(loser.message)
    winner = next(r for r in results if isinstance(r, PodReservation))
    assert set(ReservedPodDay.objects.values_list("company_id", flat=True)) == {winner.company_id}
    statuses = sorted(PodReservation.objects.values_list("status", flat=True))
    assert statuses == ["confirmed", "requested"]
