"""A company's tokens and webhook endpoints through the API, for its admins in person (by
session or their personal token): no company token reaches these, since they hand out the
company's credentials. The same services as the profile's token page and the company's
webhook pages (bookings/api/tokens.py, companies.services)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.api.companies import checked, company_for, form_data
from bookings.api.idempotency import HEADER, idempotent
from bookings.api.tokens import TokenSerializer, company_tokens_of, create_token, revoke_token
from companies import services as company_services
from companies.forms import WebhookEndpointForm
from companies.models import ApiToken, WebhookDelivery, WebhookEndpoint

# -- the company's tokens -------------------------------------------------------------------------


class CompanyTokenSerializer(TokenSerializer):
    made_by = serializers.EmailField(source="user.email")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "scope", "made_by"]


class NewCompanyTokenInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scope = serializers.ChoiceField(choices=ApiToken.Scope.choices)
    days = serializers.IntegerField(min_value=1, max_value=365, default=90)


class NewCompanyTokenSerializer(CompanyTokenSerializer):
    token = serializers.CharField(help_text="The token itself: shown this once, never again.")

    class Meta(CompanyTokenSerializer.Meta):
        fields = [*CompanyTokenSerializer.Meta.fields, "token"]


class CompanyTokens(APIView):
    """The company's tokens (GET) or a new one with a scope (POST), for its admins in person:
    a company token does not make tokens."""

    extra_error_answers = {"POST": [409, 422]}

    @extend_schema(responses=CompanyTokenSerializer(many=True))
    def get(self, request, slug: str):
        company = company_for(request, slug)
        return Response(CompanyTokenSerializer(company_tokens_of(company), many=True).data)

    @extend_schema(
        request=NewCompanyTokenInputSerializer,
        responses={201: NewCompanyTokenSerializer},
        parameters=[HEADER],
    )
    @idempotent("company-token")
    def post(self, request, slug: str):
        company = company_for(request, slug)
        data = NewCompanyTokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row, token = create_token(user=request.user, company=company, **data.validated_data)
        row.token = token
        return Response(NewCompanyTokenSerializer(row).data, status=status.HTTP_201_CREATED)


class CompanyToken(APIView):
    """Revoke one of the company's tokens (any of its admins may)."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, slug: str, token_key: str):
        company = company_for(request, slug)
        if not revoke_token(user=request.user, token_key=token_key, company=company):
            raise Http404("No such token.")
        return Response(status=status.HTTP_204_NO_CONTENT)


# -- the company's webhooks -----------------------------------------------------------------------


class WebhookEndpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "event_types", "is_active", "disabled_at", "created_at"]


class NewWebhookEndpointSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(help_text="Signs every delivery: shown this once, never again.")

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookEndpointInputSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000)
    event_types = serializers.ListField(child=serializers.CharField(max_length=50))


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "event_id",
            "event_type",
            "status",
            "attempts",
            "response_code",
            "created_at",
            "delivered_at",
            "next_attempt_at",
        ]


def webhook_endpoint(request, slug: str, endpoint_id: int) -> WebhookEndpoint:
    company = company_for(request, slug)
    return get_object_or_404(company.webhook_endpoints.select_related("company"), pk=endpoint_id)


class WebhookEndpoints(APIView):
    """The company's webhook endpoints (GET), or a new one (POST: its signing secret is in
    this answer only). For the company's admins in person: no company token reaches them."""

    extra_error_answers = {"POST": [422]}

    @extend_schema(responses=WebhookEndpointSerializer(many=True))
    def get(self, request, slug: str):
        company = company_for(request, slug)
        endpoints = company.webhook_endpoints.order_by("created_at", "pk")
        return Response(WebhookEndpointSerializer(endpoints, many=True).data)

    @extend_schema(
        request=WebhookEndpointInputSerializer,
        responses={201: NewWebhookEndpointSerializer},
        parameters=[HEADER],
    )
    @idempotent("webhook-endpoint")
    def post(self, request, slug: str):
        company = company_for(request, slug)
        data = checked(WebhookEndpointForm(form_data(request.data)))
        endpoint = company_services.add_webhook_endpoint(
            company=company, url=data["url"], event_types=data["event_types"], by=request.user
        )
        return Response(NewWebhookEndpointSerializer(endpoint).data, status=status.HTTP_201_CREATED)


class WebhookEndpointDetail(APIView):
    """Stop sending to an endpoint: it and its delivery log go."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, slug: str, endpoint_id: int):
        endpoint = webhook_endpoint(request, slug, endpoint_id)
        company_services.delete_webhook_endpoint(endpoint=endpoint, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookTest(APIView):
    """Send the endpoint a `webhook.test` event now (202: it is on its way)."""

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    def post(self, request, slug: str, endpoint_id: int):
        endpoint = webhook_endpoint(request, slug, endpoint_id)
        delivery = company_services.send_test_webhook(endpoint=endpoint, by=request.user)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveries(generics.ListAPIView):
    """An endpoint's deliveries, newest first: what was sent, how it went."""

    serializer_class = WebhookDeliverySerializer

    def get_queryset(self):
        endpoint = webhook_endpoint(self.request, self.kwargs["slug"], self.kwargs["endpoint_id"])
        return endpoint.deliveries.order_by("-created_at", "-pk")
