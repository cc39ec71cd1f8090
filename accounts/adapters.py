"""How allauth fits the portal: after the first login, the professional sets a home; staff
keep their second factor; the language picked before signing up is the account's, and
allauth's emails and text messages go out in the language of the person they are for.

A mobile number is kept on User.phone (E.164, unique) with User.phone_verified; the codes
allauth makes go out through wnh.sms, after the request's transaction commits."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from wnh import sms

from .middleware import remember_profile_language
from .models import User
from .phones import MobileNumberField
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

    # Mobile numbers (allauth's phone support): the number typed, read as people type it.

    def phone_form_field(self, **kwargs):
        return MobileNumberField(**kwargs)

    def get_phone(self, user):
        return (user.phone, user.phone_verified) if user.phone else None

    def set_phone(self, user, phone, verified):
        user.phone, user.phone_verified = phone, verified
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])

    def set_phone_verified(self, user, phone):
        # The code went to `phone`: at sign-up it is already the account's number; on a
        # change (profile) it becomes the account's number only now. A number another account
        # confirmed meanwhile stays theirs (unique): this one keeps its old number.
        try:
            with transaction.atomic():
                User.objects.filter(pk=user.pk).update(phone=phone, phone_verified=True)
        except IntegrityError:
            return
        user.phone, user.phone_verified = phone, True

    def get_user_by_phone(self, phone):
        # Erased and switched-off accounts sign in by no number.
        return User.objects.filter(phone=phone, is_active=True).first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        with translation.override(user.language or translation.get_language()):
            text = _("WNH Seats: your code is %(code)s. It is for you only: do not share it.") % {
                "code": code
            }
        sms.send_later(sms.Sms(to=phone, kind="code", text=str(text)))

    def send_unknown_account_sms(self, phone, **kwargs):
        # Someone asked for a sign-in code for a number with no account: the number's owner
        # is told so (in the page's language), and the page looks the same as for a known one.
        text = _(
            "WNH Seats: no account uses this number. To sign up, open the portal and tap Sign up."
        )
        sms.send_later(sms.Sms(to=phone, kind="unknown_account", text=str(text)))

    def send_account_already_exists_sms(self, phone):
        # A sign-up with a number that has an account: its owner is told to sign in instead.
        # (There is no DLT template of its own yet: it goes as the "unknown_account" kind.)
        user = self.get_user_by_phone(phone)
        with translation.override(getattr(user, "language", None) or translation.get_language()):
            text = _("WNH Seats: this number already has an account. Sign in with a code instead.")
            sms.send_later(sms.Sms(to=phone, kind="unknown_account", text=str(text)))

    def get_login_stages(self):
        return [
            "accounts.stages.AddressVerificationStage"
            if path == "allauth.account.stages.EmailVerificationStage"
            else path
            for path in super().get_login_stages()
        ]

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
