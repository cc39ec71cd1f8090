"""The privacy notice a person accepts at sign-up (DPDP Act 2023, section 5).

What is collected, why, for how long and whom to ask. A change to what the notice says is a
new VERSION: the version each person accepted is kept on their account
(`privacy_notice_version`), so K-DISC can tell who accepted which text.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone

from .models import User

VERSION = "2026-12-07"


def notice_context() -> dict:
    """What the notice's template needs: its version, the contact, the retention period."""
    return {
        "notice_version": VERSION,
        # The version is the day the text last changed: the page's "Last updated".
        "last_updated": date.fromisoformat(VERSION),
        "privacy_contact": settings.WNH_PRIVACY_CONTACT,
        "retention_days": settings.WNH_RETENTION_DAYS,
        "retention_years": round(settings.WNH_RETENTION_DAYS / 365, 1),
        "warning_days": settings.WNH_RETENTION_WARNING_DAYS,
        # The anonymous demand records (bookings.models.TurnedAway, the search counters).
        "demand_records_days": settings.WNH_DEMAND_RECORDS_DAYS,
    }


def record_acceptance(*, user: User, version: str = VERSION) -> None:
    user.privacy_notice_version = version
    user.privacy_notice_accepted_at = timezone.now()
    user.save(update_fields=["privacy_notice_version", "privacy_notice_accepted_at"])
