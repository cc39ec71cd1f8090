"""A company's pages that join it with bookings: the dashboard of its pods, reserving pods,
the team's week and seat assignments, removing a member, the monthly statement."""
