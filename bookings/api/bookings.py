"""A person's own seat bookings: list, book one day or several, cancel.

Refusals answer with the rule's HTTP status (409 for a conflict such as a seat just taken,
400 for a day outside the window) and its `code`, so a client can act on it. Every create
takes an Idempotency-Key (bookings.api.idempotency).
"""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, pagination, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api.idempotency import HEADER, idempotent
from bookings.core import selectors, services
from bookings.core.selectors import upcoming_bookings
from bookings.models import SeatBooking
from wnh.errors import DomainError, error_body
from wnh.ids import MAX_ID

# "Book several days": at most the days of a booking window's month of weekdays.
MAX_DAYS_AT_ONCE = 31


def refusal(error: DomainError) -> Response:
    return Response(error_body(error.code, error.message), status=error.status)


class BookingSerializer(serializers.ModelSerializer):
    centre = serializers.CharField(source="seat.pod.centre.slug")
    pod = serializers.CharField(source="seat.pod.code")
    seat = serializers.CharField(source="seat.label")
    seat_id = serializers.IntegerField(source="seat.pk")

    class Meta:
        model = SeatBooking
        fields = ["id", "day", "centre", "pod", "seat", "seat_id", "status"]


def booking_row(booking: SeatBooking) -> dict:
    """BookingSerializer's output written out: a ModelSerializer builds its fields anew for
    each object, and the booking's answer is on the rush's path. A test proves the two give
    the same JSON (tests/bookings/api/test_bookings.py)."""
    seat = booking.seat
    return {
        "id": booking.pk,
        "day": booking.day.isoformat(),
        "centre": seat.pod.centre.slug,
        "pod": seat.pod.code,
        "seat": seat.label,
        "seat_id": seat.pk,
        "status": str(booking.status),
    }


class BookInputSerializer(serializers.Serializer):
    centre = serializers.SlugField(max_length=200)
    day = serializers.DateField()
    seat = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A seat id; leave out for any."
    )


class BookDaysInputSerializer(serializers.Serializer):
    centre = serializers.SlugField(max_length=200)
    days = serializers.ListField(
        child=serializers.DateField(), min_length=1, max_length=MAX_DAYS_AT_ONCE
    )
    seat = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A seat id; leave out for any."
    )


class DayOutcomeSerializer(serializers.Serializer):
    day = serializers.DateField()
    booking = BookingSerializer(allow_null=True)
    code = serializers.CharField(allow_null=True, help_text="Why the day was not booked.")
    detail = serializers.CharField(allow_null=True)


def _centre_and_seat(*, slug: str, seat_id: int | None, day):
    """The centre (and the chosen seat) a booking starts from, or 404."""
    if seat_id is not None:
        seat = selectors.seat_for_booking(seat_id=seat_id, slug=slug, day=day)
        if seat is None:
            raise Http404("No such seat at that centre.")
        return seat.pod.centre, seat
    centre = selectors.centre_for_booking(slug=slug, day=day)
    if centre is None:
        raise Http404("No such centre.")
    return centre, None


class UpcomingCursor(pagination.CursorPagination):
    """Pages of upcoming bookings, soonest first, that hold still while bookings come and go."""

    ordering = ("day", "id")
    page_size = 50


class MyBookings(generics.ListAPIView):
    """My upcoming bookings (GET), or book a seat for a day (POST): a chosen seat, or any."""

    serializer_class = BookingSerializer
    extra_error_answers = {"POST": [422]}  # an Idempotency-Key reused for another body

    def get_queryset(self):
        return upcoming_bookings(user=self.request.user, today=timezone.localdate())

    @extend_schema(
        request=BookInputSerializer, responses={201: BookingSerializer}, parameters=[HEADER]
    )
    @idempotent("booking")
    def post(self, request):
        return self.book(request)

    def book(self, request):
        data = BookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        day = data.validated_data["day"]
        centre, seat = _centre_and_seat(
            slug=data.validated_data["centre"], seat_id=data.validated_data.get("seat"), day=day
        )
        try:
            if seat is not None:
                booking = services.book_seat(user=request.user, seat=seat, day=day)
            else:
                booking = services.book_any_seat(user=request.user, centre=centre, day=day)
        except DomainError as error:
            return refusal(error)
        return Response(booking_row(booking), status=status.HTTP_201_CREATED)


class UpcomingBookingSerializer(BookingSerializer):
    """A booking in v1's cursor pages (its own name in the schema: the page's shape differs
    from the first version's numbered pages)."""


class MyBookingsV1(MyBookings):
    __doc__ = MyBookings.__doc__
    pagination_class = UpcomingCursor
    serializer_class = UpcomingBookingSerializer


class BookDays(APIView):
    """Book a seat at one centre on several days at once. Each day is booked or refused on
    its own (the others still go ahead): the answer lists each day with its booking or the
    reason, 201 when at least one day was booked."""

    extra_error_answers = {"POST": [422]}

    @extend_schema(
        request=BookDaysInputSerializer,
        responses={201: DayOutcomeSerializer(many=True), 409: DayOutcomeSerializer(many=True)},
        parameters=[HEADER],
    )
    @idempotent("booking-days")
    def post(self, request):
        data = BookDaysInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        days = data.validated_data["days"]
        centre, seat = _centre_and_seat(
            slug=data.validated_data["centre"], seat_id=data.validated_data.get("seat"), day=days[0]
        )
        outcomes = services.book_days(user=request.user, centre=centre, days=days, seat=seat)
        rows = [
            {
                "day": outcome.day,
                "booking": outcome.booking,
                "code": outcome.error.code if outcome.error else None,
                "detail": str(outcome.error.message) if outcome.error else None,
            }
            for outcome in outcomes
        ]
        booked = any(outcome.booking for outcome in outcomes)
        return Response(
            DayOutcomeSerializer(rows, many=True).data,
            status=status.HTTP_201_CREATED if booked else status.HTTP_409_CONFLICT,
        )


class CancelBooking(APIView):
    """Cancel one of my bookings (until the centre's cancellation deadline)."""

    @extend_schema(request=None, responses=BookingSerializer)
    def post(self, request, booking_id: int):
        try:
            booking = services.cancel_booking(booking=booking_id, by=request.user)
        except DomainError as error:
            return refusal(error)
        return Response(BookingSerializer(booking).data)
