"""The work that happens later, run by Celery: reminders, occupancy rollups, the repair of the
booked-seat counts, and the monthly partitions of the bookings tables."""
