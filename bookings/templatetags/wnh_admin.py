"""The admin front page's work queue, as a tag its template calls (templates/admin/index.html)."""

from datetime import timedelta

from django import template
from django.utils import timezone

from accounts.scopes import centres_in_scope, sees_every_centre
from bookings.admin import work_queue

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_work_queue(context) -> dict:
    """What waits, for the parts of it this officer may see."""
    user = context["request"].user
    today = timezone.localdate()
    # A centre manager or district coordinator sees the queue of their own centres only.
    centres = None if sees_every_centre(user) else centres_in_scope(user)
    queue: dict = {
        "today": today,
        "closures_until": today + timedelta(days=work_queue.CLOSURES_AHEAD_DAYS),
    }
    if user.has_perm("companies.view_company"):
        queue["companies"] = work_queue.pending_companies()
    if user.has_perm("bookings.view_podreservation"):
        queue["reservations"] = work_queue.requested_reservations(centres=centres)
    if user.has_perm("bookings.view_seatbooking"):
        queue["arrivals"] = work_queue.arrivals_today(today=today, centres=centres)
    if user.has_perm("centres.view_centreclosure"):
        queue["closures"] = work_queue.closures_ahead(today=today, centres=centres)
    return queue
