"""Which pages the service worker keeps for the signed-in person (templates/pwa/sw.js).

It keeps only answers that carry the OFFLINE_HEADER, and only the last owner's: the header
names the owner by an opaque key (a keyed hash of their id), so when someone else signs in on
the same phone the service worker drops the first person's copies before keeping any of theirs.
"""

from functools import wraps

from django.utils.crypto import salted_hmac

OFFLINE_HEADER = "WNH-Offline"


def owner_key(user) -> str:
    return salted_hmac("wnh.pwa.owner", str(user.pk)).hexdigest()[:20]


def kept_offline(view):
    """Mark a GET page of the signed-in person as one the service worker may keep."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        keep = request.method == "GET" and request.user.is_authenticated
        # base.html marks the page: on the first visit, before the service worker looked
        # after it, static/js/pwa.js asks the worker to keep it all the same.
        request.kept_offline = keep
        response = view(request, *args, **kwargs)
        if keep and response.status_code == 200:
            response[OFFLINE_HEADER] = owner_key(request.user)
        return response

    return wrapper
