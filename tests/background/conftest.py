"""Fixtures for the background-work tests: a clock, a full centre, tasks run in-process."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.factories import CentreFactory, PodFactory, UserFactory
from wnh import weekdays


def at(day, hour: int, minute: int = 0) -> datetime:
    """An aware datetime in Asia/Kolkata."""
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def tomorrow(today):
    return today + timedelta(days=1)


@pytest.fixture
def daily_centre(db):
    """Open every day, so tests do not depend on what weekday they run."""
    return CentreFactory(name="Kottarakkara", open_weekdays=weekdays.ALL_DAYS)


@pytest.fixture
def small_pod(daily_centre):
    return PodFactory(centre=daily_centre, code="A", capacity=4)


@pytest.fixture
def people(db):
    return [UserFactory(email=f"person{i}@example.com") for i in range(8)]


@pytest.fixture
def tasks_inline(monkeypatch):
    """Enqueued tasks run at once in this process, as a worker would run them."""
    ran = []

    def run(task, **kwargs):
        ran.append((task.name, kwargs))
        task.run(**kwargs)
        return True

    monkeypatch.setattr("bookings.tasks.enqueue", run)
    return ran
