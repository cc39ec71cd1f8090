"""Print the current authenticator code of the demo staff (seed_demo's published secret).

It knows only the demo's secret, never reads anyone's from the database: on a real site the
code it prints opens nothing.
"""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from devtools.management.commands.seed_demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the demo staff's current authenticator (TOTP) code."

    def handle(self, *args, **options):
        now = int(time.time())
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // app_settings.TOTP_PERIOD))
        left = app_settings.TOTP_PERIOD - now % app_settings.TOTP_PERIOD
        self.stdout.write(f"{code}  (good for {left} more seconds)")
