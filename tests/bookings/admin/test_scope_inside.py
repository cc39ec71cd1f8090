"""Inside their scope staff work: the manager of centre X and the coordinator of district D
see and act on their centres, K-DISC staff on every centre; the staff flag alone does
nothing (the other side of test_scope_matrix.py)."""

from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bookings.core.errors import NotYourBooking
from bookings.core.services import cancel_booking
from bookings.models import (
    PodReservation,
    SeatBooking,
)
from centres.models import Pod
from tests.bookings.admin.scopes import admin_url, listed_pks, registered
from tests.support.factories import (
    SeatBookingFactory,
)
from tests.support.second_factor import force_login_staff

# -- and inside the scope they work -------------------------------------------------------


def test_the_manager_sees_and_acts_on_centre_x(client, scope_world, manager):
    x, y = scope_world["x"], scope_world["y"]
    force_login_staff(client, manager)

    for model, _ in registered():
        if model not in x:
            continue
        changelist = client.get(admin_url(model, "changelist"))
        assert changelist.status_code == 200, model._meta.label
        assert x[model].pk in listed_pks(changelist), model._meta.label
        assert y[model].pk not in listed_pks(changelist), model._meta.label
        page = client.get(admin_url(model, "change", x[model].pk))
        assert page.status_code == 200, model._meta.label

    client.post(
        admin_url(SeatBooking, "changelist"),
        {"action": "check_in_selected", "_selected_action": [x[SeatBooking].pk]},
    )
    client.post(
        admin_url(PodReservation, "changelist"),
        {"action": "confirm_selected", "_selected_action": [x[PodReservation].pk]},
    )
    x[SeatBooking].refresh_from_db()
    x[PodReservation].refresh_from_db()
    assert x[SeatBooking].status == SeatBooking.Status.CHECKED_IN
    assert x[PodReservation].status == PodReservation.Status.CONFIRMED


def test_the_manager_cancels_at_centre_x_through_the_api(client, scope_world, manager):
    pod = scope_world["x"][Pod]
    booking = SeatBookingFactory(
        seat=pod.seats.get(position=4), day=timezone.localdate() + timedelta(days=3)
    )
    force_login_staff(client, manager)

    response = client.post(reverse("api-booking-cancel", args=[booking.pk]))

    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.CANCELLED


def test_the_coordinator_sees_the_districts_centre(client, scope_world, coordinator):
    z = scope_world["z"]
    force_login_staff(client, coordinator)

    changelist = client.get(admin_url(SeatBooking, "changelist"))
    assert listed_pks(changelist) == {z[SeatBooking].pk}
    client.post(
        admin_url(PodReservation, "changelist"),
        {"action": "reject_selected", "_selected_action": [z[PodReservation].pk]},
    )
    z[PodReservation].refresh_from_db()
    assert z[PodReservation].status == PodReservation.Status.REJECTED


def test_kdisc_staff_see_every_centre(client, scope_world, staff_user):
    force_login_staff(client, staff_user)

    changelist = client.get(admin_url(SeatBooking, "changelist"))

    assert listed_pks(changelist) == {scope_world[c][SeatBooking].pk for c in "xyz"}


def test_the_staff_flag_alone_cannot_cancel_anyones_booking(scope_world, bare_staff):
    with pytest.raises(NotYourBooking):
        cancel_booking(booking=scope_world["x"][SeatBooking], by=bare_staff, enforce_cutoff=False)


def test_reversing_every_admin_url_used_here():
    for model, _ in registered():
        try:
            admin_url(model, "changelist")
        except NoReverseMatch:  # pragma: no cover - a registry entry without pages
            pytest.fail(model._meta.label)
