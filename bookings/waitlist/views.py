"""Waitlist pages: join a full centre's line, see your place, take or leave an offer."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bookings.core import waitlist
from bookings.models import WaitlistEntry
from centres.models import Centre
from wnh.errors import DomainError


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise Http404("No such day") from error


@login_required
@require_http_methods(["GET", "POST"])
def join(request, slug: str, day: str):
    centre = get_object_or_404(Centre, slug=slug)
    day = _day(day)
    if request.method == "POST":
        try:
            waitlist.join_waitlist(user=request.user, centre=centre, day=day)
        except DomainError as error:
            messages.error(request, error.message)
            return render(
                request,
                "bookings/waitlist/join.html",
                {"centre": centre, "day": day},
                status=error.status,
            )
        messages.success(request, _("You are on the waitlist. We will email you if a seat frees."))
        return redirect("waitlist:mine")
    return render(request, "bookings/waitlist/join.html", {"centre": centre, "day": day})


@login_required
def mine(request):
    entries = waitlist.waitlist_of(request.user, today=timezone.localdate())[:50]
    return render(request, "bookings/waitlist/mine.html", {"entries": entries})


@login_required
@require_POST
def leave(request, entry_id: int):
    entry = get_object_or_404(WaitlistEntry, pk=entry_id, user=request.user)
    waitlist.leave_waitlist(entry=entry, user=request.user)
    messages.success(request, _("You have left the waitlist."))
    return redirect("waitlist:mine")


@login_required
@require_http_methods(["GET", "POST"])
def offer(request, entry_id: int):
    """The link in the offer email. GET shows the offer; only POST books (links get prefetched)."""
    entry = get_object_or_404(
        WaitlistEntry.objects.select_related("centre", "offered_seat__pod"),
        pk=entry_id,
        user=request.user,
    )
    if request.method == "POST":
        try:
            booking = waitlist.accept_offer(entry=entry, user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            entry.refresh_from_db()
            return render(
                request, "bookings/waitlist/offer.html", {"entry": entry}, status=error.status
            )
        messages.success(
            request,
            _("Booked: seat %(seat)s at %(centre)s on %(day)s.")
            % {"seat": booking.seat.label, "centre": entry.centre.local_name, "day": booking.day},
        )
        return redirect("waitlist:mine")
    is_open = (
        entry.status == WaitlistEntry.Status.OFFERED and entry.offer_expires_at > timezone.now()
    )
    return render(request, "bookings/waitlist/offer.html", {"entry": entry, "is_open": is_open})
