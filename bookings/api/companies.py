"""A company through the API: my companies; for its admins (or a company token) its members,
invitations, pod reservations (search, request, list, give up days), seats for members in
its pods, its monthly statement (JSON or CSV). Its tokens and webhook endpoints, for its
admins in person: bookings/api/company_admin.py.

Every view asks the same rules as the company pages: `membership_for` says who is a member
or an admin (404 for a stranger, 403 for a plain member), the core's services do every write,
and the company forms check every input (a form's errors answer 400 in the API's shape). A
company token reaches these views only (bookings.api.auth.TokenScope): `company_scopes`
says which scope each method needs.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.datastructures import MultiValueDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api.idempotency import HEADER, idempotent
from bookings.core import reservations as pod_reservations
from bookings.core import services, statements
from bookings.models import MAX_RESERVATION_DAYS, PodReservation
from companies import selectors
from companies import services as company_services
from companies.forms import (
    AssignSeatForm,
    CancelReservationForm,
    InviteForm,
    ReservationRequestForm,
    ReservationSearchForm,
)
from companies.models import ApiToken, Company, Membership
from wnh import weekdays
from wnh.params import MonthForm

READ, BOOK, RESERVE = ApiToken.Scope.READ, ApiToken.Scope.BOOK, ApiToken.Scope.RESERVE


def company_for(request, slug: str, *, admin: bool = True) -> Company:
    """The company `slug` if the caller may act for it (a member; `admin`: an admin)."""
    return selectors.membership_for(user=request.user, slug=slug, admin=admin).company


def checked(form):
    """The form's cleaned data, or a 400 naming each field's errors."""
    if not form.is_valid():
        raise exceptions.ValidationError(
            {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        )
    return form.cleaned_data


def form_data(data) -> MultiValueDict:
    """A JSON body as a form's data: a list is a field's several values, ids become text."""
    if not isinstance(data, dict):
        raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
    values = MultiValueDict()
    for key, value in data.items():
        items = value if isinstance(value, list) else [value]
        values.setlist(key, ["" if item is None else str(item) for item in items])
    return values


# -- my companies -----------------------------------------------------------------------------


class CompanySerializer(serializers.Serializer):
    slug = serializers.CharField(source="company.slug")
    name = serializers.CharField(source="company.name")
    status = serializers.CharField(source="company.status")
    role = serializers.CharField()


class MyCompanies(APIView):
    """The companies I belong to, with my role; a company token sees its own company."""

    company_scopes = {"GET": READ}
    pagination_class = None

    @extend_schema(responses=CompanySerializer(many=True))
    def get(self, request):
        memberships = selectors.memberships_of(request.user)
        if isinstance(request.auth, ApiToken) and request.auth.company_id:
            memberships = memberships.filter(company_id=request.auth.company_id)
        return Response(CompanySerializer(memberships, many=True).data)


# -- members and invitations ------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.get_full_name")

    class Meta:
        model = Membership
        fields = ["id", "email", "name", "role", "created_at"]


class Members(generics.ListAPIView):
    """The company's members, a page at a time (its admins only)."""

    company_scopes = {"GET": READ}
    serializer_class = MemberSerializer

    def get_queryset(self):
        company = company_for(self.request, self.kwargs["slug"])
        return company.memberships.select_related("user").order_by("user__email", "pk")


