"""Retention: an unused account is warned, then erased; a used one is left alone."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from bookings import tasks
from bookings.management.commands.setup_schedules import SCHEDULES
from bookings.privacy.retention import apply_retention
from tests.support.factories import SeatBookingFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def short_retention(settings):
    settings.WNH_RETENTION_DAYS = 100
    settings.WNH_RETENTION_WARNING_DAYS = 10


def seen(days_ago: int, **kwargs) -> User:
    user = UserFactory(**kwargs)
    user.last_login = timezone.now() - timedelta(days=days_ago)
    user.save(update_fields=["last_login"])
    return user


def test_an_account_unused_for_the_period_less_the_notice_is_warned_once():
    idle = seen(91, email="idle@example.com")
    seen(80, email="recent@example.com")

    assert apply_retention() == {"warned": 1, "erased": 0}
    assert apply_retention() == {"warned": 0, "erased": 0}  # once

    assert [m.to for m in mail.outbox] == [["idle@example.com"]]
    assert "will be erased" in mail.outbox[0].subject
    assert "log in" in mail.outbox[0].body
    idle.refresh_from_db()
    assert idle.erased_at is None


def test_it_is_erased_once_the_warnings_notice_has_run_out(clock):
    idle = seen(91, email="idle@example.com", full_name="Idle Person")
    apply_retention()

    clock.move_to(timezone.now() + timedelta(days=9))
    assert apply_retention()["erased"] == 0
    clock.move_to(timezone.now() + timedelta(days=1, minutes=1))
    assert apply_retention() == {"warned": 0, "erased": 1}

    idle.refresh_from_db()
    assert idle.erased_at is not None
    assert "idle@example.com" not in idle.email
    assert idle.full_name == ""
    assert apply_retention() == {"warned": 0, "erased": 0}


def test_logging_in_after_the_warning_keeps_the_account(clock):
    person = seen(91, email="back@example.com")
    apply_retention()
    clock.move_to(timezone.now() + timedelta(days=2))
    person.last_login = timezone.now()
    person.save(update_fields=["last_login"])

    clock.move_to(timezone.now() + timedelta(days=20))
    apply_retention()

    person.refresh_from_db()
    assert person.erased_at is None
    assert person.retention_warned_at is None


def test_staff_and_people_with_recent_or_coming_bookings_are_left_alone(seat, next_open_day):
    seen(200, email="staff@kdisc.example", is_staff=True)
    booker = seen(200, email="booker@example.com")
    SeatBookingFactory(user=booker, seat=seat, day=next_open_day)

    assert apply_retention() == {"warned": 0, "erased": 0}


def test_the_task_runs_daily_from_the_schedules():
    task, cron, _ = SCHEDULES["Retention of unused accounts"]
    assert task == tasks.apply_retention.name
    assert cron.split()[1:] == ["3", "*", "*", "*"]
