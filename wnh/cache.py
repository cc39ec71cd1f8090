"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's RedisCacheClient makes a new `redis.Redis` for every get and set; each builds its
table of some 170 response callbacks, which cost about a tenth of a millisecond twice on
every page (the session, the cached seat map) and more on the API (the throttles). A
`redis.Redis` holds no connection of its own (it takes one from the pool for each command)
and may be shared between threads, so one per pool serves every call alike.
"""

from django.core.cache.backends import redis as django_redis


class _SharedClients(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClients
