"""Idempotency-Key: a client on a bad connection that sends a create again gets the first
answer again (the same 201 and the same object), not a second object or "already booked".

One decorator for every create of the API (`@idempotent("booking")` on a view's `post`). The
answer is kept in the cache (Redis in deployment, shared by every web process) for a day,
under the person, the kind of create and a digest of the key; the request's body is kept as
a digest too, and the same key with another body is a 422.
"""

import functools
import hashlib
import json

from django.core.cache import cache
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.response import Response

from wnh.errors import error_body

TTL_SECONDS = 24 * 3600
PENDING_TTL_SECONDS = 60
KEY_MAX_LENGTH = 255

HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Any unique string per attempt (at most 255 characters); a retry with the same "
    "key and body gets the first answer again.",
)


def _replay(stored: dict, fingerprint: str) -> Response:
    """The answer a retried request gets: the first one, if the request is the same."""
    if stored.get("fingerprint") != fingerprint:
        return Response(
            error_body(
                "idempotency_key_reused", "This Idempotency-Key was used for a different request."
            ),
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if "status" not in stored:
        return Response(
            error_body("request_in_progress", "The first request is still running."),
            status=status.HTTP_409_CONFLICT,
        )
    return Response(stored["body"], status=stored["status"])


def idempotent(kind: str):
    """Make a view's `post(self, request, ...)` answer a repeated Idempotency-Key once."""

    def decorate(post):
        @functools.wraps(post)
        def wrapper(view, request, *args, **kwargs):
            key = request.headers.get("Idempotency-Key", "")
            if not key:
                return post(view, request, *args, **kwargs)
            if len(key) > KEY_MAX_LENGTH:
                return Response(
                    error_body("bad_idempotency_key", "The Idempotency-Key is too long."),
                    status=status.HTTP_400_BAD_REQUEST,
                )
            digest = hashlib.sha256(key.encode()).hexdigest()
            cache_key = f"wnh:idempotency:{kind}:{request.user.pk}:{digest}"
            body = json.dumps(request.data, sort_keys=True, default=str).encode()
            fingerprint = hashlib.sha256(body + request.path.encode()).hexdigest()
            # cache.add is set-if-absent: of two requests with one key, one acts, one waits.
            # The in-progress mark expires soon: if this process dies mid-request, a retry
            # after that gets a fresh try instead of "in progress" for a day.
            if not cache.add(cache_key, {"fingerprint": fingerprint}, PENDING_TTL_SECONDS):
                return _replay(cache.get(cache_key) or {}, fingerprint)
            try:
                response = post(view, request, *args, **kwargs)
            except Exception:
                cache.delete(cache_key)  # nothing was decided: let a retry try again
                raise
            if response.status_code >= 500:  # busy: a retry with the same key tries again
                cache.delete(cache_key)
            else:
                stored = {"status": response.status_code, "body": response.data}
                cache.set(cache_key, {"fingerprint": fingerprint, **stored}, TTL_SECONDS)
            return response

        return wrapper

    return decorate
