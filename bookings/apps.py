from django.apps import AppConfig

REMINDER_LAG = "wnh_reminder_lag_seconds"


class BookingsConfig(AppConfig):
    name = "bookings"

    def ready(self) -> None:
        # Registers the waitlist's seat_freed hook (bookings/hooks.py).
        from wnh import metrics

        from . import privacy_admin, reminders, tasks  # noqa: F401

        # Read at each scrape of /metrics (wnh/metrics.py).
        if not any(name == REMINDER_LAG for name, _, _ in metrics.scrape_gauges):
            metrics.scrape_gauges.append(
                (
                    REMINDER_LAG,
                    "Seconds the oldest reminder that is due has waited (0: none waits).",
                    reminders.lag_seconds,
                )
            )

        # The people page erases instead of deleting (bookings/privacy_admin.py).
        privacy_admin.register()
