"""The portal speaks the language on the person's profile.

Django's LocaleMiddleware picks the language from the language cookie. This keeps that
cookie and the profile in step: logging in sets the cookie from the profile, and the
language switcher (Django's set_language view) also updates the signed-in person's profile.
"""

import re

from allauth.account.models import EmailConfirmationHMAC
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .second_factor import second_factor_step

_CHOSEN = "_wnh_profile_language"
_CONFIRM_EMAIL = re.compile(r"^/accounts/confirm-email/(?P<key>[-:\w]+)/$")


def remember_profile_language(request, language: str) -> None:
    """Make this response set the language cookie to `language` (and use it right away)."""
    if language in dict(settings.LANGUAGES):
        setattr(request, _CHOSEN, language)
        translation.activate(language)
        request.LANGUAGE_CODE = language


class ProfileLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            if signed_in:
                remember_profile_language(request, user.language)
            else:
                self._confirming_language(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)  # the view may have logged someone in or out
        if (
            user is not None
            and user.is_authenticated
            and request.method == "POST"
            and request.path == reverse("set_language")
        ):
            self._save_switch(user, response)
        chosen = getattr(request, _CHOSEN, None)
        if chosen:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response

    @staticmethod
    def _confirming_language(request) -> None:
        """The email confirmation link opened in a browser that has no language yet (another
        phone, a mail app's browser): the page speaks the language of the account it
        confirms, the one the person signed up in."""
        match = _CONFIRM_EMAIL.match(request.path)
        if not match:
            return
        confirmation = EmailConfirmationHMAC.from_key(match.group("key"))
        if confirmation is not None:
            remember_profile_language(request, confirmation.email_address.user.language)

    @staticmethod
    def _save_switch(user, response) -> None:
        cookie = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
        chosen = cookie.value if cookie is not None else None
        if chosen in dict(settings.LANGUAGES) and user.language != chosen:
            user.language = chosen
            user.save(update_fields=["language"])


class StaffSecondFactorMiddleware:
    """Staff and superusers reach no page but the account pages (where they set up and use a
    second factor) until this session has used one: see accounts/second_factor.py."""

    # allauth's pages (login, logout, 2FA set-up), static files, the language switch.
    OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/favicon.ico")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.OPEN_PREFIXES):
            step = second_factor_step(request)
            if step is not None:
                return self._refuse(request, step)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, step: str):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": _("Staff accounts need a second factor: sign in again."),
                    "code": "second_factor_required",
                },
                status=403,
            )
        messages.info(
            request,
            _(
                "K-DISC staff accounts use a second factor: an authenticator app's code "
                "or a security key."
            ),
        )
        return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")


class RateLimitedMiddleware:
    """allauth raises RateLimited from inside some flows (a second sign-up with one number
    within 30 seconds sends no second code): a 429 page saying "wait a minute", not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from allauth.core.exceptions import RateLimited
        from allauth.core.internal.ratelimit import respond_429

        if isinstance(exception, RateLimited):
            return respond_429(request)
        return None
