"""A company's monthly usage statement: what it is billed, and why.

The statement page and its CSV (bookings/company_pages/views.py) show it.

The billing rule
----------------
1. Pod-days. Every day of a confirmed pod reservation that falls in the month and was not
   given up is billed as the pod's capacity x the pod-day rate per seat, whether or not the
   seats were used: the pod was the company's alone that day. A day given up before it came
   (cancel_pod_reservation from that day on) is not billed.
2. Seat-days. A seat booking that carries the company (SeatBooking.company) on a day when its
   pod is *not* covered by one of the company's billed pod-days is billed as one seat-day at
   the seat-day rate. Bookings inside the company's reserved pods are already paid for by
   rule 1 and are counted as use, not billed again. Cancelled bookings are not billed;
   booked, checked-in and no-show bookings are (a no-show still held the seat).
3. Each day is priced at the centre's rate in force that day (centres.CentreRate: the latest
   one that took effect on or before it; the first rate also covers days before it), so a
   rate change in the middle of a month prices the days before it at the old rate. A centre
   whose rate changed in the month has one line per rate. Amounts are exact Decimal rupees:
   the database sums integer seat counts per centre and rate, and Python multiplies by the
   rate, so no floating point (SQLite's decimal sums) ever touches money.

One query per section (pod-days, seat-days), grouped by centre and rate in SQL, and one for
the rates, whatever the month's number of days or bookings.
"""

import calendar
import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from bookings.models import ReservedPodDay, SeatBooking
from centres.models import CentreRate
from companies.models import Company
from wnh.routers import replica_reads

ZERO = Decimal("0.00")

BILLED_BOOKING_STATUSES = (
    SeatBooking.Status.BOOKED,
    SeatBooking.Status.CHECKED_IN,
    SeatBooking.Status.NO_SHOW,
)


@dataclass
class CentreLine:
    centre_id: int
    centre_name: str
    seat_day_rate: Decimal
    pod_seat_day_rate: Decimal
    rate_from: date  # the day this line's rate took effect, or the month's first if earlier
    pod_days: int = 0
    pod_seat_days: int = 0  # sum of capacities over the billed pod-days
    pod_amount: Decimal = Decimal("0.00")
    seats_used_in_pods: int = 0  # seat-days members actually booked inside those pods
    no_shows_in_pods: int = 0
    seat_days: int = 0  # billed seat-days outside reserved pods
    seat_amount: Decimal = Decimal("0.00")

    @property
    def total(self) -> Decimal:
        return self.pod_amount + self.seat_amount


@dataclass
class Statement:
    company: Company
    month: date  # the first of the month
    lines: list[CentreLine] = field(default_factory=list)

    @property
    def first_day(self) -> date:
        return self.month

    @property
    def last_day(self) -> date:
        return self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1])

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal("0.00"))

    @property
    def pod_days(self) -> int:
        return sum(line.pod_days for line in self.lines)

    @property
    def seat_days(self) -> int:
        return sum(line.seat_days for line in self.lines)


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def rate_in_force(*, centre: str, day: str) -> Coalesce:
    """The id of the centre's rate in force on the row's day, as SQL: `centre` and `day` are
    the row's field paths (the first rate also covers days before it)."""
    rates = CentreRate.objects.filter(centre_id=OuterRef(centre))
    in_force = rates.filter(effective_from__lte=OuterRef(day)).order_by("-effective_from")
    return Coalesce(
        Subquery(in_force.values("pk")[:1]),
        Subquery(rates.order_by("effective_from").values("pk")[:1]),
    )


