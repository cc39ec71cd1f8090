"""Bookings: the rules that join people, places and tenants (seat-days, pod-days, the waitlist,
no-shows, occupancy) in `bookings.core`, and the features built on it, one package each.

    core/           the rules core: which days, which pods, free seats, locks, every write
    centre_pages/   centres near me, a centre's seat map, booking, check-in (pages and API)
    my_bookings/    a person's bookings, cancelling, calendar files (pages and API)
    company_pages/  a company's dashboard, pod reservations, team week and statement
    waitlist/       waiting for a seat at a full centre, offers and their acceptance
    privacy/        a person's history in words, their data, erasure and retention
    operations/     reminders, occupancy rollups, count repairs, monthly partitions
    admin/          the Django admin of all of it, scoped to each staff member's centres

Each feature imports the core and never another feature; `urls`, `tasks`, `admin`, `apps`
and the management commands wire them together (pyproject.toml's import contracts).
"""
