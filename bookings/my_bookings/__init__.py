"""A person's own bookings: the list, cancelling, a booking's calendar file and the private
calendar feed (pages under /bookings/), and /api/bookings/."""
