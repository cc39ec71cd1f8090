"""On PostgreSQL: two companies' overlapping requests for one pod, confirmed at once."""

from datetime import timedelta

import pytest

from bookings.core.errors import PodAlreadyReserved
from bookings.core.reservations import confirm_pod_reservation
from bookings.models import PodReservation, ReservedPodDay
from tests.conftest import race
from tests.support.factories import UserFactory
from tests.support.personas import reserve


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_companies_confirmed_at_once_for_overlapping_ranges_one_wins(
    company_a, admin_a, company_b, admin_b, pod_a, fortnight
):
    # Not the staff_user fixture: its group comes from a data migration, which an earlier
    # transactional test's flush may have wiped. A superuser needs no group.
    staff_user = UserFactory(email="racer-staff@kdisc.example", is_staff=True, is_superuser=True)
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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_admins_removing_each_other_at_once_leave_one_admin(company_a, admin_a):
    from bookings.core.services import remove_member
    from companies.errors import LastAdmin, NotCompanyAdmin
    from companies.models import Membership

    other_admin = UserFactory(email="second-admin@a.example")
    Membership.objects.create(company=company_a, user=other_admin, role=Membership.Role.ADMIN)
    pairs = [(admin_a, other_admin), (other_admin, admin_a)]

    results = race(2, lambda i: remove_member(company=company_a, user=pairs[i][1], by=pairs[i][0]))

    assert sum(not isinstance(result, Exception) for result in results) == 1
    assert any(isinstance(result, NotCompanyAdmin | LastAdmin) for result in results)
    assert Membership.objects.filter(company=company_a, role=Membership.Role.ADMIN).count() == 1
