"""A centre's page for a day from the cache, with the person's own few values put in.

The seat map is the rush's page: at 19:00 thousands look at the same centres and days. What
they see is the same for everyone of a kind (signed in or not, staff or not) in a language,
who holds no seat that day and is in no company with a pod reserved there that day. That page
is rendered once per version and kept in the cache; each request puts its own values into
its holes: the CSRF token, the CSP nonce, its own path, the time (the offline copy's "saved
at"). Everyone else (a person with a seat that day, a member of a company with a pod
reserved there, a page with messages, an invalid day) gets it rendered afresh. The map
alone, which htmx swaps in when the day changes, is kept the same way.

Why it cannot show what is not so (docs/performance.md): the key holds the centre's version
and the sum of its pods' versions that day, which the database raises in the transaction of
every write that changes the map, whatever path makes it (migration bookings 0009). The key
is read before the page, so a page is never older than its key: the first read after a
write's commit misses and renders afresh. The rest of the key is what the page is rendered
from: the day, today, the days the centre can be booked (they change at closing time and
with closures), the language, the kind of person, and the release (templates and
translations). A booking still decides under the pod's lock: a map that is a moment old
can only offer a seat that was just taken, which the booking then refuses.

PostgreSQL only: SQLite keeps no versions. A cache that does not answer is skipped.
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache as shared_cache
from django.db import connection
from django.middleware.csrf import get_token
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import get_language

from bookings.core.selectors import MapVersion
from centres.models import Centre

logger = logging.getLogger(__name__)

# Holes: strings no page holds otherwise. The path's has a ":" so that its two spellings
# differ: as HTML it stays as it is, in a query string it becomes %3A.
CSRF_HOLE = "wnh-hole-csrf-4d1c"
NONCE_HOLE = "wnh-hole-nonce-4d1c"
TIME_HOLE = "wnh-hole-time-4d1c"
PATH_HOLE = "wnh-hole-path:4d1c"
PATH_IN_QUERY_HOLE = urlencode(PATH_HOLE)


def enabled() -> bool:
    return settings.WNH_PAGE_CACHE_SECONDS > 0 and connection.vendor == "postgresql"


def may_share(request) -> bool:
    """Whether this request may have the shared page: not the service worker's copy, and no
    messages to show."""
    if getattr(request, "kept_offline", False):
        return False
    return len(get_messages(request)) == 0


@cache
def release() -> str:
    """The templates and translations this process renders with: a deploy that changes
    either never serves a page rendered by the one before."""
    digest = hashlib.blake2b(digest_size=8)
    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "locale"]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".html", ".mo"):
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def key(request, *, centre: Centre, day: date, version: MapVersion, open_days: list[date]) -> str:
    user = request.user
    kind = "staff" if user.is_staff else "in" if user.is_authenticated else "out"
    part = "map" if request.htmx else "page"  # htmx swaps in the map alone
    days = hashlib.blake2b(
        ",".join(d.isoformat() for d in open_days).encode(), digest_size=8
    ).hexdigest()
    return ":".join(
        [
            "centre-page",
            release(),
            str(centre.pk),
            str(centre.version),
            day.isoformat(),
            str(version.day_version),
            timezone.localdate().isoformat(),
            days,
            get_language(),
            kind,
            part,
        ]
    )


def get(page_key: str) -> str | None:
    try:
        stored = shared_cache.get(page_key)
    except Exception:
        logger.warning("page cache unavailable: the page is rendered afresh")
        return None
    return zlib.decompress(stored).decode() if stored is not None else None


def put(page_key: str, html: str) -> None:
    try:
        shared_cache.set(page_key, zlib.compress(html.encode(), 6), settings.WNH_PAGE_CACHE_SECONDS)
    except Exception:
        logger.warning("page cache unavailable: the page is not kept")


class _SharedRequest:
    """The request as the shared page sees it: its own values are holes."""

    csp_nonce = NONCE_HOLE
    kept_offline = False

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return getattr(self._request, name)

    def get_full_path(self) -> str:
        return PATH_HOLE


def render_shared(request, template: str, context: dict) -> str:
    shared = {
        **context,
        "request": _SharedRequest(request),
        "csrf_token": CSRF_HOLE,
        "saved_at": TIME_HOLE,
    }
    return render_to_string(template, shared, request=request)


def fill(request, html: str) -> str:
    """The shared page with this request's values. The path goes in last: whatever it
    holds, no hole in it is filled."""
    path = request.get_full_path()
    return (
        html.replace(CSRF_HOLE, get_token(request))
        .replace(NONCE_HOLE, str(request.csp_nonce))
        .replace(TIME_HOLE, timezone.localtime().strftime("%H:%M"))
        .replace(PATH_IN_QUERY_HOLE, urlencode(path))
        .replace(PATH_HOLE, escape(path))
    )
