"""Centres: open centres near a point with free seats for a day, a centre with its pods, and
its seat map for a day as data. The same selectors as the pages (bookings.core.selectors)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.core.days import bookable_days, booking_window, next_open_day, search_window
from bookings.core.selectors import open_centres_near, seat_map
from centres.models import Centre
from centres.selectors import COMMUTE_RADII_KM, MAX_PAGE
from wnh.audit import reads_only


class NearQuerySerializer(serializers.Serializer):
    latitude = serializers.FloatField(required=False, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, min_value=-180, max_value=180)
    day = serializers.DateField(required=False)
    radius = serializers.ChoiceField(choices=COMMUTE_RADII_KM, required=False)
    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def validate_day(self, day):
        first, last = search_window()
        if not first <= day <= last:
            raise serializers.ValidationError("Pick a day from today to a year ahead.")
        return day

    def validate(self, data):
        if ("latitude" in data) != ("longitude" in data):
            raise serializers.ValidationError("Give both latitude and longitude, or neither.")
        return data


class NearbyCentreSerializer(serializers.Serializer):
    day = serializers.SerializerMethodField(help_text="The day the free seats are counted for.")
    slug = serializers.CharField(source="centre.slug")
    name = serializers.CharField(source="centre.name")
    district = serializers.CharField(source="centre.district")
    latitude = serializers.DecimalField(source="centre.latitude", max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(source="centre.longitude", max_digits=9, decimal_places=6)
    distance_km = serializers.FloatField(allow_null=True)
    free_seats = serializers.IntegerField()
    bookable = serializers.BooleanField()

    @extend_schema_field(OpenApiTypes.DATE)
    def get_day(self, row) -> str:
        return self.context["day"].isoformat()


def nearby_rows(rows, day) -> list[dict]:
    """What NearbyCentreSerializer gives (it documents the answer), written out: the rush's
    answer, ten rows a request, without a serializer's field-by-field work."""
    iso = day.isoformat()
    return [
        {
            "day": iso,
            "slug": row.centre.slug,
            "name": row.centre.name,
            "district": row.centre.district,
            "latitude": f"{row.centre.latitude:.6f}",
            "longitude": f"{row.centre.longitude:.6f}",
            "distance_km": row.distance_km,
            "free_seats": row.free_seats,
            "bookable": row.bookable,
        }
        for row in rows
    ]


@reads_only
class NearbyCentres(APIView):
    """Open centres nearest first (from the point given, else from the person's home), a
    page at a time: without a radius the first page is the centres within a commute, and a
    `Link: <...>; rel="next"` header points to the next page when there are more."""

    @extend_schema(parameters=[NearQuerySerializer], responses=NearbyCentreSerializer(many=True))
    def get(self, request):
        query = NearQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data, user = query.validated_data, request.user
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if latitude is None and user.has_home:
            latitude, longitude = float(user.home_latitude), float(user.home_longitude)
        # As the page: not today once every centre has closed, the next day one opens.
        day = data.get("day") or next_open_day()
        found = open_centres_near(
            day=day,
            user=user,
            latitude=latitude,
            longitude=longitude,
            radius_km=data.get("radius"),
            page=data.get("page", 1),
        )
        response = Response(nearby_rows(found.rows, day))
        if found.has_more:
            query = request.query_params.copy()
            query["page"] = found.page + 1
            next_url = request.build_absolute_uri("?" + query.urlencode())
            response["Link"] = f'<{next_url}>; rel="next"'
        return response


class DayQuerySerializer(serializers.Serializer):
    day = serializers.DateField(
        required=False, help_text="Default: the first day it takes bookings."
    )


class PodSerializer(serializers.Serializer):
    code = serializers.CharField()
    capacity = serializers.IntegerField()


class CentreSerializer(serializers.ModelSerializer):
    pods = serializers.SerializerMethodField()
    bookable_days = serializers.SerializerMethodField()

    class Meta:
        model = Centre
        fields = [
            "slug",
            "name",
            "name_ml",
            "district",
            "local_body",
            "address",
            "pin_code",
            "latitude",
            "longitude",
            "status",
            "pods",
            "bookable_days",
        ]

    def get_pods(self, centre) -> list[dict]:
        pods = centre.pods.filter(is_active=True).order_by("code")
        return PodSerializer(pods, many=True).data

    def get_bookable_days(self, centre) -> list[str]:
        return [day.isoformat() for day in bookable_days(centre=centre)]


def _centre(slug: str) -> Centre:
    centre = Centre.objects.filter(slug=slug).first()
    if centre is None:
        raise Http404("No such centre.")
    return centre


class CentreDetail(APIView):
    """A centre with its pods and the days it takes bookings now: anyone may ask."""

    permission_classes = [AllowAny]

    @extend_schema(responses=CentreSerializer)
    def get(self, request, slug: str):
        return Response(CentreSerializer(_centre(slug)).data)


class SeatOnMapSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="seat.pk")
    label = serializers.CharField(source="seat.label")
    state = serializers.ChoiceField(choices=["free", "taken", "yours", "reserved"])


class PodOnMapSerializer(serializers.Serializer):
    code = serializers.CharField(source="pod.code")
    reserved = serializers.BooleanField()
    members_only = serializers.BooleanField(help_text="Reserved for a company of yours.")
    free_seats = serializers.IntegerField(source="free_count")
    seats = SeatOnMapSerializer(many=True)


class SeatMapSerializer(serializers.Serializer):
    centre = serializers.CharField(source="centre.slug")
    day = serializers.DateField()
    bookable = serializers.BooleanField()
    free_seats = serializers.IntegerField(source="free_count")
    your_booking = serializers.IntegerField(source="your_booking.pk", allow_null=True)
    pods = PodOnMapSerializer(many=True)


class CentreSeatMap(APIView):
    """A centre's seats on a day, each free, taken, yours or reserved (for a company that is
    not yours), as the seat map page shows them."""

    @extend_schema(parameters=[DayQuerySerializer], responses=SeatMapSerializer)
    def get(self, request, slug: str):
        centre = _centre(slug)
        if not centre.is_open:
            raise Http404("This centre is not open: it has no seat map.")
        query = DayQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        open_days = bookable_days(centre=centre)
        first, last = booking_window(centre)
        day = query.validated_data.get("day") or (open_days[0] if open_days else first)
        if not first <= day <= last:
            raise serializers.ValidationError(
                {"day": [f"Pick a day in this centre's booking window, {first} to {last}."]}
            )
        the_map = seat_map(centre=centre, day=day, user=request.user)
        the_map.bookable = day in open_days
        if (
            the_map.your_booking is not None
            and the_map.your_booking.seat.pod.centre_id != centre.pk
        ):
            the_map.your_booking = None  # theirs elsewhere: not this map's business
        return Response(SeatMapSerializer(the_map).data)
