"""What a page or the API answers when a request fails: one place for each kind of failure.

- Bad input (wnh.errors.InvalidInput raised by a view, or a NUL byte anywhere in the path,
  the query or a form): 400 with the reason.
- A lock wait that ran out (wnh.db.Busy, or a lock-timeout OperationalError that escaped a
  service): 503 "busy, try again" with Retry-After, so a client and a person both know the
  same request will do.
- The database out of reach (a restart, a failover), wherever it shows, a view or a
  middleware reading the session: 503 "briefly unavailable" with Retry-After, never a 500.
- Django's own 400, 404 and 500 (the URL conf's handlers): under /api/ in JSON, for the
  API's clients, and as pages elsewhere.

The DRF views map their exceptions in wnh/api.py, which answers with the same bodies.
"""

import logging
import sys

from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from wnh import metrics
from wnh.db import Busy, DatabaseUnavailable, as_busy
from wnh.errors import InvalidInput, error_body

logger = logging.getLogger(__name__)


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def busy_response(request, busy: Busy):
    if is_api(request):
        response = JsonResponse(error_body(busy.code, busy.message), status=busy.status)
    else:
        context = {"message": busy.message}
        if isinstance(busy, DatabaseUnavailable):
            # Nothing on the page may ask the database: not the person (their session and
            # account are rows), not the messages kept in the session.
            context |= {"user": AnonymousUser(), "messages": ()}
        response = render(request, "503.html", context, status=busy.status)
    response["Retry-After"] = str(busy.retry_after_seconds)
    return response


def invalid_input_response(request, error: InvalidInput):
    if is_api(request):
        return JsonResponse(error_body(error.code, error.message), status=error.status)
    return render(request, "400.html", {"message": error.message}, status=error.status)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def carries_nul(request) -> bool:
    """Whether the path, a query parameter or a form field holds a NUL character."""
    if "\x00" in request.path:
        return True
    fields = [request.GET]
    if request.method == "POST" and request.content_type in FORM_TYPES:
        fields.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for query in fields
        for key, values in query.lists()
    )


class FailureMiddleware:
    """Turns Busy and InvalidInput raised by a view into their answers. Last in MIDDLEWARE,
    so it sees a view's exception first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            # No page or API field takes a NUL byte, and PostgreSQL refuses one in a query
            # ("A string literal cannot contain NUL"): refuse it once, for every view.
            error = InvalidInput(_("The request contains a NUL character."))
            return invalid_input_response(request, error)
        if request.path.startswith("/admin/") and "" in (
            request.GET.get(TO_FIELD_VAR),
            request.POST.get(TO_FIELD_VAR) if request.method == "POST" else None,
        ):
            # Django's admin checks a non-empty _to_field and looks an empty one up as a
            # field named "" (FieldDoesNotExist, a 500) on its change pages.
            return invalid_input_response(request, InvalidInput(f"{TO_FIELD_VAR}: empty."))
        return self.get_response(request)

    def process_exception(self, request, exception):
        busy = as_busy(exception)
        if busy is not None:
            logger.warning("Busy: %s %s (%s)", request.method, request.path, exception)
            metrics.busy_answered("page")
            return busy_response(request, busy)
        if isinstance(exception, InvalidInput):
            return invalid_input_response(request, exception)
        return None


# -- the URL conf's handlers (wnh/urls.py) --------------------------------------------------


def bad_request(request, exception):
    if is_api(request):
        detail = _("The request could not be read.")
        return JsonResponse(error_body("bad_request", detail), status=400)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    # Django calls this inside its handling of the exception, from whichever layer raised
    # it: a middleware's too, which FailureMiddleware.process_exception never sees.
    busy = as_busy(sys.exc_info()[1]) if sys.exc_info()[1] is not None else None
    if busy is not None:
        return busy_response(request, busy)
    if is_api(request):
        detail = _("Something went wrong on our side. Please try again in a few minutes.")
        return JsonResponse(error_body("server_error", detail), status=500)
    return defaults.server_error(request)
