"""The Django admin of bookings, reservations, the waitlist, occupancy, the schedules and the
centres' own pages (centres, pods, closure days, rates), scoped to what each staff member
runs. Django imports this package; importing the modules registers their model admins."""

from bookings.admin import bookings, centres, occupancy, schedules  # noqa: F401