class Member(APIView):
    """Remove a member: their bookings in the company's pods from today on are cancelled."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, slug: str, membership_id: int):
        company = company_for(request, slug)
        removed = get_object_or_404(company.memberships.select_related("user"), pk=membership_id)
        services.remove_member(company=company, user=removed.user, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Membership.Role.choices, default="member")
    created_at = serializers.DateTimeField(read_only=True)


class Invitations(APIView):
    """Invite someone by email (an expiring link in the mail; its token never in the answer)."""

    extra_error_answers = {"POST": [422]}

    @extend_schema(request=InvitationSerializer, responses={201: InvitationSerializer})
    @extend_schema(parameters=[HEADER])
    @idempotent("invitation")
    def post(self, request, slug: str):
        company = company_for(request, slug)
        data = checked(InviteForm(form_data(request.data)))
        invitation = company_services.invite_member(
            company=company, email=data["email"], role=data["role"], invited_by=request.user
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


# -- pod reservations ---------------------------------------------------------------------------


class ReservationSerializer(serializers.ModelSerializer):
    centre = serializers.CharField(source="pod.centre.slug")
    pod = serializers.CharField(source="pod.code")
    pod_id = serializers.IntegerField(source="pod.pk")
    weekdays = serializers.SerializerMethodField()

    class Meta:
        model = PodReservation
        fields = ["id", "centre", "pod", "pod_id", "first_day", "last_day", "weekdays", "status"]

    def get_weekdays(self, reservation) -> list[int]:
        """Monday is 0."""
        return weekdays.weekdays_of(reservation.weekdays)


class ReservationInputSerializer(serializers.Serializer):
    centre = serializers.IntegerField(help_text="The centre's id.")
    pod = serializers.IntegerField(help_text="The pod's id (from the free-pod search).")
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    weekdays = serializers.ListField(child=serializers.IntegerField(), help_text="Monday is 0.")


class Reservations(generics.ListAPIView):
    """The company's pod reservations, newest first (GET); ask for a pod (POST): confirmed
    at once where the centre allows it, else waiting for K-DISC."""

    company_scopes = {"GET": READ, "POST": RESERVE}
    extra_error_answers = {"POST": [422]}
    serializer_class = ReservationSerializer

    def get_queryset(self):
        company = company_for(self.request, self.kwargs["slug"])
        return company.pod_reservations.select_related("pod__centre").order_by(
            "-first_day", "-created_at", "-pk"
        )

    @extend_schema(request=ReservationInputSerializer, responses={201: ReservationSerializer})
    @extend_schema(parameters=[HEADER])
    @idempotent("reservation")
    def post(self, request, slug: str):
        company = company_for(request, slug)
        form = ReservationRequestForm(form_data(request.data), max_days=MAX_RESERVATION_DAYS)
        data = checked(form)
        reservation = pod_reservations.request_pod_reservation(
            company=company,
            pod=data["pod"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            weekday_mask=data["weekdays"],
            requested_by=request.user,
        )
        return Response(ReservationSerializer(reservation).data, status=status.HTTP_201_CREATED)


class FreePodSerializer(serializers.Serializer):
    pod = serializers.CharField(source="pod.code")
    pod_id = serializers.IntegerField(source="pod.pk")
    capacity = serializers.IntegerField(source="pod.capacity")
    free = serializers.BooleanField(source="is_free")
    taken_days = serializers.SerializerMethodField()

    def get_taken_days(self, availability) -> dict[str, str]:
        """The days it is not free, and why: reserved or occupied."""
        return {day.isoformat(): why for day, why in availability.conflicts.items()}


class FreePods(APIView):
    """The pods of a centre over a range of days and weekdays, and which days each is not
    free (?centre=<id>&first_day=&last_day=&weekdays=0&weekdays=1...&size=)."""

    company_scopes = {"GET": READ}

    @extend_schema(
        parameters=[
            OpenApiParameter("centre", int, required=True),
            OpenApiParameter("first_day", OpenApiTypes.DATE, required=True),
            OpenApiParameter("last_day", OpenApiTypes.DATE, required=True),
            OpenApiParameter("weekdays", int, many=True, required=True),
            OpenApiParameter("size", int),
        ],
        responses=FreePodSerializer(many=True),
    )
    def get(self, request, slug: str):
        company = company_for(request, slug)
        search = ReservationSearchForm(request.query_params, max_days=MAX_RESERVATION_DAYS)
        data = checked(search)
        _days, pods = pod_reservations.free_pods_for_range(
            centre=data["centre"],
            company=company,
            first_day=data["first_day"],
            last_day=data["last_day"],
            weekday_mask=data["weekdays"],
            min_capacity=data.get("size"),
            pod=data.get("pod"),
        )
        return Response(FreePodSerializer(pods, many=True).data)


class CancelDaysSerializer(serializers.Serializer):
    from_day = serializers.DateField(help_text="The first day to give up.")


class CancelReservation(APIView):
    """Give up a reservation's days from `from_day` on (days begun stay reserved and billed)."""

    company_scopes = {"POST": RESERVE}

    @extend_schema(request=CancelDaysSerializer, responses=ReservationSerializer)
    def post(self, request, slug: str, reservation_id: int):
        company = company_for(request, slug)
        reservation = get_object_or_404(PodReservation, pk=reservation_id, company=company)
        data = checked(CancelReservationForm(form_data(request.data)))
        reservation = pod_reservations.cancel_pod_reservation(
            reservation=reservation, by=request.user, from_day=data["from_day"]
        )
        return Response(ReservationSerializer(reservation).data)


