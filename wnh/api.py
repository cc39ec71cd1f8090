"""What every API view shares: a JSON parser with limits, one error shape, pages that refuse
a bad page number, and a schema that lists the error answers.

Every error answer is `{"code": ..., "detail": ..., "errors": {field: [messages]}}` (errors
only when fields were refused), whatever raised it: a DRF check, a rule (DomainError, with
its own status and code), a lock wait that ran out (503 with Retry-After) or a request the
parser refused. An exception nothing maps reaches Django's handler500, which answers JSON
under /api/ too (wnh/failures.py). The schema's part is in wnh/api_schema.py.

DRF reads these classes from REST_FRAMEWORK while its own views module loads, so this
module imports nothing that imports rest_framework.views.
"""

import io
import re

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, parsers
from rest_framework.response import Response

from wnh import metrics
from wnh.db import as_busy
from wnh.errors import DomainError, error_body

# No API request needs more: a booking is a few short fields. A body past this is refused
# before it is parsed, and so is JSON nested deeper than MAX_JSON_DEPTH (Python's parser
# would recurse until it failed).
MAX_BODY_BYTES = 64 * 1024
MAX_JSON_DEPTH = 20

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_A_BRACKET = re.compile(rb"[^\[\]{}]+")


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether arrays and objects in `body` nest deeper than `limit` (strings skipped)."""
    depth = 0
    for bracket in _NOT_A_BRACKET.sub(b"", _JSON_STRING.sub(b"", body)):
        depth += 1 if bracket in b"[{" else -1
        if depth > limit:
            return True
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser behind a size and a depth limit: both answer 400, never 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            raise exceptions.ParseError(
                _("The request body is larger than %(n)d bytes.") % {"n": MAX_BODY_BYTES},
                code="body_too_large",
            )
        if json_depth_exceeds(body, MAX_JSON_DEPTH):
            raise exceptions.ParseError(
                _("The JSON is nested deeper than %(n)d levels.") % {"n": MAX_JSON_DEPTH},
                code="json_too_deep",
            )
        return super().parse(io.BytesIO(body), media_type, parser_context)


def _field_messages(detail) -> list[str]:
    """A field's messages as a flat list of text, whatever the nesting: a list's item or a
    nested field is named in front of its message ("#2: Date has wrong format...")."""
    if isinstance(detail, dict):
        return [
            f"{_position(key)}: {message}"
            for key, value in detail.items()
            for message in _field_messages(value)
        ]
    if isinstance(detail, list):
        return [message for item in detail for message in _field_messages(item)]
    return [str(detail)]


def _position(key) -> str:
    return f"#{int(key) + 1}" if str(key).isdigit() else str(key)


def _messages(detail) -> dict[str, list[str]]:
    """{field: [messages]}, the shape the schema promises (wnh/api_schema.py)."""
    if isinstance(detail, dict):
        return {str(key): _field_messages(value) for key, value in detail.items()}
    return {"non_field_errors": _field_messages(detail)}


def exception_handler(exc, context):
    """Every refusal of an API view in the one shape above."""
    from rest_framework.views import exception_handler as drf_exception_handler

    busy = as_busy(exc)
    if busy is not None:
        metrics.busy_answered("api")
        response = Response(error_body(busy.code, busy.message), status=busy.status)
        response["Retry-After"] = str(busy.retry_after_seconds)
        return response
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message), status=exc.status)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # Django's handler500 answers (in JSON under /api/)
    if isinstance(exc, exceptions.ValidationError):
        errors = _messages(exc.detail)
        first = next(iter(errors.values()), [""])
        detail = first[0] if isinstance(first, list) and first else str(first)
        response.data = error_body("invalid", detail, errors)
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        code = codes if isinstance(codes, str) else getattr(exc, "default_code", "error")
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = error_body(code, detail)
    return response


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` must be a page number from 1 (a typo is a 400); past the last page is a 404."""

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param) or "1"
        if value in self.last_page_strings:
            return value
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 10**9):
            raise exceptions.ValidationError(
                {self.page_query_param: [_("A page is a whole number from 1.")]}
            )
        return value
