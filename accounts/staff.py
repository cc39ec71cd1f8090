"""The staff groups: what the people who run the network may do in the admin.

"K-DISC staff" run every centre. "Centre managers" and "District coordinators" may do less
(no companies, people or schedules) and only where their scope reaches (accounts/scopes.py).

Called from migrations (with the historical `apps`), so a migration that adds a model can
call it again to grant the new model's permissions.
"""

KDISC_STAFF_GROUP = "K-DISC staff"
CENTRE_MANAGERS_GROUP = "Centre managers"
DISTRICT_COORDINATORS_GROUP = "District coordinators"

# Running the day at a centre: check-ins, cancellations, pod reservations, the waitlist and
# occupancy. K-DISC staff do it everywhere, managers and coordinators within their scope.
DAY_AT_A_CENTRE_PERMISSIONS = {
    "seatbooking": ["view", "change"],
    "podreservation": ["view", "change"],
    "reservedpodday": ["view"],
    "waitlistentry": ["view"],
    "occupancydaily": ["view"],
}

# app label -> model -> permission verbs. Staff run centres and approve companies; bookings
# change only through the services the admin's actions call, and nothing is deleted.
KDISC_STAFF_PERMISSIONS = {
    "centres": {
        "centre": ["view", "add", "change"],
        "centrerate": ["view", "add", "change"],
        "centreclosure": ["view", "add", "change", "delete"],
        "pod": ["view", "add", "change"],
        "seat": ["view"],
        # Post offices come from India Post; staff add their Malayalam names.
        "locality": ["view", "change"],
    },
    "companies": {
        "company": ["view", "change"],
        # Members change only through the company's admins and the services they call.
        "membership": ["view"],
        "invitation": ["view"],
        # A company's webhooks change only on its own pages, by its admins.
        "webhookendpoint": ["view"],
        "webhookdelivery": ["view"],
    },
    # Demand for planning (searches, people turned away): the whole network's, K-DISC's alone.
    "bookings": {
        **DAY_AT_A_CENTRE_PERMISSIONS,
        "searchdaily": ["view"],
        "turnedawaydaily": ["view"],
    },
    # Scopes grant power over centres: superusers assign them.
    "accounts": {"user": ["view"], "staffscope": ["view"]},
    "django_celery_beat": {
        "periodictask": ["view", "change"],
        "crontabschedule": ["view", "add", "change"],
        "intervalschedule": ["view", "add", "change"],
    },
}

# A manager or coordinator runs the day at their centres: hours, pods, closure days,
# check-ins, cancellations and pod reservations. Rates, companies and people stay K-DISC's.
SCOPED_STAFF_PERMISSIONS = {
    "centres": {
        "centre": ["view", "change"],
        "centrerate": ["view"],
        "centreclosure": ["view", "add", "change", "delete"],
        "pod": ["view", "add", "change"],
        "seat": ["view"],
    },
    "bookings": DAY_AT_A_CENTRE_PERMISSIONS,
}

STAFF_GROUPS = {
    KDISC_STAFF_GROUP: KDISC_STAFF_PERMISSIONS,
    CENTRE_MANAGERS_GROUP: SCOPED_STAFF_PERMISSIONS,
    DISTRICT_COORDINATORS_GROUP: SCOPED_STAFF_PERMISSIONS,
}


def sync_kdisc_staff_group(apps, schema_editor=None) -> None:
    """Make (or top up) every staff group with its permissions."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations run; make them now. A historical
    # registry has no models modules, so create_permissions would skip every app; the live
    # registry (used by tests whose flush wiped the group) keeps its own.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    for name, grants in STAFF_GROUPS.items():
        _sync_group(apps, name, grants)


def _sync_group(apps, name: str, grants: dict) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=name)
    codenames = [
        (app_label, f"{verb}_{model}")
        for app_label, models in grants.items()
        for model, verbs in models.items()
        for verb in verbs
    ]
    # A model that a later migration creates has no permission yet when an earlier
    # migration runs this: it is skipped now and granted by the later migration's call.
    permissions = [
        permission
        for app_label, codename in codenames
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    ]
    group.permissions.add(*permissions)