# -- seats for members in the company's pods ----------------------------------------------------


class AssignmentInputSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="The membership's id (from the members list).")
    seat = serializers.IntegerField(help_text="A seat in a pod the company has reserved.")
    first_day = serializers.DateField()
    last_day = serializers.DateField()


class AssignedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    day = serializers.DateField()
    seat = serializers.CharField(source="seat.label")


class SeatAssignments(APIView):
    """Book a member onto a seat of a reserved pod on every day from first to last that the
    pod is the company's; all or nothing."""

    company_scopes = {"POST": BOOK}
    extra_error_answers = {"POST": [422]}

    @extend_schema(
        request=AssignmentInputSerializer, responses={201: AssignedSerializer(many=True)}
    )
    @extend_schema(parameters=[HEADER])
    @idempotent("seat-assignment")
    def post(self, request, slug: str):
        company = company_for(request, slug)
        data = checked(AssignSeatForm(form_data(request.data), company=company))
        booked = pod_reservations.assign_seats(
            company=company,
            member=data["member"].user,
            seat=data["seat"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            by=request.user,
        )
        return Response(AssignedSerializer(booked, many=True).data, status=status.HTTP_201_CREATED)


# -- the monthly statement ------------------------------------------------------------------------


class StatementLineSerializer(serializers.Serializer):
    centre = serializers.CharField(source="centre_name")
    seat_day_rate = serializers.DecimalField(max_digits=10, decimal_places=2)
    pod_seat_day_rate = serializers.DecimalField(max_digits=10, decimal_places=2)
    pod_days = serializers.IntegerField()
    pod_seat_days = serializers.IntegerField()
    pod_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    seats_used_in_pods = serializers.IntegerField()
    no_shows_in_pods = serializers.IntegerField()
    seat_days = serializers.IntegerField()
    seat_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)


class StatementSerializer(serializers.Serializer):
    month = serializers.DateField()
    lines = StatementLineSerializer(many=True)
    pod_days = serializers.IntegerField()
    seat_days = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)


class CompanyStatement(APIView):
    """The company's statement for a month (?month=YYYY-MM, default this month), in JSON, or
    as the same CSV the statement page offers with ?as=csv."""

    company_scopes = {"GET": READ}

    @extend_schema(
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM"),
            OpenApiParameter("as", str, enum=["json", "csv"]),
        ],
        responses=StatementSerializer,
    )
    def get(self, request, slug: str):
        company = company_for(request, slug)
        month = checked(MonthForm(request.query_params))["month"]
        statement = statements.monthly_statement(company=company, month=month)
        if request.query_params.get("as", "json") == "csv":
            body = statements.statement_csv(statement)
            response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="{company.slug}-{month:%Y-%m}-statement.csv"'
            )
            return response
        if request.query_params.get("as", "json") != "json":
            raise exceptions.ValidationError({"as": ["Ask for json or csv."]})
        return Response(StatementSerializer(statement).data)
