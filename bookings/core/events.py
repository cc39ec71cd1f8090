"""What the services tell companies' webhooks (companies/webhooks.py): one function per
event, called by the one service that makes the change, inside its transaction.

A booking is told to the company whose reserved pod it is in (SeatBooking.company), whose
admins see it on the team week already; a person's own bookings elsewhere, and their
waitlist offers (which are never in a reserved pod), are none of their employer's business
and are not told. The data is built only when an endpoint listens.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bookings.models import PodReservation, SeatBooking
from companies import webhooks


def _person(user) -> dict:
    return {"id": user.pk, "email": user.email, "name": user.full_name}


def booking_data(booking: SeatBooking) -> dict:
    seat = booking.seat
    return {
        "booking": {
            "id": booking.pk,
            "day": booking.day,
            "status": booking.status,
            "centre": {"id": seat.pod.centre_id, "name": seat.pod.centre.name},
            "pod": seat.pod.code,
            "seat": seat.label,
            "booked_by": booking.booked_by_id,
        },
        "user": _person(booking.user),
    }


def booking_made(booking: SeatBooking) -> None:
    if booking.company_id is not None:
        webhooks.emit(
            company_id=booking.company_id,
            event_type=webhooks.BOOKING_CREATED,
            data=lambda: booking_data(booking),
        )


def bookings_cancelled(bookings: Iterable[SeatBooking]) -> None:
    for booking in bookings:
        if booking.company_id is not None:
            webhooks.emit(
                company_id=booking.company_id,
                event_type=webhooks.BOOKING_CANCELLED,
                data=lambda booking=booking: booking_data(booking),
            )


def reservation_data(reservation: PodReservation, days_given_up: list[date] | None) -> dict:
    pod = reservation.pod
    data = {
        "reservation": {
            "id": reservation.pk,
            "status": reservation.status,
            "centre": {"id": pod.centre_id, "name": pod.centre.name},
            "pod": {"id": pod.pk, "code": pod.code, "capacity": pod.capacity},
            "first_day": reservation.first_day,
            "last_day": reservation.last_day,
            "weekdays": reservation.weekdays,
        }
    }
    if days_given_up is not None:
        data["days_given_up"] = sorted(days_given_up)
    return data


def reservation_changed(
    reservation: PodReservation, event_type: str, *, days_given_up: list[date] | None = None
) -> None:
    """`event_type`: webhooks.RESERVATION_CONFIRMED, _REJECTED or _CANCELLED."""
    webhooks.emit(
        company_id=reservation.company_id,
        event_type=event_type,
        data=lambda: reservation_data(reservation, days_given_up),
    )
