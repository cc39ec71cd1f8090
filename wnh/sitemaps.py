"""/sitemap.xml: every app's public pages, each with when it last changed.

It stands above the apps (pyproject.toml's layers) because it lists their pages: the
portal's own (wnh/site_pages/updated.py), the privacy notice (its version is its date) and
each open centre's page."""

from datetime import date, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from accounts import notice
from centres.models import Centre
from wnh.site_pages.updated import LAST_UPDATED


class _OnTheBaseUrl(Sitemap):
    @property
    def protocol(self) -> str:
        # The configured address's scheme, not the request's: behind the load balancer the
        # request may be plain http.
        return urlsplit(settings.WNH_BASE_URL).scheme or "https"


def _open_centres():
    return Centre.objects.filter(status=Centre.Status.OPEN)


class PagesSitemap(_OnTheBaseUrl):
    # Ordered by how far a visitor looks first.
    PAGES = [
        "home",
        "centres:list",
        "about",
        "contact",
        "terms",
        "privacy_notice",
        "accessibility",
        "open_data:page",
    ]

    def items(self) -> list[str]:
        # Home and the list change when a centre does.
        changed = _open_centres().aggregate(last=Max("updated_at"))["last"]
        self._centres_changed = timezone.localdate(changed) if changed else None
        return self.PAGES

    def location(self, item: str) -> str:
        return reverse(item)

    # Days, not moments, everywhere: the sitemap view compares every lastmod to find the
    # newest, and a date cannot be compared with a datetime.
    def lastmod(self, item: str) -> date | None:
        if item == "privacy_notice":
            return date.fromisoformat(notice.VERSION)
        if item == "open_data:page":  # the figures are computed each night
            return timezone.localdate() - timedelta(days=1)
        if item in LAST_UPDATED:
            return LAST_UPDATED[item]
        return self._centres_changed


class CentresSitemap(_OnTheBaseUrl):
    def items(self):
        return _open_centres().only("slug", "updated_at").order_by("slug")

    def lastmod(self, centre: Centre) -> date:
        return timezone.localdate(centre.updated_at)


SITEMAPS = {"pages": PagesSitemap, "centres": CentresSitemap}
