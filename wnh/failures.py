"""What a page or the API answers when a request fails: one place for each kind of failure.

- Bad input (wnh.errors.InvalidInput raised by a view): 400 with the reason.
- A lock wait that ran out (wnh.db.Busy, or a lock-timeout OperationalError that escaped a
  service): 503 "busy, try again" with Retry-After, so a client and a person both know the
  same request will do.
- Django's own 400, 404 and 500 (the URL conf's handlers): under /api/ in JSON, for the
  API's clients, and as pages elsewhere.

The DRF views map their exceptions in wnh/api.py, which answers with the same bodies.
"""

import logging

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from wnh.db import Busy, as_busy
from wnh.errors import InvalidInput, error_body

logger = logging.getLogger(__name__)


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def busy_response(request, busy: Busy):
    if is_api(request):
        response = JsonResponse(error_body(busy.code, busy.message), status=busy.status)
    else:
        response = render(request, "503.html", {"message": busy.message}, status=busy.status)
    response["Retry-After"] = str(busy.retry_after_seconds)
    return response


def invalid_input_response(request, error: InvalidInput):
    if is_api(request):
        return JsonResponse(error_body(error.code, error.message), status=error.status)
    return render(request, "400.html", {"message": error.message}, status=error.status)


class FailureMiddleware:
    """Turns Busy and InvalidInput raised by a view into their answers. Last in MIDDLEWARE,
    so it sees a view's exception first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        busy = as_busy(exception)
        if busy is not None:
            logger.warning("Busy: %s %s (%s)", request.method, request.path, exception)
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
    if is_api(request):
        detail = _("Something went wrong on our side. Please try again in a few minutes.")
        return JsonResponse(error_body("server_error", detail), status=500)
    return defaults.server_error(request)
