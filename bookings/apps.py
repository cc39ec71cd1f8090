from django.apps import AppConfig

REMINDER_LAG = "wnh_reminder_lag_seconds"


class BookingsConfig(AppConfig):
    name = "bookings"

    def ready(self) -> None:
        # Registers the waitlist's seat_freed hook (bookings/core/hooks.py).
        from bookings import tasks  # noqa: F401
        from bookings.operations import partitions, reminders
        from bookings.privacy import admin as privacy_admin
        from wnh import metrics

        # Read at each scrape of /metrics (wnh/metrics.py).
        gauges = [
            (
                REMINDER_LAG,
                "Seconds the oldest reminder that is due has waited (0: none waits).",
                reminders.lag_seconds,
            ),
            (
                partitions.ROWS_IN_DEFAULT,
                "Rows in the bookings tables' default partitions (0 unless a month is missing).",
                partitions.default_rows_for_metrics,
            ),
            (
                partitions.MONTHS_AHEAD,
                "Months after this one the bookings tables are partitioned for (alert below 2).",
                partitions.months_ahead_for_metrics,
            ),
        ]
        registered = {name for name, _, _ in metrics.scrape_gauges}
        metrics.scrape_gauges.extend(g for g in gauges if g[0] not in registered)

        # The people page erases instead of deleting (bookings/privacy/admin.py).
        privacy_admin.register()
