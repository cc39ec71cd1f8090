from django.db import migrations

from accounts.staff import sync_kdisc_staff_group


class Migration(migrations.Migration):
    """K-DISC staff may look at webhook endpoints and deliveries (accounts/staff.py)."""

    dependencies = [
        ("accounts", "0006_privacy"),
        ("companies", "0005_webhooks"),
    ]

    operations = [migrations.RunPython(sync_kdisc_staff_group, migrations.RunPython.noop)]
