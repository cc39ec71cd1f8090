"""The Redis cache shares one client per connection pool (wnh/cache.py)."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.redis


def test_every_call_uses_the_one_client_and_the_cache_still_works():
    client = cache._cache.get_client("a")
    cache.set("wnh-cache-test", {"seats": 3}, 30)

    assert cache.get("wnh-cache-test") == {"seats": 3}
    assert cache._cache.get_client("b", write=True) is client
    assert cache.delete("wnh-cache-test")
    assert cache.get("wnh-cache-test") is None
