from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"

    def ready(self) -> None:
        # Registers the waitlist's seat_freed hook (bookings/hooks.py).
        from . import tasks  # noqa: F401
