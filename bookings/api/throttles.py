"""The API's throttles, on the shared cache (Redis in production, so every web process counts
together): a person, whichever way they signed in; each of their tokens on its own, so one
runaway integration cannot spend the person's whole budget; and an address without a sign-in
(behind WNH_TRUSTED_PROXY_COUNT proxies, the client's own address). Past a rate the answer is
429 with Retry-After, in the API's one error shape.

The rates are settings read at each request (API_RATE_PER_PERSON, _PER_TOKEN, _ANONYMOUS), so
a deployment tunes them from the environment and a test from `settings`.

On Redis a throttle is one round trip: a script that keeps the times of the requests let
through in the last period (a sorted set) and adds this one if there is room, atomically, so
two web processes cannot both let the last allowed request through. DRF's own throttle reads
the whole list and writes it back (two round trips, and a race); it remains for a cache that
is not Redis (the newcomer's laptop)."""

import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import SimpleRateThrottle

from companies.models import ApiToken

logger = logging.getLogger(__name__)


# KEYS[1]: the set; ARGV: now, the period in seconds, the requests allowed in it, a member.
# Answers {1, 0} when the request may go, else {0, the oldest time in the period} (a string:
# Redis turns a Lua number into an integer).
_LET_THROUGH = """
local key, now, period = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
if redis.call('ZCARD', key) >= tonumber(ARGV[3]) then
  return {0, redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]}
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('EXPIRE', key, math.ceil(period))
return {1, 0}
"""
_scripts: dict = {}  # the script, on one kept client, per connection pool of the cache


def _script():
    """The throttle script on the cache's Redis, or None when the cache is not Redis. Django
    makes a client object for each cache call (about 0.1 ms of CPU each): one is kept."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    pool = backend._cache._get_connection_pool(write=True)
    script = _scripts.get(pool)
    if script is None:
        client = backend._cache.get_client(write=True)
        script = _scripts[pool] = client.register_script(_LET_THROUGH)
    return script


class _RateFromSettings(SimpleRateThrottle):
    setting = ""

    def get_rate(self):
        return getattr(settings, self.setting)

    def allow_request(self, request, view):
        """A cache that does not answer lets the request through: while Redis is down the
        portal books without its rates (as it keeps sessions in the database) rather than
        refusing everyone."""
        try:
            script = _script()
            if script is None:
                return super().allow_request(request, view)
            return self._let_through(script, request, view)
        except Exception:  # noqa: BLE001 - whatever the cache client raises
            logger.warning("API throttle skipped: the cache does not answer", exc_info=True)
            return True

    def _let_through(self, script, request, view) -> bool:
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        allowed, oldest = script(
            keys=[f"wnh:{key}"],
            args=[repr(self.now), self.duration, self.num_requests, uuid.uuid4().hex],
        )
        self.oldest = None if allowed else float(oldest)
        return bool(allowed)

    def wait(self):
        """Refused: until the oldest request of the period leaves it."""
        if getattr(self, "oldest", None) is None:
            return super().wait()
        return max(self.duration - (self.now - self.oldest), 0.0)


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
