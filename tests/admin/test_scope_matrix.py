"""Who may act where: a manager of centre X, a coordinator of district D and a staff member
with no permissions, against every admin page and action and every booking API write, on
the objects of centre Y (in neither X nor D). Each gets 403 or 404, and nothing changes. The
manager does see and act on X, the coordinator on D's centre.

The pages come from the admin's own registry, so a model registered later is in the matrix
without touching this file.
"""

from datetime import datetime, time, timedelta

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import serializers
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import StaffScope
from accounts.staff import CENTRE_MANAGERS_GROUP, DISTRICT_COORDINATORS_GROUP
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
    ReservedPodDay,
    SeatBooking,
    WaitlistEntry,
)
from centres.models import Centre, CentreClosure, CentreRate, District, Pod, Seat
from tests.factories import (
    CentreFactory,
    CompanyFactory,
    MembershipFactory,
    PodFactory,
    SeatBookingFactory,
    UserFactory,
    WaitlistEntryFactory,
)
from tests.second_factor import force_login_staff
from wnh import weekdays

# Apps whose rows the "nothing changed" check compares.
WATCHED_APPS = ["accounts", "centres", "companies", "bookings", "django_celery_beat", "auth"]


def a_wednesday(today):
    day = today + timedelta(days=1)
    while day.weekday() != 2:
        day += timedelta(days=1)
    return day


def centre_with_rows(*, name, district, day, company):
    """A centre with a pod and seats, a closure day, a booking, a waitlist entry, a requested
    and a confirmed pod reservation, and a day of occupancy figures."""
    centre = CentreFactory(name=name, district=district, open_weekdays=weekdays.ALL_DAYS)
    pod = PodFactory(centre=centre, code=f"{name[:2].upper()}1", capacity=4)
    other_pod = PodFactory(centre=centre, code=f"{name[:2].upper()}2", capacity=4)
    closure = CentreClosure.objects.create(
        centre=centre, day=day + timedelta(days=20), reason="Onam"
    )
    booking = SeatBookingFactory(seat=pod.seats.get(position=1), day=day)
    waiting = WaitlistEntryFactory(centre=centre, day=day)
    requested = PodReservation.objects.create(
        company=company, pod=other_pod, first_day=day, last_day=day, weekdays=weekdays.ALL_DAYS
    )
    confirmed = PodReservation.objects.create(
        company=company,
        pod=other_pod,
        first_day=day + timedelta(days=1),
        last_day=day + timedelta(days=1),
        status="confirmed",
        confirmed_at=timezone.now(),
    )
    pod_day = ReservedPodDay.objects.create(
        pod=other_pod, day=day + timedelta(days=1), reservation=confirmed, company=company
    )
    figures = OccupancyDaily.objects.create(
        centre=centre,
        day=day - timedelta(days=7),
        seats=8,
        booked=3,
        checked_in=2,
        no_shows=1,
        cancelled=0,
        pod_days_reserved=0,
        computed_at=timezone.now(),
    )
    return {
        Centre: centre,
        Pod: pod,
        Seat: pod.seats.get(position=2),
        CentreClosure: closure,
        CentreRate: centre.rates.get(),
        SeatBooking: booking,
        WaitlistEntry: waiting,
        PodReservation: requested,
        ReservedPodDay: pod_day,
        OccupancyDaily: figures,
        "confirmed": confirmed,
    }


@pytest.fixture
def world(db, clock, staff_user):
    """Centre X (Kollam), centre Y (Ernakulam) and centre Z in district D (Kozhikode)."""
    clock.move_to(
        timezone.make_aware(datetime.combine(a_wednesday(timezone.localdate()), time(10, 30)))
    )
    today = timezone.localdate()
    company = CompanyFactory(name="Vizhinjam Vectors")
    MembershipFactory(company=company, role="admin")
    x = centre_with_rows(
        name="Xylem Centre",
        district=District.KOLLAM,
        day=today,
        company=company,
    )
    y = centre_with_rows(
        name="Yonder Centre",
        district=District.ERNAKULAM,
        day=today,
        company=company,
    )
    z = centre_with_rows(
        name="Zamorin Centre",
        district=District.KOZHIKODE,
        day=today,
        company=company,
    )
    return {"x": x, "y": y, "z": z, "company": company}


def _staff(email, group_name=None):
    user = UserFactory(email=email, is_staff=True)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def manager(world):
    user = _staff("manager@xylem.example", CENTRE_MANAGERS_GROUP)
    scope = StaffScope.objects.create(user=user, kind=StaffScope.Kind.CENTRE_MANAGER)
    scope.centres.add(world["x"][Centre])
    return user


@pytest.fixture
def coordinator(world):
    user = _staff("coordinator@kozhikode.example", DISTRICT_COORDINATORS_GROUP)
    StaffScope.objects.create(
        user=user, kind=StaffScope.Kind.DISTRICT_COORDINATOR, district=District.KOZHIKODE
    )
    return user


@pytest.fixture
def bare_staff(world):
    return _staff("flag-only@kdisc.example")


@pytest.fixture(params=["manager", "coordinator", "bare_staff"])
def outsider(request):
    """Someone who must not reach centre Y."""
    return request.getfixturevalue(request.param)


