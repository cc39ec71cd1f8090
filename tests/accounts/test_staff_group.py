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


def test_managers_and_coordinators_run_the_day_but_not_rates_companies_or_people(db):
    from accounts.staff import CENTRE_MANAGERS_GROUP, DISTRICT_COORDINATORS_GROUP

    for name in (CENTRE_MANAGERS_GROUP, DISTRICT_COORDINATORS_GROUP):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))

        assert {"change_centre", "add_pod", "add_centreclosure", "view_occupancydaily"} <= codenames
        assert {"change_seatbooking", "change_podreservation", "view_waitlistentry"} <= codenames
        assert "view_centrerate" in codenames
        assert not {"add_centre", "add_centrerate", "change_centrerate"} & codenames
        assert not {c for c in codenames if c.endswith(("_company", "_user", "_staffscope"))}
        assert not {c for c in codenames if c.startswith("delete_") and c != "delete_centreclosure"}


def test_kdisc_staff_keep_the_rates_and_see_the_scopes(db):
    codenames = set(
        Group.objects.get(name=KDISC_STAFF_GROUP).permissions.values_list("codename", flat=True)
    )

    assert {"view_centrerate", "add_centrerate", "change_centrerate"} <= codenames
    assert "view_staffscope" in codenames
    assert not {"add_staffscope", "change_staffscope", "delete_centrerate"} & codenames
