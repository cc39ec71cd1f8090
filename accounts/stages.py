"""allauth's login stages, one changed: an email address is verified before it signs anyone in.

allauth's "mandatory" email verification wants every sign-up to give an address; here a person
may sign up with a mobile number alone (verified by its own stage, by code). So verification
is "optional" in the settings and this stage makes it mandatory for every account that has an
address, as it was before numbers came.
"""

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.stages import EmailVerificationStage


class AddressVerificationStage(EmailVerificationStage):
    def handle(self):
        user = self.login.user
        if user is not None and user.email:
            self.login.email_verification = EmailVerificationMethod.MANDATORY
        return super().handle()
