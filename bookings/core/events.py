"""What the services tell companies' webhooks (companies/webhooks.py): one function per
event, called by the one service that makes the change, inside its transaction.

A booking is told to the company whose reserved pod it is in (SeatBooking.company), whose
admins see it on the team week already; a waitlist offer to every company of the person
offered. The data is built only when an endpoint listens.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from bookings.models import PodReservation, SeatBooking, WaitlistEntry
from companies import webhooks
from companies.models import Membership


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


def waitlist_offered(entry: WaitlistEntry) -> None:
    companies = Membership.objects.filter(user_id=entry.user_id).values_list(
        "company_id", flat=True
    )
    for company_id in companies:
        webhooks.emit(
            company_id=company_id,
            event_type=webhooks.WAITLIST_OFFERED,
            data=lambda: {
                "offer": {
                    "id": entry.pk,
                    "day": entry.day,
                    "centre": {"id": entry.centre_id, "name": entry.centre.name},
                    "expires_at": entry.offer_expires_at,
                },
                "user": _person(entry.user),
            },
        )
