"""The Django admin of bookings, reservations, the waitlist, occupancy, the schedules, K-DISC's
planning view and the centres' own pages (centres, pods, closure days, rates), scoped to what
each staff member runs. Django imports this package; importing the modules registers their
model admins."""

from bookings.admin import bookings, centres, occupancy, planning, schedules  # noqa: F401
