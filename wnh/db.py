"""Small database helpers the services share: bounded lock waits."""

from django.conf import settings
from django.db import OperationalError, connection
from django.utils.translation import gettext_lazy as _

from wnh.errors import DomainError

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for lock_timeout


class Busy(DomainError):
    message = _("Many people are booking here right now. Please try again in a moment.")
    status = 503
    code = "busy"


def bound_lock_wait() -> None:
    """Make lock waits in the current transaction give up after WNH_LOCK_TIMEOUT_MS.

    Under a rush a row lock can queue many requests; a bounded wait turns into "busy, try
    again" instead of a web worker stuck until the load balancer's timeout.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{settings.WNH_LOCK_TIMEOUT_MS}ms"])


def is_lock_timeout(error: OperationalError) -> bool:
    return getattr(error.__cause__, "pgcode", None) == LOCK_NOT_AVAILABLE
