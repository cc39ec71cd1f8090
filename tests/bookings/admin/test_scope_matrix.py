"""Who may act where: a manager of centre X, a coordinator of district D and a staff member
with no permissions, against every admin page and action and every booking API write, on
the objects of centre Y (in neither X nor D). Each gets 403 or 404, and nothing changes. The
manager does see and act on X, the coordinator on D's centre.

The pages come from the admin's own registry, so a model registered later is in the matrix
without touching this file.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.core.errors import NotYourBooking, OutsideYourCentres
from bookings.core.reservations import (
    cancel_pod_reservation,
    confirm_pod_reservation,
    reject_pod_reservation,
)
from bookings.core.services import cancel_booking, check_in
from bookings.models import (
    OccupancyDaily,
    PodReservation,
    SeatBooking,
)
from centres.models import Centre, District, Pod
from tests.bookings.admin.scopes import admin_url, listed_pks, registered, snapshot, target_of
from tests.support.second_factor import force_login_staff


def test_nobody_outside_reaches_centre_y_in_the_admin(client, scope_world, outsider):
    y = scope_world["y"]
    force_login_staff(client, outsider)
    before = snapshot()
    refusals = []

    for model, model_admin in registered():
        changelist = client.get(admin_url(model, "changelist"))
        if changelist.status_code == 200:
            # Only a list the scope filters may open; centre Y's row is not in it.
            assert model in y, f"{model._meta.label}: opens for {outsider} without a scope"
            assert y[model].pk not in listed_pks(changelist), model._meta.label
        else:
            assert changelist.status_code == 403, model._meta.label
        target = target_of(model, y)
        if target is None:
            continue
        for page in ("change", "history", "delete"):
            response = client.get(admin_url(model, page, target.pk))
            assert response.status_code in (403, 404), (model._meta.label, page)
        response = client.post(admin_url(model, "change", target.pk), {})
        assert response.status_code in (403, 404), (model._meta.label, "change POST")
        response = client.post(admin_url(model, "delete", target.pk), {"post": "yes"})
        assert response.status_code in (403, 404), (model._meta.label, "delete POST")
        # Every action the admin has, offered to this user or not.
        for _function, action, _description in model_admin._get_base_actions():
            response = client.post(
                admin_url(model, "changelist"),
                {"action": action, "_selected_action": [target.pk], "index": 0},
            )
            refusals.append((model._meta.label, action, response.status_code))
            # 403 without the permission; with it, the scoped queryset selects nothing, so
            # the admin sends back the list (200, or 302 to it) having done nothing.
            assert response.status_code in (200, 302, 403, 404), (model._meta.label, action)
            if response.status_code == 200:
                assert y[model].pk not in listed_pks(response), (model._meta.label, action)

    assert snapshot() == before
    assert refusals, "no action was tried"


def test_the_entrance_pages_of_centre_y_are_not_found_from_outside(client, scope_world, outsider):
    slug = scope_world["y"][Centre].slug
    force_login_staff(client, outsider)

    assert client.get(reverse("centres:entrance", args=[slug])).status_code == 404
    assert client.get(reverse("centres:entrance_qr", args=[slug])).status_code == 404


def test_the_manager_opens_centre_xs_entrance_page(client, scope_world, manager):
    force_login_staff(client, manager)

    assert (
        client.get(reverse("centres:entrance", args=[scope_world["x"][Centre].slug])).status_code
        == 200
    )


def test_a_pod_cannot_be_added_to_centre_y_from_outside(client, scope_world, manager):
    force_login_staff(client, manager)
    before = snapshot()

    response = client.post(
        admin_url(Pod, "add"),
        {
            "centre": scope_world["y"][Centre].pk,
            "code": "SNEAK",
            "capacity": 4,
            "is_active": "on",
            "seats-TOTAL_FORMS": 0,
            "seats-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200  # the form again, with its error
    assert "centre" in response.context["adminform"].form.errors
    assert snapshot() == before


def test_the_booking_api_refuses_to_cancel_at_centre_y(client, scope_world, outsider):
    booking = scope_world["y"][SeatBooking]
    force_login_staff(client, outsider)
    before = snapshot()

    response = client.post(reverse("api-booking-cancel", args=[booking.pk]))

    assert response.status_code in (403, 404)
    assert snapshot() == before


def test_the_booking_api_books_only_for_the_caller(client, scope_world, outsider):
    """The other API write books a seat for the person asking, never for someone else:
    whatever user the body names, the booking is the caller's own."""
    seat = scope_world["y"][Pod].seats.get(position=3)
    someone = scope_world["y"][SeatBooking].user
    force_login_staff(client, outsider)

    response = client.post(
        reverse("api-bookings"),
        {
            "centre": scope_world["y"][Centre].slug,
            "day": str(timezone.localdate()),
            "seat": seat.pk,
            "user": someone.pk,
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    assert SeatBooking.objects.get(pk=response.json()["id"]).user == outsider


def test_the_services_refuse_outside_the_scope(scope_world, outsider):
    y = scope_world["y"]
    before = snapshot()

    with pytest.raises(NotYourBooking):
        cancel_booking(booking=y[SeatBooking], by=outsider, enforce_cutoff=False)
    with pytest.raises(NotYourBooking):
        check_in(booking=y[SeatBooking], by=outsider)
    with pytest.raises(OutsideYourCentres):
        confirm_pod_reservation(reservation=y[PodReservation], decided_by=outsider)
    with pytest.raises(OutsideYourCentres):
        reject_pod_reservation(reservation=y[PodReservation], decided_by=outsider)
    with pytest.raises(Exception, match="admins"):
        cancel_pod_reservation(reservation=y["confirmed"], by=outsider)

    assert snapshot() == before


def test_the_occupancy_pages_show_only_the_scope(client, scope_world, manager):
    force_login_staff(client, manager)
    report = reverse("admin:bookings_occupancy_report")
    day = scope_world["y"][OccupancyDaily].day

    page = client.get(report, {"centre": scope_world["y"][Centre].pk, "from": day, "to": day})

    assert page.status_code == 200
    assert "Yonder Centre" not in page.content.decode()
    assert [c.name for c in page.context["centres"]] == ["Xylem Centre"]
    assert page.context["districts"] == [(District.KOLLAM, District.KOLLAM.label)]
    mine = client.get(report, {"centre": scope_world["x"][Centre].pk, "from": day, "to": day})
    assert len(mine.context["series"]) == 1
