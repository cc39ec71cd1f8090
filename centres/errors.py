from django.utils.translation import gettext_lazy as _

from wnh.errors import DomainError


class CapacityOutOfRange(DomainError):
    message = _("A pod has 4 to 12 seats.")
    status = 400
    code = "capacity_out_of_range"


class PodStillInUse(DomainError):
    message = _(
        "The pod has bookings or company reservations ahead. Cancel them before closing it."
    )
    code = "pod_still_in_use"


class ClosureOverBookings(DomainError):
    message = _(
        "People have bookings or pod reservations at this centre that day. Cancel them first."
    )
    code = "closure_over_bookings"


class SeatsStillBooked(DomainError):
    message = _(
        "Some of the seats you are removing have bookings ahead. Cancel or move them first."
    )
    code = "seats_still_booked"
