"""The "K-DISC staff" group: what the people who run the network may do in the admin.

Called from migrations (with the historical `apps`), so a migration that adds a model can
call it again to grant the new model's permissions.
"""

KDISC_STAFF_GROUP = "K-DISC staff"

# app label -> model -> permission verbs. Staff run centres and approve companies; bookings
# change only through the services the admin's actions call, and nothing is deleted.
KDISC_STAFF_PERMISSIONS = {
    "centres": {
        "centre": ["view", "add", "change"],
        "centreclosure": ["view", "add", "change", "delete"],
        "pod": ["view", "add", "change"],
        "seat": ["view"],
    },
    "companies": {
        "company": ["view", "change"],
        # Members change only through the company's admins and the services they call.
        "membership": ["view"],
        "invitation": ["view"],
    },
    "bookings": {
        "seatbooking": ["view", "change"],
        "podreservation": ["view", "change"],
        "reservedpodday": ["view"],
        "waitlistentry": ["view"],
        "occupancydaily": ["view"],
    },
    "accounts": {"user": ["view"]},
    "django_celery_beat": {
        "periodictask": ["view", "change"],
        "crontabschedule": ["view", "add", "change"],
        "intervalschedule": ["view", "add", "change"],
    },
}


def sync_kdisc_staff_group(apps, schema_editor=None) -> None:
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations run; make them now. A historical
    # registry has no models modules, so create_permissions would skip every app; the live
    # registry (used by tests whose flush wiped the group) keeps its own.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=KDISC_STAFF_GROUP)
    codenames = [
        (app_label, f"{verb}_{model}")
        for app_label, models in KDISC_STAFF_PERMISSIONS.items()
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
