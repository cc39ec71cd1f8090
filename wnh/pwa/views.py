"""The manifest, the service worker and the offline page (wnh/pwa/__init__.py)."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wnh.pwa.offline import OFFLINE_HEADER

# The site's colours (static/css/wnh.css: --brand and --bg), for the title bar and splash.
THEME_COLOR = "#0b5d4b"
BACKGROUND_COLOR = "#f5f6f3"
# What every page needs to draw itself offline; the service worker fetches these when it
# installs, after the first page has loaded (static/js/pwa.js registers it on `load`).
SHELL = ["css/wnh.css", "js/menu.js", "js/pwa.js", "icons/icon-192.png"]
ICONS = [
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/icon-maskable-512.png", "512x512", "maskable"),
]


@require_GET
def manifest(request):
    """The web app manifest, in the page's language: browsers fetch it without cookies, so
    the page names its language in the link (?lang=ml); else the request's own."""
    language = request.GET.get("lang", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    with translation.override(language):
        data = {
            "id": "/",
            "name": _("WNH Seats: Work Near Home"),
            "short_name": _("WNH Seats"),
            "description": _("Book a seat at a Work Near Home centre near you."),
            "lang": language,
            "dir": "ltr",
            "start_url": reverse("bookings:mine"),
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOR,
            "background_color": BACKGROUND_COLOR,
            "icons": [
                {"src": static(name), "sizes": sizes, "type": "image/png", "purpose": purpose}
                for name, sizes, purpose in ICONS
            ],
        }
    response = JsonResponse(
        data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def static_version() -> str:
    """The static files' version: the hash of collectstatic's manifest in production (it
    changes with any file), else of the shell's files themselves (development, tests)."""
    digest = hashlib.sha256()
    manifest_hash = getattr(staticfiles_storage, "manifest_hash", "")
    if manifest_hash:
        digest.update(manifest_hash.encode())
    else:
        for name in SHELL:
            found = finders.find(name)
            digest.update(Path(found).read_bytes() if found else name.encode())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    """/sw.js: served from the root so that it may look after every page. The same bytes for
    everyone (nothing of the person or their language), so only a deploy changes it."""
    context = {
        "version": static_version(),
        "shell": json.dumps([*(static(name) for name in SHELL), reverse("pwa:offline")]),
        "offline_url": json.dumps(reverse("pwa:offline")),
        "logout_url": json.dumps(reverse("account_logout")),
        "offline_header": json.dumps(OFFLINE_HEADER),
    }
    response = HttpResponse(
        render_to_string("pwa/sw.js", context), content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    # The browser asks again on every visit, and a deploy's new worker replaces the old.
    response["Cache-Control"] = "no-cache, max-age=0"
    return response


@require_GET
def offline(request):
    """What a page not kept shows when the connection is down (the service worker's copy)."""
    return render(request, "pwa/offline.html")
