"""allauth's login stages, one changed: an account without an email address (signed up with
a mobile number alone, verified by its own stage) is not asked to verify an address.

Email verification stays "mandatory" (settings.py): an account that has an address
signs in only once the address is verified, as before numbers came.
"""

from allauth.account.stages import EmailVerificationStage


class AddressVerificationStage(EmailVerificationStage):
    def handle(self):
        user = self.login.user
        if user is not None and not user.email:
            return None, True
        return super().handle()
