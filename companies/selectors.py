"""Reads that carry the rule "you see only your own company".

Every portal lookup of a company goes through `membership_for`: a company the person is
not a member of is a 404, never a 403, so ids and slugs cannot be probed.
"""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User

from .models import Membership


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("company").order_by("company__name")


def membership_for(*, user: User, slug: str, admin: bool = False) -> Membership:
    """The person's membership of the company `slug`, or 404 (also for non-admins when
    `admin` is asked for: a member must not learn more than an outsider by probing)."""
    memberships = memberships_of(user).filter(company__slug=slug)
    if admin:
        memberships = memberships.filter(role=Membership.Role.ADMIN)
    membership = memberships.first()
    if membership is None:
        raise Http404("No such company.")
    return membership
