"""A member of a company with a pod reserved last month, who sat in it, and a future seat."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.models import PodReservation, ReservedPodDay
from tests.factories import MembershipFactory, PodFactory, SeatBookingFactory, UserFactory

NAME = "Meera Nair Kottarathil"
EMAIL = "meera.nair@example.com"


@pytest.fixture
def last_month(today):
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return [first + timedelta(days=n) for n in range(5, 10)]


@pytest.fixture
def member(company):
    user = UserFactory(email=EMAIL, full_name=NAME, phone="9447000000")
    user.home_pin_code, user.home_place = "691506", "Kottarakkara"
    user.home_latitude, user.home_longitude = 9, 76.77
    user.save()
    MembershipFactory(company=company, user=user)
    return user


@pytest.fixture
def company_pod(centre, company, last_month):
    pod = PodFactory(centre=centre, code="C1", capacity=4)
    reservation = PodReservation.objects.create(
        company=company,
        pod=pod,
        first_day=last_month[0],
        last_day=last_month[-1],
        status=PodReservation.Status.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    for day in last_month:
        ReservedPodDay.objects.create(pod=pod, day=day, reservation=reservation, company=company)
    return pod


@pytest.fixture
def past_bookings(member, company, company_pod, last_month):
    seat = company_pod.seats.get(position=1)
    teammate = MembershipFactory(company=company).user
    made = []
    for n, day in enumerate(last_month):
        made.append(
            SeatBookingFactory(
                user=member,
                seat=seat,
                day=day,
                company=company,
                status="no_show" if n == 2 else "checked_in",
                checked_in_at=None if n == 2 else timezone.now(),
                no_show_at=timezone.now() if n == 2 else None,
            )
        )
        SeatBookingFactory(
            user=teammate,
            seat=company_pod.seats.get(position=2),
            day=day,
            company=company,
            status="checked_in",
            checked_in_at=timezone.now(),
        )
    return made
