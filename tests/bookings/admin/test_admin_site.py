"""The K-DISC admin: every page loads for staff, nobody else gets in, actions use services."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from bookings.models import PodReservation, ReservedPodDay
from companies.models import Company
from tests.support.factories import UserFactory
from tests.support.second_factor import log_in_staff

OUR_APPS = {"accounts", "centres", "companies", "bookings"}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def our_model_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in OUR_APPS
    ]


def admin_url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


@pytest.mark.parametrize(
    "model",
    [model for model, _ in our_model_admins()],
    ids=lambda model: model._meta.label,
)
def test_every_admin_page_loads_for_kdisc_staff(client, demo, staff_user, model):
    log_in_staff(client, staff_user)

    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "changelist"), {"q": "kottarakkara"}).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_the_admin_index_and_celery_schedules_load_for_staff(client, demo, staff_user):
    log_in_staff(client, staff_user)

    assert client.get(reverse("admin:index")).status_code == 200
    schedules = reverse("admin:django_celery_beat_periodictask_changelist")
    assert client.get(schedules).status_code == 200


def test_someone_who_is_not_staff_is_sent_to_the_login(client, demo):
    client.force_login(UserFactory())

    for model, _ in our_model_admins():
        response = client.get(admin_url(model, "changelist"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_staff_outside_the_kdisc_group_see_nothing(client, demo):
    log_in_staff(client, UserFactory(is_staff=True))

    for model, _ in our_model_admins():
        assert client.get(admin_url(model, "changelist")).status_code == 403


def test_staff_cannot_add_or_delete_bookings_by_hand(client, demo, staff_user):
    from bookings.models import SeatBooking

    log_in_staff(client, staff_user)

    assert client.get(admin_url(SeatBooking, "add")).status_code == 403
    booking = SeatBooking.objects.first()
    assert client.get(admin_url(SeatBooking, "delete", booking.pk)).status_code == 403


def test_approving_a_company_from_the_admin_goes_through_the_service(client, db, staff_user):
    company = Company.objects.create(name="Pending Co", slug="pending-co", contact_email="a@b.in")
    log_in_staff(client, staff_user)

    response = client.post(
        admin_url(Company, "changelist"),
        {"action": "approve", "_selected_action": [company.pk]},
        follow=True,
    )

    assert response.status_code == 200
    company.refresh_from_db()
    assert company.status == Company.Status.APPROVED
    assert company.approved_at is not None


def test_confirming_a_reservation_from_the_admin_writes_its_days(
    client, staff_user, company, company_admin, pod, next_open_day
):
    from bookings.core.reservations import request_pod_reservation
    from wnh import weekdays

    reservation = request_pod_reservation(
        company=company,
        pod=pod,
        first_day=next_open_day,
        last_day=next_open_day,
        weekday_mask=weekdays.ALL_DAYS,
        requested_by=company_admin,
    )
    log_in_staff(client, staff_user)

    client.post(
        admin_url(PodReservation, "changelist"),
        {"action": "confirm_selected", "_selected_action": [reservation.pk]},
    )

    reservation.refresh_from_db()
    assert reservation.status == PodReservation.Status.CONFIRMED
    assert ReservedPodDay.objects.filter(reservation=reservation).count() == 1


def test_a_refused_admin_action_says_why(
    client, staff_user, company, company_admin, professional, pod, next_open_day
):
    from bookings.core.reservations import request_pod_reservation
    from bookings.core.services import book_seat
    from wnh import weekdays

    book_seat(user=professional, seat=pod.seats.first(), day=next_open_day)
    reservation = request_pod_reservation(
        company=company,
        pod=pod,
        first_day=next_open_day,
        last_day=next_open_day,
        weekday_mask=weekdays.ALL_DAYS,
        requested_by=company_admin,
    )
    log_in_staff(client, staff_user)

    response = client.post(
        admin_url(PodReservation, "changelist"),
        {"action": "confirm_selected", "_selected_action": [reservation.pk]},
        follow=True,
    )

    assert "outside the company already hold seats" in response.content.decode()
    reservation.refresh_from_db()
    assert reservation.status == PodReservation.Status.REQUESTED


def test_shrinking_a_pod_over_a_booked_seat_is_refused_on_the_form(
    professional, centre, next_open_day
):
    from bookings.admin.centres import PodForm
    from bookings.core.services import book_seat
    from tests.support.factories import PodFactory

    pod = PodFactory(centre=centre, capacity=6)
    book_seat(user=professional, seat=pod.seats.get(position=6), day=next_open_day)

    form = PodForm(instance=pod, data={"code": pod.code, "capacity": 5, "is_active": "on"})

    assert not form.is_valid()
    assert "bookings ahead" in form.errors["capacity"][0]
    assert PodForm(
        instance=pod, data={"code": pod.code, "capacity": 8, "is_active": "on"}
    ).is_valid()
    pod.refresh_from_db()
    assert pod.capacity == 6


def test_staff_add_a_pod_and_its_seats_follow(client, staff_user, centre):
    from centres.models import Pod

    log_in_staff(client, staff_user)

    response = client.post(
        admin_url(Pod, "add"),
        {
            "centre": centre.pk,
            "code": "N1",
            "capacity": 8,
            "is_active": "on",
            "seats-TOTAL_FORMS": 0,
            "seats-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    assert Pod.objects.get(code="N1").seats.filter(is_active=True).count() == 8


def test_the_occupancy_report_refuses_a_malformed_centre(client, staff_user):
    log_in_staff(client, staff_user)

    response = client.get(reverse("admin:bookings_occupancy_report"), {"centre": "abc"})

    assert response.status_code == 400  # a clear refusal, not a silent default (issue 13)
    assert "No such centre" in response.content.decode()


def test_the_reserved_days_list_costs_the_same_queries_for_few_or_many_rows(
    client, staff_user, company, company_admin, centre, next_open_day
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bookings.core.reservations import confirm_pod_reservation, request_pod_reservation
    from tests.support.factories import PodFactory
    from wnh import weekdays

    log_in_staff(client, staff_user)
    url = admin_url(ReservedPodDay, "changelist")

    def queries_with_another_pod_reserved() -> int:
        reservation = request_pod_reservation(
            company=company,
            pod=PodFactory(centre=centre),
            first_day=next_open_day,
            last_day=next_open_day,
            weekday_mask=weekdays.ALL_DAYS,
            requested_by=company_admin,
        )
        confirm_pod_reservation(reservation=reservation, decided_by=staff_user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    first = queries_with_another_pod_reserved()
    for _ in range(3):
        last = queries_with_another_pod_reserved()
    assert first == last


def test_staff_cannot_change_or_remove_members_in_the_admin(
    client, staff_user, company, company_admin, company_member
):
    from companies.models import Membership

    log_in_staff(client, staff_user)
    page = client.get(admin_url(Company, "change", company.pk))
    assert company_member.email in page.content.decode()

    client.post(
        admin_url(Company, "change", company.pk),
        {
            "name": company.name,
            "slug": company.slug,
            "contact_email": company.contact_email,
            "memberships-TOTAL_FORMS": 2,
            "memberships-INITIAL_FORMS": 2,
            "memberships-0-id": company.memberships.get(user=company_admin).pk,
            "memberships-0-role": "member",
            "memberships-1-id": company.memberships.get(user=company_member).pk,
            "memberships-1-DELETE": "on",
        },
    )

    assert company.has_admin(company_admin)
    assert Membership.objects.filter(company=company, user=company_member).exists()
