"""Prometheus metrics: what the portal counts, and the `/metrics` page a scraper reads.

Requests and latency per view come from django-prometheus's middleware (settings.py). The
portal's own:

- `wnh_bookings_made_total`: seat bookings committed, on every path (web, API, waitlist
  offers taken, company assignments): counted on commit where the row is inserted.
- `wnh_bookings_refused_total{reason}`: a person's booking (web or API) refused by a rule,
  by the domain error's code (`seat_taken`, `no_free_seat`, ...).
- `wnh_busy_answers_total{surface}`: requests answered "busy, try again" (503) because a lock
  wait ran out (wnh/failures.py for pages, wnh/api.py for the API).
- `wnh_celery_queue_length{queue}`: messages waiting in each Celery queue, read from Redis
  at scrape time.
- `wnh_celery_task_failures_total{task}`: tasks that raised. Workers do not serve HTTP, so
  they count into a Redis hash that every web process reads at scrape time.
- `wnh_reminder_lag_seconds`: how long the oldest reminder that is due has been waiting
  (0 when none is): rises when beat or the mail workers stop. Registered by bookings
  (`scrape_gauges`), which owns the rule of when a reminder is due.

Under gunicorn with several workers, set PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py
empties it at start): every worker's counters are then summed at scrape, whichever worker
answers. Who may read `/metrics`: WNH_METRICS_ALLOWED_NETWORKS and WNH_METRICS_TOKEN (below).
"""

import functools
import ipaddress
import logging
import os
import secrets
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from wnh.errors import DomainError

logger = logging.getLogger(__name__)

BOOKINGS_MADE = Counter("wnh_bookings_made", "Seat bookings committed.")
BOOKINGS_REFUSED = Counter(
    "wnh_bookings_refused", "Booking attempts refused by a rule, by reason.", ["reason"]
)
BUSY_ANSWERS = Counter(
    "wnh_busy_answers",
    "Requests answered busy (503, Retry-After) because a lock wait ran out.",
    ["surface"],
)

TASK_FAILURES_KEY = "wnh:metrics:task_failures"

# Scrape-time gauges of the layers above: (name, help, function returning the value).
scrape_gauges: list[tuple[str, str, Callable[[], float]]] = []


# -- counting -------------------------------------------------------------------------------


def booking_made(booking):
    """Count `booking` once its transaction commits (a rolled-back one never happened)."""
    transaction.on_commit(BOOKINGS_MADE.inc)
    return booking


def counts_refusals(service: Callable) -> Callable:
    """Count the DomainError a booking service refuses with, by its code, and re-raise."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except DomainError as error:
            BOOKINGS_REFUSED.labels(reason=error.code).inc()
            raise

    return run


def busy_answered(surface: str) -> None:
    BUSY_ANSWERS.labels(surface=surface).inc()


def broker_redis():
    """A Redis client on the Celery broker, or None with the embedded broker."""
    if not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return None
    import redis

    return redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_timeout=1, socket_connect_timeout=1
    )


def task_failed(task_name: str) -> None:
    """A worker's task raised (the task_failure signal, wnh/celery.py)."""
    client = broker_redis()
    if client is None:
        return
    try:
        client.hincrby(TASK_FAILURES_KEY, task_name, 1)
    except Exception:
        logger.warning("Could not count the failure of %s", task_name, exc_info=True)


# -- reading at scrape time -----------------------------------------------------------------


def queue_names() -> list[str]:
    """Every Celery queue: the declared ones, those a task is routed to, the default one."""
    names = {queue.name for queue in getattr(settings, "CELERY_TASK_QUEUES", None) or []}
    names.update(route["queue"] for route in (settings.CELERY_TASK_ROUTES or {}).values())
    names.add(settings.CELERY_TASK_DEFAULT_QUEUE)
    return sorted(names)


# kombu's Redis transport keeps a queue's messages of priority N in "<queue>\x06\x16<N>"
# (0 is the plain name); a queue's length is the sum of its lists.
PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (3, 6, 9)


class ScrapeCollector:
    """Values read when Prometheus scrapes: queue lengths, task failures, registered gauges."""

    def collect(self):
        client = broker_redis()
        if client is not None:
            yield from self.broker_metrics(client)
        for name, help_text, value in scrape_gauges:
            try:
                yield GaugeMetricFamily(name, help_text, value=value())
            except Exception:
                logger.warning("Metric %s could not be read", name, exc_info=True)

    def broker_metrics(self, client):
        try:
            with client.pipeline(transaction=False) as pipe:
                names = queue_names()
                for name in names:
                    pipe.llen(name)
                    for step in PRIORITY_STEPS:
                        pipe.llen(f"{name}{PRIORITY_SEPARATOR}{step}")
                pipe.hgetall(TASK_FAILURES_KEY)
                *lengths, failures = pipe.execute()
        except Exception:
            logger.warning("Celery queue lengths could not be read", exc_info=True)
            return
        queues = GaugeMetricFamily(
            "wnh_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        per_queue = 1 + len(PRIORITY_STEPS)
        for index, name in enumerate(names):
            queues.add_metric([name], sum(lengths[index * per_queue : (index + 1) * per_queue]))
        yield queues
        failed = CounterMetricFamily(
            "wnh_celery_task_failures", "Celery tasks that raised, by task.", labels=["task"]
        )
        for task, count in sorted(failures.items()):
            failed.add_metric([task.decode()], int(count))
        yield failed


if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
    REGISTRY.register(ScrapeCollector())


def registry():
    """This process's metrics, or every gunicorn worker's summed (PROMETHEUS_MULTIPROC_DIR)."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    combined = CollectorRegistry()
    multiprocess.MultiProcessCollector(combined)
    combined.register(ScrapeCollector())
    return combined


# -- the page -------------------------------------------------------------------------------


def may_scrape(request) -> bool:
    """From an allowed network (the direct peer: Prometheus scrapes each web process, never
    through the load balancer, which refuses /metrics), or with the bearer token if one is
    set."""
    token = settings.WNH_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        if secrets.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(peer in network for network in settings.WNH_METRICS_ALLOWED_NETWORKS)


def metrics_view(request):
    if not may_scrape(request):
        return HttpResponse("Forbidden", status=403, content_type="text/plain")
    return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
