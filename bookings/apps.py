from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"

    def ready(self) -> None:
        # Registers the waitlist's seat_freed hook with the booking services.
        from . import waitlist  # noqa: F401
