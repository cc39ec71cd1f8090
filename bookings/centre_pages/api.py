"""JSON API of centres: open centres near a point with free seats for a day (/api/centres/)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.core.days import search_window
from bookings.core.selectors import open_centres_near
from centres.selectors import COMMUTE_RADII_KM, MAX_PAGE


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
    slug = serializers.CharField(source="centre.slug")
    name = serializers.CharField(source="centre.name")
    district = serializers.CharField(source="centre.district")
    latitude = serializers.DecimalField(source="centre.latitude", max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(source="centre.longitude", max_digits=9, decimal_places=6)
    distance_km = serializers.FloatField(allow_null=True)
    free_seats = serializers.IntegerField()
    bookable = serializers.BooleanField()


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
        found = open_centres_near(
            day=data.get("day", timezone.localdate()),
            user=user,
            latitude=latitude,
            longitude=longitude,
            radius_km=data.get("radius"),
            page=data.get("page", 1),
        )
        response = Response(NearbyCentreSerializer(found.rows, many=True).data)
        if found.has_more:
            query = request.query_params.copy()
            query["page"] = found.page + 1
            next_url = request.build_absolute_uri("?" + query.urlencode())
            response["Link"] = f'<{next_url}>; rel="next"'
        return response
