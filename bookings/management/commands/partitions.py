"""The bookings tables' months on PostgreSQL: list them, or run the nightly upkeep now.

manage.py partitions              # each table's months, the default's rows, the archive
manage.py partitions --maintain   # what the nightly "Partitions" task does, now
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bookings.operations import partitions
from wnh import partitioning as months


class Command(BaseCommand):
    help = "List the months of the partitioned bookings tables, or --maintain them now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--maintain",
            action="store_true",
            help="create the months ahead, detach old ones, complete indexes (as nightly)",
        )

    def handle(self, *args, maintain, **options):
        if not partitions.applies():
            raise CommandError("Partitions are PostgreSQL's; this database is not partitioned.")
        if maintain:
            done = partitions.maintain(today=timezone.localdate())
            self.stdout.write(
                f"created {len(done.created)}, detached {len(done.detached)}, "
                f"indexes completed {len(done.indexes)}"
            )
            for name in done.created + done.detached + done.indexes:
                self.stdout.write(f"  {name}")
        with connection.cursor() as cursor:
            for table, held in partitions.status().items():
                dated = [p for p in held if not p.is_default]
                span = f"{dated[0].first:%Y-%m} to {dated[-1].first:%Y-%m}" if dated else "none"
                archived = months.archived(cursor, table)
                self.stdout.write(
                    f"{table}: {len(dated)} months ({span}), "
                    f"{months.rows_in_default(cursor, table)} rows in the default partition, "
                    f"{len(archived)} months in the archive schema"
                )
