"""JSON API of a person's own seat bookings: book, list, cancel.

Refusals answer with the domain error's HTTP status (409 for a conflict such as a seat just
taken, 400 for a day outside the window) and its `code`, so a client can act on it.

Booking takes an `Idempotency-Key` header: a phone on a bad connection that sends the same
request again gets the first answer again (the same 201 and booking), not "already booked".
The answer is kept in the cache (Redis in deployment, shared by every web process) for a day.
"""

import hashlib
import json

from django.core.cache import cache
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.core import selectors, services
from bookings.core.errors import NotYourBooking
from bookings.core.selectors import upcoming_bookings
from bookings.models import SeatBooking
from wnh.errors import DomainError
from wnh.ids import MAX_ID


def refusal(error: DomainError) -> Response:
    return Response({"code": error.code, "detail": str(error.message)}, status=error.status)


class BookingSerializer(serializers.ModelSerializer):
    centre = serializers.CharField(source="seat.pod.centre.slug")
    pod = serializers.CharField(source="seat.pod.code")
    seat = serializers.CharField(source="seat.label")

    class Meta:
        model = SeatBooking
        fields = ["id", "day", "centre", "pod", "seat", "status"]


class BookInputSerializer(serializers.Serializer):
    centre = serializers.SlugField(max_length=200)
    day = serializers.DateField()
    seat = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A seat id; leave out for any."
    )


IDEMPOTENCY_TTL = 24 * 3600
IDEMPOTENCY_PENDING_TTL = 60
IDEMPOTENCY_KEY_MAX_LENGTH = 255


def replay(stored: dict, fingerprint: str) -> Response:
    """The answer a retried request gets: the first one, if the request is the same."""
    if stored.get("fingerprint") != fingerprint:
        return Response(
            {
                "code": "idempotency_key_reused",
                "detail": "This Idempotency-Key was used for a different request.",
            },
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    if "status" not in stored:
        return Response(
            {"code": "request_in_progress", "detail": "The first request is still running."},
            status=status.HTTP_409_CONFLICT,
        )
    return Response(stored["body"], status=stored["status"])


class MyBookings(generics.ListAPIView):
    """My upcoming bookings (GET), or book a seat (POST)."""

    serializer_class = BookingSerializer
    extra_error_answers = {"POST": [422]}  # an Idempotency-Key reused for another body

    def get_queryset(self):
        return upcoming_bookings(user=self.request.user, today=timezone.localdate())

    @extend_schema(
        request=BookInputSerializer,
        responses={201: BookingSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Any unique string per booking attempt; a retry with the same "
                "key and body gets the first answer again.",
            )
        ],
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key", "")
        if not key:
            return self.book(request)
        if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
            return Response(
                {"code": "bad_idempotency_key", "detail": "The Idempotency-Key is too long."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        digest = hashlib.sha256(key.encode()).hexdigest()
        cache_key = f"wnh:idempotency:booking:{request.user.pk}:{digest}"
        body = hashlib.sha256(json.dumps(request.data, sort_keys=True, default=str).encode())
        fingerprint = body.hexdigest()
        # cache.add is set-if-absent: of two requests with one key, one books, one waits.
        # The in-progress mark expires soon: if this process dies mid-request, a retry
        # after that gets a fresh try instead of "in progress" for a day.
        if not cache.add(cache_key, {"fingerprint": fingerprint}, IDEMPOTENCY_PENDING_TTL):
            return replay(cache.get(cache_key) or {}, fingerprint)
        try:
            response = self.book(request)
        except Exception:
            cache.delete(cache_key)  # nothing was decided: let a retry try again
            raise
        if response.status_code >= 500:  # busy: a retry with the same key should try again
            cache.delete(cache_key)
        else:
            cache.set(
                cache_key,
                {"fingerprint": fingerprint, "status": response.status_code, "body": response.data},
                IDEMPOTENCY_TTL,
            )
        return response

    def book(self, request):
        data = BookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slug, day = data.validated_data["centre"], data.validated_data["day"]
        try:
            if "seat" in data.validated_data:
                seat = selectors.seat_for_booking(
                    seat_id=data.validated_data["seat"], slug=slug, day=day
                )
                if seat is None:
                    raise Http404("No such seat at that centre.")
                booking = services.book_seat(user=request.user, seat=seat, day=day)
            else:
                centre = selectors.centre_for_booking(slug=slug, day=day)
                if centre is None:
                    raise Http404("No such centre.")
                booking = services.book_any_seat(user=request.user, centre=centre, day=day)
        except DomainError as error:
            return refusal(error)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class CancelBooking(APIView):
    @extend_schema(request=None, responses=BookingSerializer)
    def post(self, request, booking_id: int):
        booking = SeatBooking.objects.filter(pk=booking_id).first()
        try:
            if booking is None:
                raise NotYourBooking()
            booking = services.cancel_booking(booking=booking, by=request.user)
        except DomainError as error:
            return refusal(error)
        return Response(BookingSerializer(booking).data)
