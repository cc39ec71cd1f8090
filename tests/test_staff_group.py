from django.contrib.auth.models import Group, Permission

from accounts.staff import KDISC_STAFF_GROUP


def test_kdisc_staff_run_centres_and_act_on_bookings_but_never_delete_them(db):
    group = Group.objects.get(name=KDISC_STAFF_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))

    assert {"add_centre", "change_centre", "add_pod", "change_company"} <= codenames
    assert {"view_seatbooking", "change_seatbooking", "change_podreservation"} <= codenames
    assert not {"delete_seatbooking", "delete_centre", "delete_company"} & codenames
    assert not {"add_membership", "change_membership", "delete_membership"} & codenames
    assert (
        not {p.codename for p in Permission.objects.filter(codename__startswith="delete_user")}
        & codenames
    )
