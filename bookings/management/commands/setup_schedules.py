"""Create the Celery beat schedules the bookings app needs, in django-celery-beat's tables.

Idempotent: run it on every deploy (`make setup`). A schedule that exists keeps its time,
its enabled flag and anything else K-DISC staff changed in the admin; only the task it runs
and its description are brought up to date.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

TIME_ZONE = "Asia/Kolkata"

# name -> (task, crontab "minute hour day_of_month month_of_year day_of_week", description)
SCHEDULES = {
    "Booking reminders": (
        "bookings.send_due_reminders",
        "*/10 * * * *",
        "Sends reminders that are due (WNH_REMINDER_EVENING_AT / _MORNING_AT). Runs often: "
        "after a missed run the next one sends everything still due.",
    ),
    "No-show release": (
        "bookings.release_no_shows",
        "*/5 * * * *",
        "Marks bookings not checked in by their centre's check-in deadline as no-shows and "
        "offers the seats to the waitlist.",
    ),
    "Waitlist sweep": (
        "bookings.sweep_waitlists",
        "*/5 * * * *",
        "Expires waitlist offers not taken in time and offers free seats to the next person.",
    ),
    "Webhook deliveries": (
        "companies.sweep_webhooks",
        "* * * * *",
        "Sends webhook deliveries that are due: retries after their wait, and any whose "
        "message to the workers was lost.",
    ),
    "Webhook log": (
        "companies.prune_webhook_deliveries",
        "40 3 * * *",
        "Removes webhook deliveries settled more than WEBHOOKS_LOG_DAYS ago from the log.",
    ),
    "Occupancy rollup (yesterday)": (
        "bookings.rollup_occupancy",
        "30 0 * * *",
        "Computes yesterday's occupancy figures per centre.",
    ),
    "People turned away rollup": (
        "bookings.rollup_turned_away",
        "40 0 * * *",
        "Counts the people turned away (no free seat, waitlist not served, no centre near) per "
        "day, centre and home area, for the days recorded since yesterday (the open data "
        "shows these figures); copies the searches for centres counted in Redis; deletes the "
        "records of days more than WNH_DEMAND_RECORDS_DAYS past, once rolled up.",
    ),
    "Availability check": (
        "bookings.repair_availability_counts",
        "15 2 * * *",
        "Compares the free-seat counts with the bookings from yesterday to a year ahead, "
        "repairs any that drifted and logs each as a warning (there should be none).",
    ),
    "Partitions": (
        "bookings.maintain_partitions",
        "45 1 * * *",
        "PostgreSQL: creates the bookings tables' months up to WNH_PARTITION_MONTHS_AHEAD "
        "ahead and detaches those older than WNH_PARTITION_ONLINE_MONTHS into the archive "
        "schema (docs/operations.md, Partitions).",
    ),
    "Retention of unused accounts": (
        "bookings.apply_retention",
        "15 3 * * *",
        "Warns people whose accounts are unused for WNH_RETENTION_DAYS less "
        "WNH_RETENTION_WARNING_DAYS, and erases the personal data of those unused longer.",
    ),
}


class Command(BaseCommand):
    help = "Create or update the periodic tasks (reminders, no-shows, waitlist, rollups)."

    @transaction.atomic
    def handle(self, *args, **options):
        for name, (task, cron, description) in SCHEDULES.items():
            existing = PeriodicTask.objects.filter(name=name).first()
            if existing is not None:
                existing.task = task
                existing.description = description
                existing.save(update_fields=["task", "description"])
                self.stdout.write(f"kept   {name}: {existing.crontab or existing.interval}")
                continue
            minute, hour, day_of_month, month_of_year, day_of_week = cron.split()
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_month=day_of_month,
                month_of_year=month_of_year,
                day_of_week=day_of_week,
                timezone=TIME_ZONE,
            )
            PeriodicTask.objects.create(
                name=name, task=task, crontab=crontab, description=description
            )
            self.stdout.write(f"added  {name}: {crontab}")
