"""The API schema lists every operation's error answers, with the error body's shape
(wnh/api.py gives every error that shape)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from wnh.api import MAX_BODY_BYTES, MAX_JSON_DEPTH


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="What went wrong, for a program to act on.")
    detail = serializers.CharField(help_text="What went wrong, in words for a person.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For refused input: the messages of each field.",
    )


ERROR_ANSWERS = {
    400: "The input was refused (`errors` names each field), or the body could not be read: "
    f"not JSON, larger than {MAX_BODY_BYTES} bytes or nested deeper than {MAX_JSON_DEPTH} "
    "levels.",
    401: "Not signed in: no session and no token, or a token that is unknown, revoked or past "
    "its expiry.",
    403: "Not allowed, or a session POST without its CSRF token.",
    404: "No such thing here, or a page past the last.",
    409: "A rule refused it: `code` says which (for example seat_taken, already_booked_that_day"
    ", booking_not_active), or the first request with this Idempotency-Key is still running.",
    415: "The body is not JSON.",
    422: "This Idempotency-Key was used for a different request.",
    429: "Too many requests from this person, token or address: send it again after "
    "Retry-After seconds.",
    503: "Busy: a lock wait ran out and nothing was changed. Send the same request again "
    "after Retry-After seconds.",
}


class ErrorsDocumentedSchema(AutoSchema):
    """Adds the error answers each operation can give, with the error body's shape.

    Every operation can answer 400, 403, 429 and 503, and 401 unless anyone may ask it; one
    with a path parameter, a paginated list or a body naming things 404; a POST 409 and 415.
    A view adds others (422) with `extra_error_answers = {"POST": [422]}`.
    """

    def _error_codes(self) -> list[int]:
        codes = [400, 403, 429, 503]
        permissions = self.view.get_permissions()
        if permissions and not any(isinstance(p, AllowAny) for p in permissions):
            codes.append(401)
        if "{" in self.path or self.method == "POST" or self._is_list_view():
            codes.append(404)
        if self.method == "POST":
            codes += [409, 415]
        codes += getattr(self.view, "extra_error_answers", {}).get(self.method, [])
        return sorted(set(codes))

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if str(code) in responses:
                continue
            answer = OpenApiResponse(ErrorSerializer, description=ERROR_ANSWERS[code])
            response = self._get_response_for_code(answer, str(code), direction=direction)
            if code in (429, 503):
                response["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconds to wait before sending the request again.",
                    }
                }
            responses[str(code)] = response
        return responses
