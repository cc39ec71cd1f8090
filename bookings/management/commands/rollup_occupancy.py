from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bookings.operations import occupancy


class Command(BaseCommand):
    help = "Compute OccupancyDaily for a range of days (default: yesterday). Safe to re-run."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=date.fromisoformat, metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", type=date.fromisoformat, metavar="YYYY-MM-DD")

    def handle(self, *args, first, last, **options):
        first = first or timezone.localdate() - timedelta(days=1)
        last = last or first
        if last < first:
            raise CommandError("--to is before --from")
        changed = occupancy.rollup(first=first, last=last)
        self.stdout.write(f"Occupancy {first} to {last}: {changed} rows written or changed.")
