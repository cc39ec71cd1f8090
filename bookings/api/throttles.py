"""The API's throttles, on the shared cache (Redis in production, so every web process counts
together): a person, whichever way they signed in; each of their tokens on its own, so one
runaway integration cannot spend the person's whole budget; and an address without a sign-in
(behind WNH_TRUSTED_PROXY_COUNT proxies, the client's own address). Past a rate the answer is
429 with Retry-After, in the API's one error shape.

The rates are settings read at each request (API_RATE_PER_PERSON, _PER_TOKEN, _ANONYMOUS), so
a deployment tunes them from the environment and a test from `settings`."""

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from companies.models import ApiToken

logger = logging.getLogger(__name__)


class _RateFromSettings(SimpleRateThrottle):
    setting = ""

    def get_rate(self):
        return getattr(settings, self.setting)

    def allow_request(self, request, view):
        """A cache that does not answer lets the request through: while Redis is down the
        portal books without its rates (as it keeps sessions in the database) rather than
        refusing everyone."""
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - whatever the cache client raises
            logger.warning("API throttle skipped: the cache does not answer", exc_info=True)
            return True


class PerPerson(_RateFromSettings):
    scope = "person"
    setting = "API_RATE_PER_PERSON"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class PerToken(_RateFromSettings):
    scope = "token"
    setting = "API_RATE_PER_TOKEN"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.token_key}


class PerAddress(_RateFromSettings):
    scope = "anonymous"
    setting = "API_RATE_ANONYMOUS"

    def get_cache_key(self, request, view):
        if request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
