"""How allauth fits the portal: after the first login, the professional sets a home; staff
keep their second factor; the language picked before signing up is the account's, and
allauth's emails go out in the language of the person they are for."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.utils import translation

from .middleware import remember_profile_language
from .second_factor import needs_second_factor
from .selectors import home_first_url, languages_of


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request, user):
        super().login(request, user)
        # The person's own language from now on, whatever the browser had picked.
        remember_profile_language(request, user.language)

    def save_user(self, request, user, form, commit=True):
        # LocaleMiddleware has read the language cookie: what the visitor picked (or their
        # browser asked for) before signing up becomes the new account's language.
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language
        return super().save_user(request, user, form, commit)

    def send_mail(self, template_prefix, email, context):
        # Verification, password reset, "you already have an account": in the language of the
        # person the address belongs to, whatever language the page that sent it was in.
        user = context.get("user")
        language = getattr(user, "language", None) or languages_of([email])[email]
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    # Signing in without a `next` leads to settings.LOGIN_REDIRECT_URL, the "start" page
    # (companies.views.start): staff to their work queue, a company admin to their company.

    def get_signup_redirect_url(self, request):
        return home_first_url(request.user) or super().get_signup_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address):
        return home_first_url(self.request.user) or super().get_email_verification_redirect_url(
            email_address
        )


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        # Staff may not switch their second factor off (a lost phone: a superuser deletes
        # the authenticator in the admin, and the next login sets up a new one).
        return not needs_second_factor(authenticator.user)
