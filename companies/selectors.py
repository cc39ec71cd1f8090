"""Reads that carry the rule "you see only your own company".

Every portal lookup of a company goes through `membership_for`: a company the person is
not a member of is a 404, so ids and slugs cannot be probed; a plain member asking for an
admin page of their own company gets a 403.

A company's pod-days and its team's week are reads of bookings (bookings/core/selectors.py).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User

from .models import Membership


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("company").order_by("company__name")


def administered_by(user: User) -> QuerySet[Membership]:
    """The memberships by which `user` is a company's admin, by company name."""
    return memberships_of(user) & Membership.admins()


def membership_for(*, user: User, slug: str, admin: bool = False) -> Membership:
    """The person's membership of the company `slug`: 404 when they have none (whether or
    not the company exists), 403 when `admin` is asked for and they are a plain member."""
    membership = memberships_of(user).filter(company__slug=slug).first()
    if membership is None:
        raise Http404("No such company.")
    if admin and not membership.is_admin:
        raise PermissionDenied("Only the company's admins can do that.")
    return membership
