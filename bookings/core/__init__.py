"""The rules core: the only place a booking rule is written.

    days          which days a centre takes bookings, the window, closing time, closures
    pods          which pods a person may use on a day, free-seat counts
    locks         the row locks and their order; a lock wait that runs out is "busy"
    noshows       the no-show limit on booking ahead, and releasing no-shows
    selectors     reads that carry the rules: near me, the seat map, a person's bookings
    services      every write to seat bookings (book, cancel, check in, claim a reminder)
    reservations  every write to pod reservations, and the search before one
    closures      closing a centre for a day or a pod, refused over bookings
    errors        the refusals, each with its message and HTTP status
    hooks         who is told when a seat frees
    ics           a booking as a calendar event

Pages, the API, the admin, the tasks and the commands ask these modules; none re-derives a
rule from the fields.
"""
