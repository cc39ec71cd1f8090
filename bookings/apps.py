from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"

    def ready(self) -> None:
        # Registers the waitlist's seat_freed hook (bookings/hooks.py).
        from . import privacy_admin, tasks  # noqa: F401

        # The people page erases instead of deleting (bookings/privacy_admin.py).
        privacy_admin.register()
