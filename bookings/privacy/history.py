"""The audit history of bookings in words: for the person, the admin and K-DISC's export.

The rows are django-pghistory's events (wnh/audit.py): one per insert, update and delete of a
seat booking, each a snapshot of the row with the context of the write (who, which path,
which request). A change is read by comparing an event with the one before it. The times
said are the booking's own (cancelled_at, no_show_at, ...), which the services set; the
event's own time is the database's clock.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from bookings.models import SeatBooking, SeatBookingEvent
from companies.models import Membership
from wnh import audit

# What is said about a change: the status a booking moved to, and the time field it set.
STATUS_TIMES = {
    SeatBooking.Status.CANCELLED: "cancelled_at",
    SeatBooking.Status.CHECKED_IN: "checked_in_at",
    SeatBooking.Status.NO_SHOW: "no_show_at",
}
# Bookkeeping that is no change anyone asked about.
QUIET_FIELDS = {"reminder_sent_at", "morning_reminder_sent_at"}
COMPARED_FIELDS = ["user_id", "seat_id", "day", "status", "company_id", "booked_by_id"]


@dataclass
class HistoryLine:
    event_id: int
    booking_id: int
    at: datetime
    action: str  # booked, cancelled, checked_in, no_show, changed, deleted
    actor_id: int | None
    actor: str  # "you", "the company admin", "K-DISC staff", "the portal" ...
    path: str  # web, api, admin, task, command ("" before the history began)
    request_id: str
    view: str
    changes: dict[str, tuple]  # field -> (old, new)
    sentence: str


def events_of(bookings: QuerySet[SeatBooking] | None = None) -> QuerySet:
    events = SeatBookingEvent.objects.select_related("pgh_context").order_by(
        "pgh_obj_id", "pgh_created_at", "pgh_id"
    )
    if bookings is not None:
        events = events.filter(pgh_obj_id__in=bookings.values("pk"))
    return events


def _actor(*, user_id: int | None, path: str, booking_user_id: int, company_id, staff, admins):
    if user_id is None:
        if path == audit.PATH_COMMAND:
            return _("a K-DISC maintenance command")
        if path == audit.PATH_TASK:
            return _("the portal")
        return ""  # written outside any request, task or command (a shell): nobody to name
    if user_id == booking_user_id:
        return _("you")
    if company_id is not None and (company_id, user_id) in admins:
        return _("the company admin")
    if user_id in staff:
        return _("K-DISC staff")
    return _("someone else")


def _sentence(*, action: str, actor: str, at: datetime, view: str) -> str:
    when = date_format(timezone.localtime(at), "j M Y, H:i")
    hour = date_format(timezone.localtime(at), "H:i")
    if not actor and action in ("booked", "cancelled", "deleted", "changed"):
        return {
            "booked": _("booked on %(when)s"),
            "cancelled": _("cancelled on %(when)s"),
            "deleted": _("deleted on %(when)s"),
            "changed": _("changed on %(when)s"),
        }[action] % {"when": when}
    if action == "booked":
        return _("booked by %(who)s on %(when)s") % {"who": actor, "when": when}
    if action == "cancelled":
        if view.endswith("remove_member"):
            return _("cancelled when %(who)s removed the member from the company, on %(when)s") % {
                "who": actor,
                "when": when,
            }
        return _("cancelled by %(who)s on %(when)s") % {"who": actor, "when": when}
    if action == "no_show":
        return _("released as no-show at %(hour)s") % {"hour": hour}
    if action == "checked_in":
        return _("checked in at %(hour)s") % {"hour": hour}
    if action == "reminded":
        return _("reminder sent on %(when)s") % {"when": when}
    if action == "deleted":
        return _("deleted by %(who)s on %(when)s") % {"who": actor, "when": when}
    return _("changed by %(who)s on %(when)s") % {"who": actor, "when": when}


def history_lines(events) -> list[HistoryLine]:
    """Events (ordered by booking, then time) in words. Three queries whatever their number."""
    events = list(events)
    user_ids = {e.pgh_context.metadata.get("user") for e in events if e.pgh_context} - {None}
    staff = set(User.objects.filter(pk__in=user_ids, is_staff=True).values_list("pk", flat=True))
    admins = set(Membership.admins().filter(user__in=user_ids).values_list("company_id", "user_id"))
    lines, previous = [], None
    for event in events:
        if previous is not None and previous.pgh_obj_id != event.pgh_obj_id:
            previous = None
        meta = event.pgh_context.metadata if event.pgh_context else {}
        changes = {}
        if previous is not None:
            for field in [*COMPARED_FIELDS, *QUIET_FIELDS]:
                old, new = getattr(previous, field), getattr(event, field)
                if old != new:
                    changes[field] = (old, new)
        if event.pgh_label == "insert":
            action, at = "booked", event.created_at
        elif event.pgh_label == "delete":
            action, at = "deleted", event.pgh_created_at
        elif "status" in changes and event.status in STATUS_TIMES:
            action = str(event.status)
            at = getattr(event, STATUS_TIMES[event.status]) or event.pgh_created_at
        elif changes and set(changes) <= QUIET_FIELDS:
            action, at = "reminded", event.pgh_created_at  # no change to the booking
        else:
            action, at = "changed", event.pgh_created_at
        path = meta.get("path", "")
        user_id = meta.get("user")
        if user_id is None and event.pgh_label == "insert" and not path:
            user_id = event.booked_by_id  # written outside any context: the row says who
        actor = _actor(
            user_id=user_id,
            path=path,
            booking_user_id=event.user_id,
            company_id=event.company_id,
            staff=staff,
            admins=admins,
        )
        view = meta.get("view", meta.get("task", meta.get("command", "")))
        lines.append(
            HistoryLine(
                event_id=event.pgh_id,
                booking_id=event.pgh_obj_id,
                at=at,
                action=action,
                actor_id=user_id,
                actor=actor,
                path=path,
                request_id=meta.get("request_id", ""),
                view=view,
                changes=changes,
                sentence=_sentence(action=action, actor=actor, at=at, view=view),
            )
        )
        previous = event
    return lines


def history_of_person(
    user: User, bookings: QuerySet[SeatBooking] | None = None
) -> dict[int, list[HistoryLine]]:
    """Booking id -> what happened to it, for the person's own bookings (or some of them)."""
    mine = SeatBooking.objects.filter(user=user)
    if bookings is not None:
        mine = mine.filter(pk__in=bookings.values("pk"))
    by_booking: dict[int, list[HistoryLine]] = {}
    for line in history_lines(events_of(mine)):
        if line.action != "reminded":
            by_booking.setdefault(line.booking_id, []).append(line)
    return by_booking


