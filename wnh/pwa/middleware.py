"""Signing out clears what the browser kept of the person: `Clear-Site-Data` on the answer
to the sign-out (allauth's, the admin's, erasing one's account: every `logout()` sends
`user_logged_out`). "cache" empties the HTTP cache, "storage" the service worker's caches
(and unregisters it; the next page registers it again, empty). The service worker also
drops its copies itself when it sees the sign-out POST (templates/pwa/sw.js), for browsers
without Clear-Site-Data.
"""

from django.contrib.auth.signals import user_logged_out

CLEAR_SITE_DATA = '"cache", "storage"'


def _mark_signed_out(sender, request, **kwargs):
    if request is not None:
        request.wnh_signed_out = True


user_logged_out.connect(_mark_signed_out, dispatch_uid="wnh.pwa.signed_out")


class ClearSiteDataOnLogoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "wnh_signed_out", False):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
