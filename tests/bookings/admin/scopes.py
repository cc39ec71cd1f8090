"""The scope matrix's world (tests/bookings/admin/test_scope_*.py): centre X run by a
manager, district D's centre run by a coordinator, centre Y in neither, each with a row of
every kind; and staff of each kind. The fixtures are the admin tests' (conftest.py)."""

from datetime import datetime, time, timedelta

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import serializers
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffScope
from accounts.staff import CENTRE_MANAGERS_GROUP, DISTRICT_COORDINATORS_GROUP
from bookings.models import (
    OccupancyDaily,
    PodReservation,
    ReservedPodDay,
    SeatBooking,
    WaitlistEntry,
)
from centres.models import Centre, CentreClosure, CentreRate, District, Pod, Seat
from tests.support.factories import (
    CentreFactory,
    CompanyFactory,
    MembershipFactory,
    PodFactory,
    SeatBookingFactory,
    UserFactory,
    WaitlistEntryFactory,
)
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
def scope_world(db, clock, staff_user):
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
def manager(scope_world):
    user = _staff("manager@xylem.example", CENTRE_MANAGERS_GROUP)
    scope = StaffScope.objects.create(user=user, kind=StaffScope.Kind.CENTRE_MANAGER)
    scope.centres.add(scope_world["x"][Centre])
    return user


@pytest.fixture
def coordinator(scope_world):
    user = _staff("coordinator@kozhikode.example", DISTRICT_COORDINATORS_GROUP)
    StaffScope.objects.create(
        user=user, kind=StaffScope.Kind.DISTRICT_COORDINATOR, district=District.KOZHIKODE
    )
    return user


@pytest.fixture
def bare_staff(scope_world):
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
