"""The audit history's plumbing: which models are tracked, and who and which path changed them.

The history is django-pghistory's: PostgreSQL triggers write an event row for every insert,
update and delete of a tracked model. Triggers were chosen over signal-based libraries
(django-simple-history, django-auditlog) because the services change rows with queryset
`.update()` (no-show release, member removal, pod-day cancellation), which sends no signal;
a trigger sees every write, the admin's and a shell's too.

Each write carries a context, stored once per request, task or command in pghistory's
Context table: `user` (the signed-in person's id, or none for the system), `path` (web, api,
admin, task, command), `request_id` (the X-Request-ID header, or a new one), and `view`,
`task` or `command` (which one). The context holds ids only, never a name, email or URL: a
URL can carry a secret token, and an erased person must leave nothing readable behind
(accounts/notice.py).

Triggers exist on PostgreSQL only. On SQLite (the laptop demo) the models still migrate and
work, nothing is recorded, and the context is a no-op (pghistory's would send PostgreSQL's
`set_config` to SQLite).
"""

import contextlib
import re
import uuid

from django.db import connection
from django.urls import Resolver404, resolve

# A request id from a proxy is kept if it looks like one; anything else gets a new one. It
# starts with a letter or digit: it lands in K-DISC's CSV export, where a leading - or + is
# a spreadsheet formula.
REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")

PATH_WEB, PATH_API, PATH_ADMIN, PATH_TASK, PATH_COMMAND = "web", "api", "admin", "task", "command"


def audited(*, exclude: list[str] | None = None, quiet: list[str] | None = None):
    """The class decorator for a tracked model: its inserts, updates and deletes, kept in
    an append-only event table.

    `exclude` leaves personal fields out of the events (an invitation's email), so the
    history never keeps a copy of what erasing a person must remove. A change of only the
    `quiet` fields (bookkeeping, such as a reminder's claim) writes no event: at 25-30 million
    seat-days a year, each such event would be a row nobody asks about."""
    import pghistory
    import pgtrigger

    return pghistory.track(
        pghistory.InsertEvent(),
        # A save that changes only `updated_at` (the admin saving an unchanged form) is none.
        pghistory.UpdateEvent(
            condition=pgtrigger.AnyChange(exclude=quiet or [], exclude_auto=True)
        ),
        pghistory.DeleteEvent(),
        exclude=exclude,
        # The history is evidence: a trigger refuses to change or delete an event, whoever
        # asks (the admin, a shell, a compromised web process).
        append_only=True,
    )


def is_recorded() -> bool:
    return connection.vendor == "postgresql"


def context(**metadata):
    """pghistory's context on PostgreSQL; nothing elsewhere. Nested, it adds to the outer."""
    if not is_recorded():
        return contextlib.nullcontext()
    import pghistory

    return pghistory.context(**metadata)


def request_id_of(request) -> str:
    """The id wnh.logs.RequestIdMiddleware gave the request (so the history and the logs
    name the same one), else the header's, else a new one."""
    if getattr(request, "request_id", None):
        return request.request_id
    given = request.headers.get("X-Request-ID", "")
    return given if REQUEST_ID.match(given) else uuid.uuid4().hex


def path_of(request) -> str:
    if request.path.startswith("/admin/"):
        return PATH_ADMIN
    if request.path.startswith("/api/"):
        return PATH_API
    return PATH_WEB


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def reads_only(view):
    """Mark a view that writes nothing the history keeps when asked with GET or HEAD (the
    rush's pages: centres near me, a seat map): its requests run without the history's
    context, which pghistory sends to PostgreSQL ahead of every statement, SELECTs too. A
    row such a request did write would be kept with no context (no person, no path).
    For a class-based view, mark the class."""
    view.audit_reads_only = True
    return view


def _reads_only(request) -> bool:
    if request.method not in SAFE_METHODS:
        return False
    try:
        func = resolve(request.path_info).func
    except Resolver404:
        return False
    view = getattr(func, "view_class", func)
    return getattr(view, "audit_reads_only", False)


class AuditContextMiddleware:
    """Every request's writes name the person, the path and the request id.

    After AuthenticationMiddleware. DRF signs API clients in inside the view, so the request
    is given pghistory's request class, which updates `user` when the view sets it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_of(request)
        if not is_recorded() or _reads_only(request):
            return self.get_response(request)
        from django.core.handlers.wsgi import WSGIRequest
        from pghistory.middleware import WSGIRequest as TrackedWSGIRequest

        user = getattr(request, "user", None)
        with context(
            user=user.pk if user is not None and user.is_authenticated else None,
            path=path_of(request),
            request_id=request.request_id,
        ):
            if type(request) is WSGIRequest:
                request.__class__ = TrackedWSGIRequest
            return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_recorded() and request.resolver_match is not None:
            context(view=request.resolver_match.view_name)  # adds to the request's context
        return None


# -- Celery: every task's writes are the system's ----------------------------------------

_task_contexts: dict[str, contextlib.AbstractContextManager] = {}


def _task_started(task_id=None, task=None, **kwargs) -> None:
    if not is_recorded() or task_id is None:
        return
    entered = context(user=None, path=PATH_TASK, task=task.name, request_id=task_id)
    entered.__enter__()
    _task_contexts[task_id] = entered


def _task_finished(task_id=None, **kwargs) -> None:
    entered = _task_contexts.pop(task_id, None)
    if entered is not None:
        entered.__exit__(None, None, None)


def connect_task_signals() -> None:
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(_task_started, weak=False, dispatch_uid="wnh.audit.task_started")
    task_postrun.connect(_task_finished, weak=False, dispatch_uid="wnh.audit.task_finished")


connect_task_signals()


@contextlib.contextmanager
def command_context(argv: list[str]):
    """manage.py's: a management command's writes name the command (and no person).

    Django is set up first (the context needs the database's vendor and pghistory's models);
    settings that refuse to load are left for the command line to report."""
    import django

    try:
        django.setup()
    except Exception:
        yield
        return
    name = argv[1] if len(argv) > 1 else "help"
    with context(user=None, path=PATH_COMMAND, command=name, request_id=uuid.uuid4().hex):
        yield
