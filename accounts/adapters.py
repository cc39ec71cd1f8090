"""How allauth fits the portal: after the first login, the professional sets a home; staff
keep their second factor."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.urls import reverse

from .middleware import remember_profile_language
from .second_factor import needs_second_factor


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request, user):
        super().login(request, user)
        # The person's own language from now on, whatever the browser had picked.
        remember_profile_language(request, user.language)

    def get_login_redirect_url(self, request):
        return _set_home_first(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return _set_home_first(request) or super().get_signup_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address):
        return _set_home_first(self.request) or super().get_email_verification_redirect_url(
            email_address
        )


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        # Staff may not switch their second factor off (a lost phone: a superuser deletes
        # the authenticator in the admin, and the next login sets up a new one).
        return not needs_second_factor(authenticator.user)


def _set_home_first(request) -> str | None:
    user = request.user
    if user.is_authenticated and not user.has_home and not user.is_staff:
        return reverse("accounts:profile") + "?welcome=1"
    return None
