"""My waitlist through the API: my places in line, join a full centre's line for a day, leave
it, and take a seat offered to me; and checking in at a centre with its entrance code. The
same services as the waitlist and check-in pages (bookings.core.waitlist, services)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api.bookings import BookingSerializer
from bookings.api.idempotency import HEADER, idempotent
from bookings.core import services, waitlist
from bookings.models import WaitlistEntry
from centres.models import Centre


class WaitlistEntrySerializer(serializers.ModelSerializer):
    centre = serializers.CharField(source="centre.slug")
    offered_seat = serializers.CharField(source="offered_seat.label", default=None)

    class Meta:
        model = WaitlistEntry
        fields = ["id", "centre", "day", "status", "offered_seat", "offer_expires_at"]


class JoinSerializer(serializers.Serializer):
    centre = serializers.SlugField(max_length=200)
    day = serializers.DateField()


class Waitlist(generics.ListAPIView):
    """My places in line from today on (GET); join a full centre's line for a day (POST): when
    a seat frees I am offered it, by email, for WNH_WAITLIST_OFFER_MINUTES."""

    serializer_class = WaitlistEntrySerializer
    extra_error_answers = {"POST": [422]}

    def get_queryset(self):
        return waitlist.waitlist_of(self.request.user, today=timezone.localdate())

    @extend_schema(
        request=JoinSerializer, responses={201: WaitlistEntrySerializer}, parameters=[HEADER]
    )
    @idempotent("waitlist")
    def post(self, request):
        data = JoinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        centre = get_object_or_404(Centre, slug=data.validated_data["centre"])
        entry = waitlist.join_waitlist(
            user=request.user, centre=centre, day=data.validated_data["day"]
        )
        return Response(WaitlistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


def _mine(request, entry_id: int) -> WaitlistEntry:
    return get_object_or_404(
        WaitlistEntry.objects.select_related("centre", "offered_seat__pod"),
        pk=entry_id,
        user=request.user,
    )


class WaitlistPlace(APIView):
    """Leave the line (an offer given up passes to the next person)."""

    @extend_schema(request=None, responses=WaitlistEntrySerializer)
    def delete(self, request, entry_id: int):
        entry = waitlist.leave_waitlist(entry=_mine(request, entry_id), user=request.user)
        return Response(WaitlistEntrySerializer(entry).data)


class AcceptOffer(APIView):
    """Take the seat offered to me, while the offer holds: the booking."""

    @extend_schema(request=None, responses={201: BookingSerializer})
    def post(self, request, entry_id: int):
        booking = waitlist.accept_offer(entry=_mine(request, entry_id), user=request.user)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class CodeSerializer(serializers.Serializer):
    code = serializers.RegexField(
        r"^[0-9]{6}$", help_text="The six digits the entrance screen shows."
    )


class CheckIn(APIView):
    """Check in at the centre, today, with the code its entrance screen shows now: the
    booking, checked in. Five wrong codes stop my tries for half an hour (429)."""

    extra_error_answers = {"POST": [429]}

    @extend_schema(request=CodeSerializer, responses=BookingSerializer)
    def post(self, request, slug: str):
        centre = get_object_or_404(Centre, slug=slug)
        data = CodeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.check_in_with_code(
            user=request.user, centre=centre, code=data.validated_data["code"]
        )
        return Response(BookingSerializer(booking).data)
