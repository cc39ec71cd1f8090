"""`Authorization: Token wnh_...`: django-rest-knox finds the token by its first characters,
compares the SHA-512 digest in constant time, and refuses (and deletes) one past its expiry.
Here, on top: the time it was last used, written at most once a minute per token, so that a
busy integration does not write a row on every request."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication as KnoxTokenAuthentication

from companies.models import ApiToken

LAST_USED_EVERY = timedelta(minutes=1)


class TokenAuthentication(KnoxTokenAuthentication):
    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return user, token


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A personal API token: "Token wnh_..." (made on /me/tokens/ or by '
            "POST /api/v1/tokens/).",
        }
