"""Sessions come from the cache, and survive a cache that does not answer."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wnh import sessions

pytestmark = pytest.mark.django_db


class BrokenCache:
    """A cache whose every call fails, as Redis does while it restarts."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail

    def __contains__(self, key):
        raise ConnectionError("cache down")


@pytest.fixture
def broken_cache(monkeypatch):
    original = sessions.SessionStore.__init__

    def init(self, session_key=None):
        original(self, session_key)
        self._cache = BrokenCache()

    monkeypatch.setattr(sessions.SessionStore, "__init__", init)


def test_a_signed_in_page_reads_its_session_from_the_cache_not_the_database(client, professional):
    client.force_login(professional)
    client.get(reverse("bookings:mine"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("bookings:mine")).status_code == 200
    assert not [q for q in captured if "django_session" in q["sql"]]


def test_without_the_cache_pages_use_the_database_and_logging_out_ends_the_session(
    client, professional, broken_cache
):
    client.force_login(professional)
    assert client.get(reverse("bookings:mine")).status_code == 200  # read from the database
    key = client.cookies["sessionid"].value
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key
    assert client.get(reverse("bookings:mine")).status_code == 302  # to the login page


def test_a_cached_copy_lives_ten_minutes_at_most(client, professional):
    client.force_login(professional)
    client.get(reverse("bookings:mine"))
    key = cache.make_key(sessions.SessionStore.cache_key_prefix + client.cookies["sessionid"].value)
    if hasattr(cache, "_expire_info"):  # the local-memory cache of a laptop
        seconds_left = cache._expire_info[key] - time.time()
    else:  # Redis
        seconds_left = cache._cache.get_client(key).ttl(key)
    assert 0 < seconds_left <= sessions.CACHE_SECONDS
