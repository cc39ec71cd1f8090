"""The nightly rollup of people turned away (bookings.models.TurnedAway) into TurnedAwayDaily:
per day wanted, kind and centre, or per home PIN code where no centre was near.

Two grouped counts per run (by centre, and by home area) and then only the rows whose figure
changed are written, so a second run over the same days writes nothing, and a day whose
records are gone loses its row. The nightly run covers every day something was recorded for
since the start of yesterday: a refusal is recorded for the day wanted, often a day ahead.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from bookings.models import TurnedAway, TurnedAwayDaily

AREA = ("district", "local_body", "pin_code")


def _counted(*, first: date, last: date) -> dict[tuple, dict]:
    """{(day, kind, centre id or None, PIN code or ""): the row's figures}, from the records."""
    records = TurnedAway.objects.filter(day__range=(first, last)).order_by()
    at_centres = (
        records.filter(centre__isnull=False)
        .values("day", "kind", "centre_id")
        .annotate(people=Count("pk"), **{f: Max(f) for f in AREA})
    )
    near_homes = (
        records.filter(centre__isnull=True)
        .values("day", "kind", "pin_code")
        .annotate(people=Count("pk"), district=Max("district"), local_body=Max("local_body"))
    )
    counted = {}
    for row in at_centres:
        counted[(row["day"], row["kind"], row["centre_id"], "")] = row
    for row in near_homes:
        counted[(row["day"], row["kind"], None, row["pin_code"])] = {**row, "centre_id": None}
    return counted


def _key(row: TurnedAwayDaily) -> tuple:
    return (row.day, row.kind, row.centre_id, "" if row.centre_id else row.pin_code)


def rollup(*, first: date, last: date, now: datetime | None = None) -> int:
    """Bring TurnedAwayDaily for `first`..`last` in line with the records. Returns how many
    rows were written, changed or removed (0 when a re-run found nothing new)."""
    now = now or timezone.now()
    fields = ["people", *AREA]
    with transaction.atomic():
        counted = _counted(first=first, last=last)
        existing = {
            _key(row): row
            for row in TurnedAwayDaily.objects.select_for_update().filter(day__range=(first, last))
        }
        new, changed = [], []
        for key, figures in counted.items():
            row = existing.pop(key, None)
            if row is None:
                new.append(
                    TurnedAwayDaily(
                        day=key[0],
                        kind=key[1],
                        centre_id=key[2],
                        computed_at=now,
                        **{f: figures[f] for f in fields},
                    )
                )
            elif any(getattr(row, f) != figures[f] for f in fields):
                for f in fields:
                    setattr(row, f, figures[f])
                row.computed_at = now
                changed.append(row)
        TurnedAwayDaily.objects.bulk_create(new)
        TurnedAwayDaily.objects.bulk_update(changed, [*fields, "computed_at"])
        gone = TurnedAwayDaily.objects.filter(pk__in=[row.pk for row in existing.values()])
        removed = gone.delete()[0] if existing else 0
    return len(new) + len(changed) + removed


def rollup_recent(*, now: datetime | None = None) -> int:
    """Nightly: every day wanted that something was recorded for since yesterday began."""
    now = now or timezone.now()
    since = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    since -= timedelta(days=1)
    days = TurnedAway.objects.filter(hour__gte=since).aggregate(first=Min("day"), last=Max("day"))
    if days["first"] is None:
        return 0
    return rollup(first=days["first"], last=days["last"], now=now)