# -- K-DISC's export ---------------------------------------------------------------------

EXPORT_COLUMNS = [
    "event_id",
    "recorded_at",
    "booking_id",
    "day",
    "seat_id",
    "person_id",
    "company_id",
    "event",
    "action",
    "status",
    "actor_id",
    "path",
    "view_or_task",
    "request_id",
    "changes",
]


def events_recorded_between(first: date, last: date) -> QuerySet:
    """Events recorded from `first` to `last` (inclusive; Asia/Kolkata days)."""
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return SeatBookingEvent.objects.filter(pgh_created_at__gte=start, pgh_created_at__lt=end)


def export_csv(*, first: date, last: date) -> str:
    """The booking history recorded in a date range, one row an event, as CSV.

    People are named by id only: the export leaves the building, and an id means nothing
    once its account is erased."""
    in_range = set(events_recorded_between(first, last).values_list("pgh_id", flat=True))
    # Each changed booking's whole history, so every event is compared with the one before.
    events = events_of(
        SeatBooking.objects.filter(
            pk__in=SeatBookingEvent.objects.filter(pgh_id__in=in_range).values("pgh_obj_id")
        )
    )
    events = list(events)
    by_event = {line.event_id: line for line in history_lines(events)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for event in events:
        if event.pgh_id not in in_range:
            continue
        line = by_event[event.pgh_id]
        meta = event.pgh_context.metadata if event.pgh_context else {}
        writer.writerow(
            [
                event.pgh_id,
                timezone.localtime(event.pgh_created_at).isoformat(),
                event.pgh_obj_id,
                event.day.isoformat(),
                event.seat_id,
                event.user_id,
                event.company_id or "",
                event.pgh_label,
                line.action,
                event.status,
                meta.get("user") or "",
                meta.get("path", ""),
                meta.get("view", meta.get("task", meta.get("command", ""))),
                meta.get("request_id", ""),
                "; ".join(f"{k}: {o} → {n}" for k, (o, n) in line.changes.items()),
            ]
        )
    return out.getvalue()
