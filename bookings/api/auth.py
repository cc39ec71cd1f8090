"""`Authorization: Token wnh_...`: django-rest-knox finds the token by its first characters,
compares the SHA-512 digest in constant time, and refuses (and deletes) one past its expiry.
Here, on top: the time it was last used, written at most once a minute per token, so that a
busy integration does not write a row on every request."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from companies.models import ApiToken, Company

LAST_USED_EVERY = timedelta(minutes=1)


class TokenAuthentication(KnoxTokenAuthentication):
    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        if user.is_staff or user.is_superuser:
            # Staff powers need a second factor in the session; a token has none.
            raise exceptions.AuthenticationFailed(_("Staff accounts cannot use API tokens."))
        if token.company_id is not None and not _still_the_company_s(token):
            raise exceptions.AuthenticationFailed(
                _("This company token's maker is no longer an admin of an active company.")
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token


def _still_the_company_s(token: ApiToken) -> bool:
    company = token.company
    return company.status != Company.Status.SUSPENDED and company.has_admin(token.user)


class TokenScope(BasePermission):
    """What a company token may reach: its own company's endpoints only (a view says which
    scope each method needs in `company_scopes`, and its `slug` must be the token's company),
    within the token's scope. A person (a session or a personal token) passes: the views ask
    the rules who may do what. A company token is never its maker: my bookings, my tokens
    and booking a seat for oneself refuse it."""

    message = _("This company token does not reach here, or its scope does not allow it.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken) or token.company_id is None:
            return True
        needed = getattr(view, "company_scopes", {}).get(request.method)
        if needed is None:
            return False
        slug = view.kwargs.get("slug")
        if slug is not None and slug != token.company.slug:
            return False
        return token.allows(needed)


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'An API token: "Token wnh_...", personal or a company\'s (made on '
            "/me/tokens/, or by POST /api/v1/tokens/ and /api/v1/companies/{slug}/tokens/).",
        }
