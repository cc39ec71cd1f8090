"""Sessions read from the cache and kept in the database, that outlive the cache.

Django's cached_db sessions spare every signed-in page its session query, but a cache that
does not answer (Redis restarting, a network blip) turns into a 500 on every page: the
copy written back after a database read raises. Here every cache call is guarded, so
without Redis the pages read and write their sessions in the database, which holds every
session anyway, and go back to the cache by themselves when it returns.

A cached copy lives at most CACHE_SECONDS: a session ended (logged out, erased) while the
cache could not be told stops working from the cache within that time, and the database,
which was told, is the only word after it.
"""

import logging

from django.contrib.sessions.backends import cached_db

logger = logging.getLogger(__name__)

CACHE_SECONDS = 600


class SessionStore(cached_db.SessionStore):
    def _cache_age(self, expiry=None) -> int:
        return min(self.get_expiry_age(expiry=expiry), CACHE_SECONDS)

    def _to_cache(self, data, age: int) -> None:
        try:
            self._cache.set(self.cache_key, data, age)
        except Exception:
            logger.warning("session cache unavailable: the session stays in the database")

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:
            data = None  # a cache away, or a key it refuses: the database has the session
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        self._to_cache(data, self._cache_age(stored.expire_date))
        return data

    def exists(self, session_key):
        try:
            if session_key and (self.cache_key_prefix + session_key) in self._cache:
                return True
        except Exception:
            logger.warning("session cache unavailable: asking the database")
        return cached_db.DBStore.exists(self, session_key)

    def save(self, must_create=False):
        cached_db.DBStore.save(self, must_create)
        self._to_cache(self._session, self._cache_age())

    def delete(self, session_key=None):
        cached_db.DBStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception:
            logger.error(
                "session cache unavailable: an ended session may be read from the cache "
                "for up to %s s after it returns",
                CACHE_SECONDS,
            )
