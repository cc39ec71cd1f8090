"""Where a staff member may act: every centre (K-DISC staff, superusers), or the centres of
their scopes (centre managers, district coordinators), or none.

A permission says what a person may do (their group's: accounts/staff.py); the scope says
where. The admin's querysets and the services both ask here, so a URL typed by hand finds
nothing outside the scope and a service called with an object outside it refuses.
"""

from django.db.models import Q, QuerySet

from centres.models import Centre

from .models import StaffScope, User
from .staff import KDISC_STAFF_GROUP


def sees_every_centre(user: User) -> bool:
    """K-DISC staff and superusers run the whole network."""
    if not user.is_active or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_wnh_sees_every_centre", None)
    if cached is None:
        cached = user.groups.filter(name=KDISC_STAFF_GROUP).exists()
        user._wnh_sees_every_centre = cached  # asked once per request, not once per row
    return cached


def centres_in_scope(user: User) -> QuerySet[Centre]:
    """The centres `user` may act on as staff (may be none)."""
    if sees_every_centre(user):
        return Centre.objects.all()
    if not user.is_active or not user.is_staff:
        return Centre.objects.none()
    scopes = StaffScope.objects.filter(user=user)
    managed = scopes.filter(kind=StaffScope.Kind.CENTRE_MANAGER).values("centres")
    districts = scopes.filter(kind=StaffScope.Kind.DISTRICT_COORDINATOR).values("district")
    return Centre.objects.filter(Q(pk__in=managed) | Q(district__in=districts))


def in_scope(user: User, centre_id: int) -> bool:
    return sees_every_centre(user) or centres_in_scope(user).filter(pk=centre_id).exists()


def may_act_on(user: User, centre_id: int, permission: str) -> bool:
    """Staff with `permission` (e.g. "bookings.change_seatbooking") over this centre."""
    return user.is_staff and user.has_perm(permission) and in_scope(user, centre_id)
