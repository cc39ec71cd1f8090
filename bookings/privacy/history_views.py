"""The audit history's pages: a person's own bookings in words, and K-DISC's CSV export."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.scopes import sees_every_centre
from bookings.models import SeatBooking
from bookings.privacy.history import export_csv, history_of_person

BOOKINGS_PER_PAGE = 20
# One export covers at most this many days: a bigger one is several downloads.
MAX_EXPORT_DAYS = 92


@login_required
def my_history(request):
    """What happened to each of the person's bookings, newest booking first."""
    page = Paginator(
        SeatBooking.objects.filter(user=request.user)
        .select_related("seat__pod__centre")
        .order_by("-day", "-created_at"),
        BOOKINGS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    lines = history_of_person(request.user, SeatBooking.objects.filter(pk__in=[b.pk for b in page]))
    for booking in page:
        booking.history = lines.get(booking.pk, [])
    return render(request, "bookings/history.html", {"page": page})


def _day(text: str | None, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


def export_history(request):
    """K-DISC staff download the booking history recorded in a date range, as CSV.

    The whole network's history: K-DISC staff and superusers only (a centre manager's scope
    is one centre), with the permission to view bookings."""
    user = request.user
    if not (
        user.is_authenticated
        and sees_every_centre(user)
        and user.has_perm("bookings.view_seatbooking")
    ):
        raise PermissionDenied
    today = timezone.localdate()
    if "first" not in request.GET:
        return render(request, "admin/bookings/history_export.html", {"today": today})
    first = _day(request.GET.get("first"), today)
    last = min(_day(request.GET.get("last"), first), first + timedelta(days=MAX_EXPORT_DAYS - 1))
    response = HttpResponse(
        export_csv(first=first, last=max(first, last)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="wnh-booking-history-{first:%Y%m%d}-{last:%Y%m%d}.csv"'
    )
    return response
