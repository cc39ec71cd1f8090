"""Logs an operator can search: one JSON object a line, each with the request id that caused it.

- `RequestIdMiddleware` takes the id from the `X-Request-ID` header (the load balancer sets
  it: deploy/nginx/nginx.conf) or makes one, keeps it for the request's log records and
  sends it back in the answer's `X-Request-ID`.
- A Celery task published while a request runs carries the id in its message headers
  (`before_task_publish`), and the worker puts it back for the task's own records
  (`task_prerun`), so one search follows a booking into the waitlist offer it set off.
- `JsonFormatter` writes the records (settings.LOGGING: DJANGO_LOG_FORMAT=json, the default
  in production; text in debug mode).

Secrets out of logs: the portal's links that carry a secret lose it before a log line.

Check-in codes, invitations, password resets, email confirmations and calendar feeds put a
token in the URL (a QR code or a calendar app cannot send a header). Whoever reads a log
could use it: check in as someone, join their company, reset their password, follow their
bookings. `redact` blanks those path segments and the values of query parameters; the
logging filter applies it to the portal's own log records (django.request's "Not Found:
/path", runserver's request lines), and the gunicorn logger class to the access log:

    gunicorn wnh.wsgi:application --logger-class wnh.logs.RedactingGunicornLogger ...
"""

import contextlib
import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.signals import request_finished
from django.dispatch import receiver
from gunicorn.glogging import Logger as GunicornLogger

HEADER = "X-Request-ID"
TASK_HEADER = "wnh_request_id"
# A client's id is kept only if it is short and plain: it goes into every log line.
ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
task_context: ContextVar[tuple[str, str] | None] = ContextVar("task_context", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        current = given if ACCEPTED.fullmatch(given) else new_request_id()
        request.request_id = current
        # Kept until the request has finished (below), not only inside this middleware:
        # Django logs a 4xx or 5xx answer (django.request) after the middleware returned.
        request_id.set(current)
        response = self.get_response(request)
        response[HEADER] = current
        return response


@receiver(request_finished)
def _forget_request(**kwargs) -> None:
    request_id.set(None)


class RequestIdFilter(logging.Filter):
    """Puts `request_id` (and, in a task, `task_id` and `task`) on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        task = task_context.get()
        record.task_id, record.task = task if task else ("-", "-")
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "process": record.process,
        }
        if getattr(record, "task_id", "-") != "-":
            entry["task_id"], entry["task"] = record.task_id, record.task
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


@before_task_publish.connect
def _carry_request_id(headers=None, **kwargs) -> None:
    current = request_id.get()
    if current and headers is not None:
        headers.setdefault(TASK_HEADER, current)


_task_tokens: dict[str, tuple] = {}


@task_prerun.connect
def _restore_request_id(task_id=None, task=None, **kwargs) -> None:
    carried = getattr(task.request, TASK_HEADER, None) or (task.request.headers or {}).get(
        TASK_HEADER
    )
    _task_tokens[task_id] = (
        request_id.set(carried),
        task_context.set((task_id, task.name)),
    )
    logging.getLogger(__name__).info("Task %s[%s] started", task.name, task_id)


@task_postrun.connect
def _forget_request_id(task_id=None, **kwargs) -> None:
    tokens = _task_tokens.pop(task_id, None)
    if tokens:
        with contextlib.suppress(ValueError):  # set in another context: nothing to undo
            request_id.reset(tokens[0])
            task_context.reset(tokens[1])


# -- secrets out of logs ------------------------------------------------------------------

REDACTED = "[redacted]"

SECRET_PATHS = [
    # /centres/<slug>/check-in/<token>/ (the entrance's QR code)
    re.compile(r"(/centres/[^/\s?]+/check-in/)[^/\s?\"]+"),
    # /companies/invitations/<token>/
    re.compile(r"(/companies/invitations/)[^/\s?\"]+"),
    # allauth: /accounts/password/reset/key/<uidb36>-<key>/ and /accounts/confirm-email/<key>/
    re.compile(r"(/accounts/password/reset/key/)[^/\s?\"]+"),
    re.compile(r"(/accounts/confirm-email/)[^/\s?\"]+"),
    # /bookings/calendar/<token>.ics (the personal calendar feed)
    re.compile(r"(/bookings/calendar/)[^/\s?\"]+?(?=\.ics)"),
]
# Any query string value: the portal's own are harmless (?day=, ?page=), but a link pasted
# from elsewhere can carry anything, and a day or page is no loss in a log.
QUERY_VALUE = re.compile(r"([?&][^=&\s\"#]+)=[^&\s\"#]*")


def redact(text: str) -> str:
    for pattern in SECRET_PATHS:
        text = pattern.sub(rf"\g<1>{REDACTED}", text)
    return QUERY_VALUE.sub(rf"\g<1>={REDACTED}", text)


def _redacted(value):
    return redact(value) if isinstance(value, str) else value


class RedactSecretsFilter(logging.Filter):
    """For LOGGING's handlers: every record's message and arguments, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redacted(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's access log without the secrets: every atom (the request line, path, query
    string, referer, any header or environ value) redacted, whatever --access-logformat
    names."""

    QUERY_STRINGS = ("q", "{query_string}e")  # without their "?"

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in self.QUERY_STRINGS:
            if atoms.get(name):
                atoms[name] = redact("?" + atoms[name])[1:]
        return {name: _redacted(value) for name, value in atoms.items()}
