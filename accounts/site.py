"""The Site allauth names in its emails and pages ("Hello from WNH Seats!") comes from the
configured base URL (WNH_BASE_URL), never Django's "example.com". Synced after every
migrate (accounts/apps.py), so a deployment that changes its address gets the right Site on
its next start."""

from urllib.parse import urlsplit

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.sites.models import SITE_CACHE

PORTAL_NAME = "WNH Seats"


def sync_site(apps=global_apps, **kwargs) -> None:
    domain = urlsplit(settings.WNH_BASE_URL).netloc or "localhost"
    apps.get_model("sites", "Site").objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": PORTAL_NAME}
    )
    SITE_CACHE.clear()
