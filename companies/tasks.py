"""Celery tasks of companies: thin interfaces that take ids and call companies/webhooks.py.

An attempt claims its delivery first, so a task that runs twice, or beside the sweep,
sends once (DESIGN.md rule 8).
"""

import logging

from celery import shared_task
from django.utils import timezone

from . import webhooks

logger = logging.getLogger(__name__)


def enqueue(task, *, countdown: float = 0.0, **kwargs) -> bool:
    """Publish `task`; a broker that is down is logged, never raised: the sweep sends later."""
    try:
        task.apply_async(kwargs=kwargs, countdown=countdown or None)
    except Exception:
        logger.exception("Could not enqueue %s(%s); the next sweep will do it", task.name, kwargs)
        return False
    return True


@shared_task(name="companies.deliver_webhook")
def deliver_webhook(*, delivery_id: int) -> bool:
    return webhooks.attempt(delivery_id=delivery_id) is not None


def on_delivery_queued(delivery_id: int, countdown: float) -> None:
    """The webhooks' hook (companies/webhooks.py): runs on commit, hands the attempt to a
    worker."""
    enqueue(deliver_webhook, countdown=countdown, delivery_id=delivery_id)


if on_delivery_queued not in webhooks.delivery_queued_hooks:
    webhooks.delivery_queued_hooks.append(on_delivery_queued)


@shared_task(name="companies.sweep_webhooks")
def sweep_webhooks() -> int:
    """Every minute: each pending delivery that is due (a retry, or a lost message)."""
    due = webhooks.due_deliveries(now=timezone.now())
    for delivery_id in due:
        enqueue(deliver_webhook, delivery_id=delivery_id)
    return len(due)


@shared_task(name="companies.prune_webhook_deliveries")
def prune_webhook_deliveries() -> int:
    """Nightly: deliveries older than WEBHOOKS_LOG_DAYS leave the log."""
    return webhooks.prune()
