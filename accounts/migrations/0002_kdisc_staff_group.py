from django.db import migrations

from accounts.staff import sync_kdisc_staff_group


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("centres", "0001_initial"),
        ("companies", "0001_initial"),
        ("bookings", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(sync_kdisc_staff_group, migrations.RunPython.noop)]
