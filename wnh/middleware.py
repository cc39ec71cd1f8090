"""Headers every answer of the portal carries, whichever app's page it is.

- Permissions-Policy: no page uses the camera, the microphone, the location or the other
  powerful features (check-in opens a signed link the phone's own camera app scanned; "near
  me" measures from the person's home on their profile), so none is allowed, not even to
  the portal itself: a script that got in cannot ask for them either.
- Cache-Control: private, no-store on every answer to a signed-in person, and on every
  failure's answer. Their pages show
  their bookings, their company and their calendar-feed secret; neither a shared proxy nor
  the browser's back button on a shared computer may keep a copy.
- Cookies: every cookie HttpOnly and SameSite=Lax, and Secure in production, including
  ones that a library sets without reading the cookie settings.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # request.user is there once the authentication middleware (further in) has run;
        # static files are answered before it, and stay cacheable.
        # A failure's page is never kept either; and the person is not asked for then: with
        # the database away (a 503), loading them would fail a second time.
        user = getattr(request, "user", None)
        if response.status_code >= 500 or (user is not None and user.is_authenticated):
            patch_cache_control(response, private=True, no_store=True)
        for cookie in response.cookies.values():
            cookie["httponly"] = True
            if not cookie["samesite"]:
                cookie["samesite"] = "Lax"
            if not settings.DEBUG:
                cookie["secure"] = True
        return response
