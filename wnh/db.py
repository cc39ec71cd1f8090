"""Small database helpers the services share: bounded lock waits, "busy" when one runs out,
and "unavailable" when the database cannot be reached."""

import contextlib
import functools
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils.translation import gettext_lazy as _

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for lock_timeout


class Busy(Exception):
    """A lock wait ran out: nothing was decided, the same request may simply be sent again.

    Not a DomainError on purpose: no rule said no, so the views that show a refusal do not
    catch it. It reaches wnh/failures.py (pages) or wnh/api.py (API), which answer 503
    with Retry-After, the one place that does.
    """

    message = _("Many people are booking here right now. Please try again in a moment.")
    status = 503
    code = "busy"
    retry_after_seconds = 2

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class DatabaseUnavailable(Busy):
    """The database could not be reached or dropped the connection (a restart, a failover,
    PgBouncer without a server): nothing of this request was committed, and the same request
    will do once it is back, within seconds."""

    message = _("The service is briefly unavailable. Please try again in a minute.")
    code = "unavailable"
    retry_after_seconds = 10


# SQLSTATE classes of a connection lost or refused: 08 (connection exception) and 57P
# (operator intervention: admin_shutdown, crash_shutdown, cannot_connect_now).
_UNAVAILABLE_STATES = ("08", "57P")


def is_unavailable(error: BaseException) -> bool:
    """Whether `error` says the database is out of reach, not that a statement failed: the
    driver's error carries no SQLSTATE (connection refused, server closed the connection)
    or one of a lost connection. A lock wait that ran out is "busy" instead."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError) or is_lock_timeout(error):
        return False
    state = getattr(error.__cause__, "pgcode", None)
    return state is None or state.startswith(_UNAVAILABLE_STATES)


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


def as_busy(error: BaseException) -> Busy | None:
    """The Busy that `error` means, if it means one: a Busy, a lock wait that ran out, or a
    database out of reach (DatabaseUnavailable). The one place a lock timeout or a lost
    database becomes a 503; everything else asks it."""
    if isinstance(error, Busy):
        return error
    if isinstance(error, OperationalError) and is_lock_timeout(error):
        return Busy()
    if is_unavailable(error):
        return DatabaseUnavailable()
    return None


@contextlib.contextmanager
def lock_waits_as_busy(*, bounded: bool = True):
    """Bound the lock waits of the block (unless the caller has) and leave it as Busy when
    one runs out. A lock timeout aborts PostgreSQL's transaction, so this belongs around a
    whole transaction, or around its first lock."""
    try:
        if bounded:
            bound_lock_wait()
        yield
    except OperationalError as error:
        busy = as_busy(error)
        if busy is None:
            raise
        raise busy from error


def locking_transaction(func: Callable | None = None, *, durable: bool = True):
    """The transaction of a service that waits for row locks or unique index entries.

    Every lock wait in it is bounded (bound_lock_wait) and a wait that runs out, on a pod,
    a membership row, a booking or another session's uncommitted insert under a unique
    index, leaves the service as Busy after the rollback. `durable=False` for a service
    that other services call inside their own transaction.
    """

    def decorate(service: Callable) -> Callable:
        @functools.wraps(service)
        def run(*args, **kwargs):
            with lock_waits_as_busy(bounded=False), transaction.atomic(durable=durable):
                bound_lock_wait()
                return service(*args, **kwargs)

        return run

    return decorate(func) if func is not None else decorate
