"""Retention: personal data of accounts nobody uses is erased, after a warning email.

An account is unused when its person has not logged in (or, never having logged in, joined)
for WNH_RETENTION_DAYS and holds no booking on a day since then or ahead. It is warned
WNH_RETENTION_WARNING_DAYS before that, once (claimed with UPDATE ... WHERE
retention_warned_at IS NULL), and erased (bookings/privacy/services.py) once both the period and the
warning's notice have run out. Logging in after the warning starts the period again. Staff
accounts are left to K-DISC: they end with the job, not with disuse.

Runs daily (setup_schedules); running twice changes nothing the second time.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from bookings.models import SeatBooking
from bookings.privacy.services import erase_person


def _unused_since(cutoff: datetime) -> QuerySet[User]:
    """People not seen since `cutoff`, with no booking on a day from then on."""
    recent_booking = SeatBooking.objects.filter(user=OuterRef("pk"), day__gte=cutoff.date())
    return (
        User.objects.filter(erased_at__isnull=True, is_staff=False, is_superuser=False)
        .annotate(seen=Coalesce("last_login", "date_joined"))
        .filter(seen__lt=cutoff)
        .exclude(Exists(recent_booking))
    )


def send_warning(user: User, *, erase_on: datetime) -> None:
    context = {
        "user": user,
        "erase_on": timezone.localtime(erase_on),
        "base_url": settings.WNH_BASE_URL,
        "contact": settings.WNH_PRIVACY_CONTACT,
    }
    with translation.override(user.language):
        subject = " ".join(
            render_to_string("emails/accounts/retention_warning_subject.txt", context).split()
        )
        body = render_to_string("emails/accounts/retention_warning.txt", context)
    if user.email:  # a person with a mobile number alone has no address to warn
        send_mail(subject, body, None, [user.email])


def apply_retention(*, now: datetime | None = None) -> dict[str, int]:
    """Warn the accounts about to pass the retention period; erase those past it."""
    now = now or timezone.now()
    period = timedelta(days=settings.WNH_RETENTION_DAYS)
    notice = timedelta(days=settings.WNH_RETENTION_WARNING_DAYS)
    # Back since the warning: the period starts again.
    User.objects.filter(
        retention_warned_at__isnull=False, last_login__gt=F("retention_warned_at")
    ).update(retention_warned_at=None)
    warned = 0
    for user in _unused_since(now - (period - notice)).filter(retention_warned_at__isnull=True):
        claimed = User.objects.filter(pk=user.pk, retention_warned_at__isnull=True).update(
            retention_warned_at=now
        )
        if claimed:  # another sweep got there first otherwise
            send_warning(user, erase_on=now + notice)
            warned += 1
    erased = 0
    due = _unused_since(now - period).filter(
        Q(retention_warned_at__lte=now - notice) & Q(retention_warned_at__isnull=False)
    )
    for user in due:
        erase_person(user=user, by=None, now=now)
        erased += 1
    return {"warned": warned, "erased": erased}
