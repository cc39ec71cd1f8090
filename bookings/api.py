"""JSON API of a person's own seat bookings: book, list, cancel.

Refusals answer with the domain error's HTTP status (409 for a conflict such as a seat just
taken, 400 for a day outside the window) and its `code`, so a client can act on it.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from centres.models import Centre, Seat
from wnh.errors import DomainError

from . import services
from .errors import NotYourBooking
from .models import SeatBooking
from .selectors import upcoming_bookings


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
    centre = serializers.SlugField()
    day = serializers.DateField()
    seat = serializers.IntegerField(required=False, help_text="A seat id; leave out for any.")


class MyBookings(generics.ListAPIView):
    """My upcoming bookings (GET), or book a seat (POST)."""

    serializer_class = BookingSerializer

    def get_queryset(self):
        return upcoming_bookings(user=self.request.user, today=timezone.localdate())

    @extend_schema(request=BookInputSerializer, responses={201: BookingSerializer})
    def post(self, request):
        data = BookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        centre = get_object_or_404(Centre, slug=data.validated_data["centre"])
        day = data.validated_data["day"]
        try:
            if "seat" in data.validated_data:
                seat = get_object_or_404(Seat, pk=data.validated_data["seat"], pod__centre=centre)
                booking = services.book_seat(user=request.user, seat=seat, day=day)
            else:
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
