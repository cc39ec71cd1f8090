"""The nightly rollup of people turned away (bookings.models.TurnedAway) into TurnedAwayDaily:
per day wanted, kind and centre, or per home PIN code where no centre was near.

Two grouped counts per run (by centre, and by home area) and then only the rows whose figure
changed are written, so a second run over the same days writes nothing, and a day whose
records are gone loses its row. The nightly run covers every day something was recorded for
since the start of yesterday: a refusal is recorded for the day wanted, often a day ahead.

The same night, the searches counted in Redis are copied into SearchDaily (flush_searches),
and the records of days more than WNH_DEMAND_RECORDS_DAYS past are deleted once rolled up
(delete_old_records): the daily figures stay. A rollup never reaches back past that line,
where the records it would count from are gone.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from bookings.core import demand as recorded
from bookings.models import SearchDaily, TurnedAway, TurnedAwayDaily

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


def records_kept_from(now: datetime | None = None) -> date:
    """The first day wanted whose records are kept (WNH_DEMAND_RECORDS_DAYS)."""
    return timezone.localdate(now) - timedelta(days=settings.WNH_DEMAND_RECORDS_DAYS)


def rollup(*, first: date, last: date, now: datetime | None = None) -> int:
    """Bring TurnedAwayDaily for `first`..`last` in line with the records. Returns how many
    rows were written, changed or removed (0 when a re-run found nothing new). Days whose
    records are deleted (records_kept_from) keep their rows as they are."""
    now = now or timezone.now()
    first = max(first, records_kept_from(now))
    if first > last:
        return 0
    return _rollup(first=first, last=last, now=now)


def _rollup(*, first: date, last: date, now: datetime) -> int:
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


def flush_searches(*, now: datetime | None = None) -> int:
    """Copy the search counters (bookings.core.demand.searched) into SearchDaily: each row is
    set to its counter, not added to, so a second run writes nothing. Returns how many rows
    were written or changed. Without Redis the searches are counted in the table already."""
    client = recorded.search_counter()
    if client is None:
        return 0
    now = now or timezone.now()
    days = sorted(day.decode() for day in client.smembers(recorded.SEARCH_DAYS_KEY))
    if not days:
        return 0
    pipe = client.pipeline(transaction=False)
    for day in days:
        pipe.hgetall(recorded.SEARCHES_KEY.format(day=day))
    areas = recorded.pin_areas()
    counted: dict[tuple, list] = {}  # (day, kind, PIN code): [district, searches]
    for day, fields in zip(days, pipe.execute(), strict=True):
        for field, searches in fields.items():
            kind, district, pin_code = recorded.search_area(field.decode(), areas)
            row = counted.setdefault((date.fromisoformat(day), kind, pin_code), [district, 0])
            row[1] += int(searches)
    with transaction.atomic():
        existing = {
            (row.day, row.kind, row.pin_code): row
            for row in SearchDaily.objects.select_for_update().filter(
                day__in={key[0] for key in counted}
            )
        }
        new, changed = [], []
        for key, (district, searches) in counted.items():
            row = existing.get(key)
            if row is None:
                new.append(
                    SearchDaily(
                        day=key[0],
                        kind=key[1],
                        pin_code=key[2],
                        district=district,
                        searches=searches,
                        computed_at=now,
                    )
                )
            elif (row.searches, row.district) != (searches, district):
                row.searches, row.district, row.computed_at = searches, district, now
                changed.append(row)
        SearchDaily.objects.bulk_create(new)
        SearchDaily.objects.bulk_update(changed, ["searches", "district", "computed_at"])
    # A day past the records' period has its counter expired (or about to): forget it.
    gone = [day for day in days if date.fromisoformat(day) < records_kept_from(now)]
    if gone:
        client.srem(recorded.SEARCH_DAYS_KEY, *gone)
    return len(new) + len(changed)


def delete_old_records(*, now: datetime | None = None) -> int:
    """Delete the people turned away for days before records_kept_from, rolled up first (a
    re-run of a day already rolled up writes nothing). Returns how many were deleted."""
    now = now or timezone.now()
    old = TurnedAway.objects.filter(day__lt=records_kept_from(now))
    days = old.aggregate(first=Min("day"), last=Max("day"))
    if days["first"] is None:
        return 0
    with transaction.atomic():
        _rollup(first=days["first"], last=days["last"], now=now)
        return old.delete()[0]


def nightly(*, now: datetime | None = None) -> int:
    """The nightly task: roll up the recent days, copy the searches, delete the old records.
    Returns how many rows changed in all (0 when a second run found nothing to do)."""
    now = now or timezone.now()
    return rollup_recent(now=now) + flush_searches(now=now) + delete_old_records(now=now)