@replica_reads  # a month's bill: a replica a few seconds behind is fine
def monthly_statement(*, company: Company, month: date) -> Statement:
    first, last = month_bounds(month)
    lines: dict[tuple[int, int], CentreLine] = {}
    pod_rows = list(
        ReservedPodDay.objects.filter(
            company=company, day__range=(first, last), cancelled_at__isnull=True
        )
        .values(
            centre_id=F("pod__centre_id"),
            centre_name=F("pod__centre__name"),
            rate_id=rate_in_force(centre="pod__centre_id", day="day"),
        )
        .annotate(pod_days=Count("pk"), seats=Sum("pod__capacity"))
        .order_by()
    )
    in_company_pod = ReservedPodDay.objects.filter(
        company=company,
        pod_id=OuterRef("seat__pod_id"),
        day=OuterRef("day"),
        cancelled_at__isnull=True,
    )
    seat_rows = list(
        SeatBooking.objects.filter(
            company=company, day__range=(first, last), status__in=BILLED_BOOKING_STATUSES
        )
        .annotate(in_pod=Exists(in_company_pod))
        .values(
            centre_id=F("seat__pod__centre_id"),
            centre_name=F("seat__pod__centre__name"),
            rate_id=rate_in_force(centre="seat__pod__centre_id", day="day"),
        )
        .annotate(
            in_pods=Count("pk", filter=Q(in_pod=True)),
            no_shows=Count("pk", filter=Q(in_pod=True, status=SeatBooking.Status.NO_SHOW)),
            outside=Count("pk", filter=Q(in_pod=False)),
        )
        .order_by()
    )
    rate_ids = {row["rate_id"] for row in pod_rows + seat_rows} - {None}
    rates = CentreRate.objects.in_bulk(rate_ids) if rate_ids else {}

    def line(row: dict) -> CentreLine:
        key = (row["centre_id"], row["rate_id"])
        if key not in lines:
            # A centre with no rate yet is billed nothing (as the old default rate, 0, did).
            rate = rates.get(row["rate_id"]) or CentreRate(
                effective_from=first, seat_day_rate=ZERO, pod_seat_day_rate=ZERO
            )
            lines[key] = CentreLine(
                centre_id=row["centre_id"],
                centre_name=row["centre_name"],
                seat_day_rate=rate.seat_day_rate,
                pod_seat_day_rate=rate.pod_seat_day_rate,
                rate_from=max(rate.effective_from, first),
            )
        return lines[key]

    for row in pod_rows:
        entry = line(row)
        entry.pod_days += row["pod_days"]
        entry.pod_seat_days += row["seats"]
        entry.pod_amount += row["seats"] * entry.pod_seat_day_rate
    for row in seat_rows:
        entry = line(row)
        entry.seats_used_in_pods += row["in_pods"]
        entry.no_shows_in_pods += row["no_shows"]
        entry.seat_days += row["outside"]
        entry.seat_amount += row["outside"] * entry.seat_day_rate

    ordered = sorted(lines.values(), key=lambda entry: (entry.centre_name, entry.rate_from))
    return Statement(company=company, month=first, lines=ordered)


CSV_HEADER = [
    "centre",
    "rate_from",
    "seat_day_rate_inr",
    "pod_seat_day_rate_inr",
    "pod_days",
    "pod_seat_days",
    "pod_amount_inr",
    "seats_used_in_pods",
    "no_shows_in_pods",
    "seat_days_outside_pods",
    "seat_amount_inr",
    "total_inr",
]


# A spreadsheet runs a cell that starts with one of these as a formula (or, after a tab or
# carriage return, may still): a centre named "=HYPERLINK(...)" must arrive as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """`value` as a CSV cell that a spreadsheet shows as text, never runs (OWASP's advice)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def statement_csv(statement: Statement) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in _statement_rows(statement):
        writer.writerow([spreadsheet_safe(value) for value in row])
    return out.getvalue()


def _statement_rows(statement: Statement):
    for entry in statement.lines:
        yield (
            [
                entry.centre_name,
                entry.rate_from.isoformat(),
                f"{entry.seat_day_rate:.2f}",
                f"{entry.pod_seat_day_rate:.2f}",
                entry.pod_days,
                entry.pod_seat_days,
                f"{entry.pod_amount:.2f}",
                entry.seats_used_in_pods,
                entry.no_shows_in_pods,
                entry.seat_days,
                f"{entry.seat_amount:.2f}",
                f"{entry.total:.2f}",
            ]
        )
    yield (
        [
            "TOTAL",
            "",
            "",
            "",
            statement.pod_days,
            sum(e.pod_seat_days for e in statement.lines),
            f"{sum((e.pod_amount for e in statement.lines), Decimal('0.00')):.2f}",
            sum(e.seats_used_in_pods for e in statement.lines),
            sum(e.no_shows_in_pods for e in statement.lines),
            statement.seat_days,
            f"{sum((e.seat_amount for e in statement.lines), Decimal('0.00')):.2f}",
            f"{statement.total:.2f}",
        ]
    )


@dataclass
class PodQuote:
    """What a pod reservation would be billed, shown before the request is sent."""

    days: list[date]
    seats: int
    total: Decimal


def pod_reservation_quote(*, pod, days: list[date]) -> PodQuote:
    """Rule 1 and 3 above, ahead of time: each day at the rate in force that day (one query)."""
    rates = list(CentreRate.objects.filter(centre_id=pod.centre_id).order_by("effective_from"))
    total = ZERO
    for day in days:
        in_force = [rate for rate in rates if rate.effective_from <= day] or rates[:1]
        if in_force:
            total += pod.capacity * in_force[-1].pod_seat_day_rate
    return PodQuote(days=days, seats=pod.capacity, total=total)
