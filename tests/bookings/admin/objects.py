"""One row of every model the admin edits, made the way the portal makes them: a centre with
pods and seats and a closure day, a pending and an approved company with members, an
invitation and a webhook endpoint with a delivery, bookings, a requested and a confirmed pod
reservation with its days, a waitlist place, occupancy and demand figures and the Celery
schedules.

A model registered in the admin later needs a row here; the generic admin test names it.
"""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import ClockedSchedule, IntervalSchedule, SolarSchedule

from bookings.core.closures import add_closure
from bookings.core.reservations import confirm_pod_reservation, request_pod_reservation
from bookings.models import SeatBooking
from bookings.operations import occupancy
from companies import webhooks
from companies.models import Company, Invitation, WebhookEndpoint
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


def make_every_kind_of_object(*, staff_user) -> dict[str, object]:
    """Model label -> the row whose change form the test saves."""
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    centre = CentreFactory(
        name="Kottarakkara", amenities=["Air-conditioned", "Power backup", "Rooftop garden"]
    )
    pods = [
        PodFactory(centre=centre, code="P01", capacity=6),
        PodFactory(centre=centre, code="P02"),
    ]
    closure = add_closure(centre=centre, day=today + timedelta(days=20), reason="Onam")

    approved = CompanyFactory(name="Technopark Tiles", website="https://tiles.example")
    admin = MembershipFactory(company=approved, role="admin").user
    MembershipFactory(company=approved, role="member")
    pending = CompanyFactory(name="Pending Pixels", status=Company.Status.PENDING)
    invitation = Invitation.objects.create(
        company=approved, email="new@tiles.example", invited_by=admin
    )

    requested = request_pod_reservation(
        company=approved,
        pod=pods[0],
        first_day=today + timedelta(days=7),
        last_day=today + timedelta(days=13),
        weekday_mask=weekdays.MONDAY_TO_FRIDAY,
        requested_by=admin,
    )
    confirmed = confirm_pod_reservation(
        reservation=request_pod_reservation(
            company=approved,
            pod=pods[1],
            first_day=today,
            last_day=today + timedelta(days=6),
            weekday_mask=weekdays.ALL_DAYS,
            requested_by=admin,
        ),
        decided_by=staff_user,
    )
    endpoint = WebhookEndpoint.objects.create(
        company=approved,
        url="https://hr.tiles.example/wnh",
        secret="whsec_" + "5" * 64,
        event_types=list(webhooks.EVENT_TYPES),
        created_by=admin,
    )
    delivery = webhooks.send_test_event(endpoint=endpoint)
    seat = pods[0].seats.get(position=1)
    booking = SeatBookingFactory(seat=seat, day=tomorrow, user=UserFactory(full_name="Asha"))
    SeatBookingFactory(seat=seat, day=today - timedelta(days=1), status=SeatBooking.Status.NO_SHOW)
    waiting = WaitlistEntryFactory(centre=centre, day=tomorrow)
    occupancy.rollup(first=today - timedelta(days=2), last=today - timedelta(days=1))

    call_command("setup_schedules", verbosity=0)
    # Whole seconds: the admin shows and sends the time to the second.
    ClockedSchedule.objects.create(
        clocked_time=(timezone.now() + timedelta(days=1)).replace(microsecond=0)
    )
    IntervalSchedule.objects.create(every=15, period=IntervalSchedule.MINUTES)
    SolarSchedule.objects.create(event="sunrise", latitude="9.0", longitude="76.77")

    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group
    from django_celery_beat.models import PeriodicTask

    from accounts.models import StaffScope
    from accounts.staff import KDISC_STAFF_GROUP
    from tests.support.second_factor import give_totp

    manager = UserFactory(email="manager@kottarakkara.example", is_staff=True)
    scope = StaffScope.objects.create(user=manager, kind=StaffScope.Kind.CENTRE_MANAGER)
    scope.centres.add(centre)
    give_totp(manager)

    # Demand: a search and a person turned away, copied and rolled up as each night.
    from bookings.core import demand as recorded
    from bookings.models import TurnedAway
    from bookings.operations import demand

    recorded.searched(user=None, latitude=None, longitude=None, day=tomorrow)
    TurnedAway.objects.create(
        kind=TurnedAway.Kind.NO_FREE_SEAT,
        centre=centre,
        district=centre.district,
        local_body=centre.local_body,
        pin_code=centre.pin_code,
        day=tomorrow,
        hour=timezone.now().replace(minute=0, second=0, microsecond=0),
    )
    demand.nightly()

    return {
        "accounts.StaffScope": scope,
        "mfa.Authenticator": Authenticator.objects.get(user=manager),
        "auth.Group": Group.objects.get(name=KDISC_STAFF_GROUP),
        "accounts.User": admin,
        "centres.Centre": centre,
        "centres.Pod": pods[0],
        "centres.CentreClosure": closure,
        "companies.Company": pending,
        "companies.Invitation": invitation,
        "companies.WebhookEndpoint": endpoint,
        "companies.WebhookDelivery": delivery,
        "bookings.SeatBooking": booking,
        "bookings.PodReservation": requested,
        "bookings.ReservedPodDay": confirmed.days.first(),
        "bookings.WaitlistEntry": waiting,
        "django_celery_beat.PeriodicTask": PeriodicTask.objects.get(name="No-show release"),
    }
