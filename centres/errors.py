from django.utils.translation import gettext_lazy as _

from wnh.errors import DomainError


class CapacityOutOfRange(DomainError):
    message = _("A pod has 4 to 12 seats.")
    status = 400
    code = "capacity_out_of_range"


class SeatsStillBooked(DomainError):
    message = _(
        "Some of the seats you are removing have bookings ahead. Cancel or move them first."
    )
    code = "seats_still_booked"
