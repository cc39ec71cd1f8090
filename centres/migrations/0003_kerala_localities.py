"""Load the Kerala localities shipped in centres/data/kerala_localities.csv."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "kerala_localities.csv"


def load(apps, schema_editor):
    Locality = apps.get_model("centres", "Locality")
    with DATA.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            Locality.objects.update_or_create(
                district=row["district"],
                name=row["name"],
                defaults={
                    "pin_code": row["pin_code"],
                    "latitude": Decimal(row["latitude"]),
                    "longitude": Decimal(row["longitude"]),
                },
            )


def unload(apps, schema_editor):
    apps.get_model("centres", "Locality").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("centres", "0002_locality")]

    operations = [migrations.RunPython(load, unload)]
