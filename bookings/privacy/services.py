"""A person's rights over their data (DPDP Act 2023): download it all, or erase the account.

Erasing keeps the user row, emptied, as "a former member": past seat bookings point at it
and stay, anonymous, so occupancy figures and companies' statements do not change. What
could name the person (email, name, phone, home, the calendar feed's secret, sign-in
addresses, second factors, the admin log's descriptions, invitations to the address) is
removed or replaced. Future bookings are cancelled through cancel_booking, so their seats
are offered to the waitlist. The person can sign up again with the same address, as new.

The audit history needs no scrubbing: its events hold ids, never a name or an email (an
invitation's email is left out of its events, wnh/audit.py), and its contexts hold the
person's id and the path, never a URL. An id of an erased account names nobody.
"""

from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from accounts.models import StaffScope, User, new_calendar_token
from bookings.core.services import cancel_booking
from bookings.models import SeatBooking, WaitlistEntry
from bookings.privacy.history import history_of_person
from companies.models import Invitation, Membership
from wnh import audit

ERASED_DOMAIN = "erased.invalid"  # RFC 2606: can never be a real address


def erased_email(user: User) -> str:
    return f"erased-{user.pk}@{ERASED_DOMAIN}"


def _when(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def personal_data(user: User) -> dict:
    """Everything the portal holds about `user`, as JSON-ready data.

    Other people appear only as their role ("you", "the company admin"), never by name, email
    or id: a company admin's email is theirs, not the downloader's."""
    bookings = (
        SeatBooking.objects.filter(user=user)
        .select_related("seat__pod__centre", "company")
        .order_by("day", "pk")
    )
    lines = history_of_person(user)
    return {
        "notice": "Everything WNH Seats holds about you (DPDP Act 2023, section 11).",
        "exported_at": _when(timezone.now()),
        "profile": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "phone_verified": user.phone_verified,
            "language": user.language,
            "joined": _when(user.date_joined),
            "last_login": _when(user.last_login),
            "privacy_notice_version": user.privacy_notice_version,
            "privacy_notice_accepted_at": _when(user.privacy_notice_accepted_at),
            "calendar_feed": "a private calendar link exists (make a new one on My bookings)",
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
            "second_factors": [
                {"type": a.type, "created_at": _when(a.created_at)}
                for a in Authenticator.objects.filter(user=user).order_by("pk")
            ],
        },
        "home": {
            "pin_code": user.home_pin_code,
            "locality": user.home_place,
            "latitude": str(user.home_latitude) if user.home_latitude is not None else None,
            "longitude": str(user.home_longitude) if user.home_longitude is not None else None,
        },
        "bookings": [
            {
                "id": b.pk,
                "day": b.day.isoformat(),
                "centre": b.seat.pod.centre.name,
                "seat": b.seat.label,
                "status": b.status,
                "company": b.company.name if b.company else None,
                "booked_by": "you" if b.booked_by_id in (None, user.pk) else "your company admin",
                "created_at": _when(b.created_at),
                "cancelled_at": _when(b.cancelled_at),
                "checked_in_at": _when(b.checked_in_at),
                "no_show_at": _when(b.no_show_at),
                "history": [
                    {"at": _when(line.at), "what": line.sentence, "path": line.path}
                    for line in lines.get(b.pk, [])
                ],
            }
            for b in bookings
        ],
        "waitlist": [
            {
                "centre": w.centre.name,
                "day": w.day.isoformat(),
                "status": w.status,
                "created_at": _when(w.created_at),
                "offered_at": _when(w.offered_at),
            }
            for w in WaitlistEntry.objects.filter(user=user).select_related("centre")
        ],
        "memberships": [
            {"company": m.company.name, "role": m.role, "since": _when(m.created_at)}
            for m in Membership.objects.filter(user=user).select_related("company")
        ],
        "invitations": [
            {
                "company": i.company.name,
                "role": i.role,
                "sent_at": _when(i.created_at),
                "accepted_at": _when(i.accepted_at),
                "revoked_at": _when(i.revoked_at),
            }
            for i in Invitation.objects.filter(email__iexact=user.email).select_related("company")
        ],
    }


def erase_person(*, user: User, by: User | None, now: datetime | None = None) -> User:
    """Erase `user`'s personal data (the person themselves, staff on request, or retention).

    Runs twice without harm: an erased account is erased again (nothing left to remove)."""
    now = now or timezone.now()
    email, today = user.email, timezone.localdate(now)
    # The history says why these bookings were cancelled, and who asked (an id).
    audit.context(erasure_of=user.pk, erasure_by=by.pk if by is not None else None)
    # Each cancellation is its own transaction (the service is durable); the seats go to the
    # waitlist. Today's booking not yet checked in goes too; a checked-in one is a past day.
    future = SeatBooking.objects.filter(
        user=user, day__gte=today, status=SeatBooking.Status.BOOKED
    ).order_by("day")
    for booking in future:
        cancel_booking(booking=booking, by=user, now=now, enforce_cutoff=False)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        WaitlistEntry.objects.filter(
            user=user, status__in=[WaitlistEntry.Status.WAITING, WaitlistEntry.Status.OFFERED]
        ).update(status=WaitlistEntry.Status.WITHDRAWN)
        Membership.objects.filter(user=user).delete()
        StaffScope.objects.filter(user=user).delete()
        Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).update(
            revoked_at=now
        )
        Invitation.objects.filter(email__iexact=email).update(email=erased_email(user))
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        # The admin log describes objects by their str(), which for a person and their
        # bookings is the email.
        if email and not email.endswith("@" + ERASED_DOMAIN):
            LogEntry.objects.filter(
                Q(object_repr__icontains=email) | Q(change_message__icontains=email)
            ).update(
                object_repr=Replace("object_repr", Value(email), Value(erased_email(user))),
                change_message=Replace("change_message", Value(email), Value("")),
            )
        user.groups.clear()
        user.user_permissions.clear()
        user.email = erased_email(user)
        user.full_name = ""
        user.phone = ""
        user.home_pin_code = user.home_place = ""
        user.home_latitude = user.home_longitude = None
        user.calendar_token = new_calendar_token()
        user.set_unusable_password()  # every session of theirs ends at its next request
        user.is_active = user.is_staff = user.is_superuser = False
        user.erased_at = user.erased_at or now
        user.save()
    return user
