"""Sign the bench people in and write the files wrk's script reads (bench/http/wrk.lua).

Sessions are made with the project's SESSION_ENGINE, holding what a login through
allauth's backend leaves in one, so the portal sees each request as that person's. Run it
with the same DJANGO_SECRET_KEY as the server: the session's auth hash is keyed by it.

    people.tsv  session key, CSRF cookie (the secret), X-CSRFToken (a masked token)
    centres.txt the bench centres' slugs; seats.tsv a centre's slug and one seat id a line
    days.txt    the days a booking may name (tomorrow to the horizon, open weekdays)
    meta.json   the day the GET pages ask about (the first of days.txt), the hot-spot centre
"""

import json
from datetime import timedelta
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone

from accounts.models import User
from centres.models import Centre, Seat
from wnh import weekdays

ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def sign_in(user: User) -> tuple[str, str, str]:
    """A fresh session for `user`, and a CSRF cookie with the token a form would carry."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = ALLAUTH_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    request = HttpRequest()
    token = get_token(request)  # sets the secret the CSRF cookie carries
    return session.session_key, request.META["CSRF_COOKIE"], token


def write_client_files(*, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    people = User.objects.filter(email__startswith="bench-person-").order_by("pk")
    rows = ["\t".join(sign_in(user)) for user in people]
    if not rows:
        raise SystemExit("No bench people here: load the data first (python -m bench.http load).")
    (out / "people.tsv").write_text("\n".join(rows) + "\n")
    centres = list(Centre.objects.filter(slug__startswith="bench-").order_by("pk"))
    (out / "centres.txt").write_text("".join(f"{centre.slug}\n" for centre in centres))
    seats = (
        Seat.objects.filter(pod__centre__in=centres, is_active=True, pod__is_active=True)
        .order_by("pk")
        .values_list("pod__centre__slug", "pk")
    )
    (out / "seats.tsv").write_text("".join(f"{slug}\t{pk}\n" for slug, pk in seats))
    today = timezone.localdate()
    horizon = min(centre.booking_horizon_days for centre in centres)
    days = [today + timedelta(days=k) for k in range(1, horizon + 1)]
    days = [day for day in days if weekdays.includes(centres[0].open_weekdays, day)]
    (out / "days.txt").write_text("".join(f"{day.isoformat()}\n" for day in days))
    meta = {
        "day": days[0].isoformat(),
        "hot_centre": centres[0].slug,
        "centres": len(centres),
        "seats": len(seats),
        "people": len(rows),
        "session_engine": settings.SESSION_ENGINE,
    }
    (out / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    return meta