def snapshot():
    rows = {}
    for app_label in WATCHED_APPS:
        for model in django_apps.get_app_config(app_label).get_models():
            objects = model.objects.order_by("pk")
            rows[model._meta.label] = serializers.serialize("python", objects)
    return rows


def admin_url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def registered():
    return list(admin.site._registry.items())


def target_of(model, y):
    """Centre Y's object of this model, or any object of a model that has no centre."""
    return y.get(model) or model.objects.order_by("pk").first()


def listed_pks(response):
    """The rows a list shows, or those "delete selected" asks to confirm deleting."""
    if "cl" not in response.context:
        return {obj.pk for obj in response.context["queryset"]}
    return {obj.pk for obj in response.context["cl"].result_list}


def test_nobody_outside_reaches_centre_y_in_the_admin(client, world, outsider):
    y = world["y"]
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


def test_the_entrance_pages_of_centre_y_are_not_found_from_outside(client, world, outsider):
    slug = world["y"][Centre].slug
    force_login_staff(client, outsider)

    assert client.get(reverse("centres:entrance", args=[slug])).status_code == 404
    assert client.get(reverse("centres:entrance_qr", args=[slug])).status_code == 404


def test_the_manager_opens_centre_xs_entrance_page(client, world, manager):
    force_login_staff(client, manager)

    assert (
        client.get(reverse("centres:entrance", args=[world["x"][Centre].slug])).status_code == 200
    )


def test_a_pod_cannot_be_added_to_centre_y_from_outside(client, world, manager):
    force_login_staff(client, manager)
    before = snapshot()

    response = client.post(
        admin_url(Pod, "add"),
        {
            "centre": world["y"][Centre].pk,
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


def test_the_booking_api_refuses_to_cancel_at_centre_y(client, world, outsider):
    booking = world["y"][SeatBooking]
    force_login_staff(client, outsider)
    before = snapshot()

    response = client.post(reverse("api-booking-cancel", args=[booking.pk]))

    assert response.status_code in (403, 404)
    assert snapshot() == before


def test_the_booking_api_books_only_for_the_caller(client, world, outsider):
    """The other API write books a seat for the person asking, never for someone else:
    whatever user the body names, the booking is the caller's own."""
    seat = world["y"][Pod].seats.get(position=3)
    someone = world["y"][SeatBooking].user
    force_login_staff(client, outsider)

    response = client.post(
        reverse("api-bookings"),
        {
            "centre": world["y"][Centre].slug,
            "day": str(timezone.localdate()),
            "seat": seat.pk,
            "user": someone.pk,
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    assert SeatBooking.objects.get(pk=response.json()["id"]).user == outsider


def test_the_services_refuse_outside_the_scope(world, outsider):
    y = world["y"]
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


def test_the_occupancy_pages_show_only_the_scope(client, world, manager):
    force_login_staff(client, manager)
    report = reverse("admin:bookings_occupancy_report")
    day = world["y"][OccupancyDaily].day

    page = client.get(report, {"centre": world["y"][Centre].pk, "from": day, "to": day})

    assert page.status_code == 200
    assert "Yonder Centre" not in page.content.decode()
    assert [c.name for c in page.context["centres"]] == ["Xylem Centre"]
    assert page.context["districts"] == [(District.KOLLAM, District.KOLLAM.label)]
    mine = client.get(report, {"centre": world["x"][Centre].pk, "from": day, "to": day})
    assert len(mine.context["series"]) == 1


# -- and inside the scope they work -------------------------------------------------------


def test_the_manager_sees_and_acts_on_centre_x(client, world, manager):
    x, y = world["x"], world["y"]
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


def test_the_manager_cancels_at_centre_x_through_the_api(client, world, manager):
    pod = world["x"][Pod]
    booking = SeatBookingFactory(
        seat=pod.seats.get(position=4), day=timezone.localdate() + timedelta(days=3)
    )
    force_login_staff(client, manager)

    response = client.post(reverse("api-booking-cancel", args=[booking.pk]))

    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == SeatBooking.Status.CANCELLED


def test_the_coordinator_sees_the_districts_centre(client, world, coordinator):
    z = world["z"]
    force_login_staff(client, coordinator)

    changelist = client.get(admin_url(SeatBooking, "changelist"))
    assert listed_pks(changelist) == {z[SeatBooking].pk}
    client.post(
        admin_url(PodReservation, "changelist"),
        {"action": "reject_selected", "_selected_action": [z[PodReservation].pk]},
    )
    z[PodReservation].refresh_from_db()
    assert z[PodReservation].status == PodReservation.Status.REJECTED


def test_kdisc_staff_see_every_centre(client, world, staff_user):
    force_login_staff(client, staff_user)

    changelist = client.get(admin_url(SeatBooking, "changelist"))

    assert listed_pks(changelist) == {world[c][SeatBooking].pk for c in "xyz"}


def test_the_staff_flag_alone_cannot_cancel_anyones_booking(world, bare_staff):
    with pytest.raises(NotYourBooking):
        cancel_booking(booking=world["x"][SeatBooking], by=bare_staff, enforce_cutoff=False)


def test_reversing_every_admin_url_used_here():
    for model, _ in registered():
        try:
            admin_url(model, "changelist")
        except NoReverseMatch:  # pragma: no cover - a registry entry without pages
            pytest.fail(model._meta.label)
