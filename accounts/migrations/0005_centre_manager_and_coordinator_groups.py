from django.db import migrations

from accounts.staff import sync_kdisc_staff_group


class Migration(migrations.Migration):
    """The "Centre managers" and "District coordinators" groups, and the K-DISC staff's
    permissions on rates and scopes (accounts/staff.py)."""

    dependencies = [
        ("accounts", "0004_staff_scopes"),
        ("centres", "0004_host_institution_and_rate_history"),
        ("bookings", "0002_morning_reminder"),
    ]

    operations = [migrations.RunPython(sync_kdisc_staff_group, migrations.RunPython.noop)]
