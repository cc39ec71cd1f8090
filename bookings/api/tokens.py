"""API tokens: a person makes one with a name and an expiry, sees it once, and revokes it
(the row goes: the next request with it is refused at once). django-rest-knox makes the
secret and keeps its SHA-512 digest (bookings/api/auth.py checks it). A company admin makes
company tokens the same way, each with a scope (companies.ApiToken.Scope); any of the
company's admins sees and revokes them.

The services first, then the API (/api/v1/tokens/) and the profile page (/me/tokens/), which
both call them.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from bookings.api.idempotency import HEADER, idempotent
from companies.models import ApiToken, Company, Membership
from companies.selectors import memberships_of
from companies.services import ensure_admin
from wnh.errors import DomainError, error_body

DEFAULT_DAYS = 90


class TooManyTokens(DomainError):
    status = 409
    code = "too_many_tokens"
    message = gettext_lazy("There are as many API tokens here as there may be: revoke one first.")


def tokens_of(user: User):
    """A person's own tokens (not the company tokens they made)."""
    return ApiToken.objects.filter(user=user, company=None)


def company_tokens_of(company: Company):
    return ApiToken.objects.filter(company=company).select_related("user")


@transaction.atomic
def create_token(
    *,
    user: User,
    name: str,
    days: int = DEFAULT_DAYS,
    company: Company | None = None,
    scope: str = "",
) -> tuple[ApiToken, str]:
    """A new token valid for `days`: the row, and the token (shown once). With `company`, a
    company token of that scope, which only the company's admins may make."""
    if user.is_staff or user.is_superuser:
        raise StaffUseNoTokens()
    if company is None:
        User.objects.select_for_update().filter(pk=user.pk).first()  # one count at a time
        existing, limit, scope = tokens_of(user), settings.API_TOKENS_PER_PERSON, ""
    else:
        Company.objects.select_for_update().filter(pk=company.pk).first()
        ensure_admin(company=company, user=user)
        if scope not in ApiToken.Scope.values:
            raise UnknownScope()
        existing, limit = company_tokens_of(company), settings.API_TOKENS_PER_COMPANY
    if existing.count() >= limit:
        raise TooManyTokens()
    days = max(1, min(days, settings.API_TOKEN_MAX_DAYS))
    return ApiToken.objects.create(
        user=user, expiry=timedelta(days=days), name=name, company=company, scope=scope
    )


class StaffUseNoTokens(DomainError):
    status = 403
    code = "staff_use_no_tokens"
    message = gettext_lazy(
        "Staff accounts cannot have API tokens: staff powers need a second factor, which a "
        "token does not have."
    )


class UnknownScope(DomainError):
    status = 400
    code = "invalid"
    message = gettext_lazy("Choose a scope: read, book or reserve.")


def revoke_token(*, user: User, token_key: str, company: Company | None = None) -> bool:
    """Revoke `user`'s token (or, with `company`, the company's token, if `user` is one of
    its admins) that starts with `token_key`; False if there is none such."""
    if company is None:
        tokens = tokens_of(user)
    else:
        ensure_admin(company=company, user=user)
        tokens = company_tokens_of(company)
    deleted, _rows = tokens.filter(token_key=token_key).delete()
    return bool(deleted)


# -- the API ---------------------------------------------------------------------------------


class TokenSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="token_key", help_text="The token's first characters.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "created", "expiry", "last_used_at"]


class NewTokenInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(
        min_value=1, max_value=settings.API_TOKEN_MAX_DAYS, default=DEFAULT_DAYS
    )


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(help_text="The token itself: shown this once, never again.")

    class Meta(TokenSerializer.Meta):
        fields = [*TokenSerializer.Meta.fields, "token"]


class Tokens(APIView):
    """My API tokens (GET), or a new one (POST), whose answer is the only time it is shown."""

    extra_error_answers = {"POST": [409, 422]}

    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request):
        return Response(TokenSerializer(tokens_of(request.user), many=True).data)

    @extend_schema(
        request=NewTokenInputSerializer, responses={201: NewTokenSerializer}, parameters=[HEADER]
    )
    @idempotent("token")
    def post(self, request):
        data = NewTokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row, token = create_token(user=request.user, **data.validated_data)
        row.token = token
        return Response(NewTokenSerializer(row).data, status=status.HTTP_201_CREATED)


class Token(APIView):
    """Revoke one of my tokens (by its id, its first characters)."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, token_key: str):
        if not revoke_token(user=request.user, token_key=token_key):
            return Response(error_body("not_found", _("No such token.")), status=404)
        return Response(status=status.HTTP_204_NO_CONTENT)


# -- the profile page ------------------------------------------------------------------------


class NewTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “rostering tool”."),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"),
        coerce=int,
        initial=DEFAULT_DAYS,
        choices=[
            (30, gettext_lazy("30 days")),
            (90, gettext_lazy("90 days")),
            (365, gettext_lazy("a year")),
        ],
    )
    company = forms.ChoiceField(
        label=gettext_lazy("For"),
        required=False,
        help_text=gettext_lazy(
            "A company token is for an integration: it reaches only the company's endpoints."
        ),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("What a company token may do"),
        required=False,
        choices=[("", "—"), *ApiToken.Scope.choices],
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.companies = {company.slug: company for company in companies}
        self.fields["company"].choices = [
            ("", _("Me (a personal token)")),
            *((company.slug, company.name) for company in companies),
        ]
        if not companies:  # a person who administers no company makes personal tokens only
            del self.fields["company"], self.fields["scope"]

    def clean(self):
        data = super().clean()
        data["company"] = self.companies.get(data.get("company") or "")
        if data["company"] is None:
            data["scope"] = ""
        elif not data.get("scope"):
            self.add_error("scope", _("Choose what the company token may do."))
        return data


def _administered(user: User) -> list[Company]:
    return [
        membership.company
        for membership in memberships_of(user) & Membership.admins()
        if membership.company.status != Company.Status.SUSPENDED
    ]


@login_required
@require_http_methods(["GET", "POST"])
def tokens_page(request):
    companies = _administered(request.user)
    form = NewTokenForm(request.POST or None, companies=companies)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _row, new_token = create_token(user=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            form = NewTokenForm(companies=companies)  # a blank form for the next one
    status_code = 400 if request.method == "POST" and new_token is None else 200
    return render(
        request,
        "bookings/api_tokens.html",
        {
            "form": form,
            "tokens": tokens_of(request.user),
            "company_tokens": [(company, company_tokens_of(company)) for company in companies],
            "new_token": new_token,
        },
        status=status_code,
    )


@login_required
@require_POST
def revoke_page(request, token_key: str):
    company = next(
        (c for c in _administered(request.user) if c.slug == request.POST.get("company")), None
    )
    if revoke_token(user=request.user, token_key=token_key, company=company):
        messages.success(request, _("The token is revoked: it no longer works."))
    else:
        messages.error(request, _("There is no such token."))
    return redirect("api-tokens-page")
