"""Booking pages: thin views over bookings/core/selectors.py and bookings/core/services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User, new_calendar_token
from bookings.core import services
from bookings.core.days import cancellation_deadline
from bookings.core.ics import calendar_of
from bookings.core.selectors import bookings_of, calendar_bookings, past_bookings, upcoming_bookings
from bookings.models import SeatBooking
from wnh.errors import DomainError
from wnh.pwa.offline import kept_offline

PAST_PER_PAGE = 20


def _calendar_response(ical: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(ical, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@kept_offline  # the service worker keeps it for when the connection drops (wnh/pwa/)
def my_bookings(request):
    today = timezone.localdate()
    upcoming = list(upcoming_bookings(user=request.user, today=today)[:100])
    for booking in upcoming:
        booking.cancel_until = cancellation_deadline(booking.seat.pod.centre, booking.day)
        booking.can_cancel = (
            booking.status == SeatBooking.Status.BOOKED and timezone.now() < booking.cancel_until
        )
    past = Paginator(past_bookings(user=request.user, today=today), PAST_PER_PAGE).get_page(
        request.GET.get("page")
    )
    feed_url = request.build_absolute_uri(
        reverse("bookings:feed", kwargs={"token": request.user.calendar_token})
    )
    return render(
        request,
        "bookings/mine.html",
        {"upcoming": upcoming, "past": past, "feed_url": feed_url, "today": today},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, booking_id: int):
    """GET asks "cancel this seat?" (one tap must not lose a seat); POST cancels."""
    if request.method == "GET":
        booking = get_object_or_404(
            bookings_of(request.user).filter(status=SeatBooking.Status.BOOKED), pk=booking_id
        )
        booking.cancel_until = cancellation_deadline(booking.seat.pod.centre, booking.day)
        return render(request, "bookings/cancel.html", {"booking": booking})
    try:
        booking = services.cancel_booking(booking=booking_id, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Cancelled your seat %(seat)s on %(day)s.")
            % {"seat": booking.seat.label, "day": date_format(booking.day, "D j M Y")},
        )
    return redirect("bookings:mine")


@login_required
def booking_ics(request, booking_id: int):
    booking = get_object_or_404(bookings_of(request.user), pk=booking_id)
    return _calendar_response(calendar_of([booking]), f"wnh-seat-{booking.day:%Y-%m-%d}.ics")


def feed(request, token: str):
    """The personal calendar feed: no login (calendar apps cannot log in), a secret URL."""
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("No such calendar.")
    bookings = calendar_bookings(user=user, today=timezone.localdate())
    # A calendar app fetches the feed without the person's cookie: their profile's language.
    calendar = calendar_of(bookings, name="WNH Seats", language=user.language)
    response = _calendar_response(calendar, "wnh-seats.ics")
    response["Content-Disposition"] = 'inline; filename="wnh-seats.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_POST
def rotate_calendar_token(request):
    user = request.user
    user.calendar_token = new_calendar_token()
    user.save(update_fields=["calendar_token"])
    messages.success(
        request, _("Your calendar link has changed. Subscriptions to the old link stop working.")
    )
    return redirect("bookings:mine")
