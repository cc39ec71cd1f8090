from django.db import migrations

from accounts.staff import sync_kdisc_staff_group


class Migration(migrations.Migration):
    """K-DISC staff may add the post offices' Malayalam names (centres 0012)."""

    dependencies = [
        ("accounts", "0008_phone_e164_email_optional"),
        ("centres", "0012_malayalam_place_names"),
    ]

    operations = [
        migrations.RunPython(sync_kdisc_staff_group, migrations.RunPython.noop),
    ]
