from django.db import migrations

TAKEN_BACK = ["add_membership", "change_membership", "delete_membership"]


def view_memberships_only(apps, schema_editor):
    """Staff editing memberships in the admin bypassed remove_member: take that back."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="K-DISC staff").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="companies", codename__in=TAKEN_BACK)
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_kdisc_staff_group")]

    operations = [migrations.RunPython(view_memberships_only, migrations.RunPython.noop)]
