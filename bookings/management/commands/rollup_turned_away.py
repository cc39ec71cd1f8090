from datetime import date

from django.core.management.base import BaseCommand, CommandError

from bookings.operations import demand


class Command(BaseCommand):
    help = (
        "Count the people turned away into TurnedAwayDaily for a range of days wanted (default: "
        "the days recorded since yesterday began, as the nightly task). Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=date.fromisoformat, metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", type=date.fromisoformat, metavar="YYYY-MM-DD")

    def handle(self, *args, first, last, **options):
        if first is None:
            if last is not None:
                raise CommandError("--to needs --from")
            changed = demand.rollup_recent()
            self.stdout.write(f"People turned away, recent days: {changed} rows changed.")
            return
        last = last or first
        if last < first:
            raise CommandError("--to is before --from")
        changed = demand.rollup(first=first, last=last)
        self.stdout.write(f"People turned away {first} to {last}: {changed} rows changed.")
