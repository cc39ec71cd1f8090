from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "centres"

    def ready(self) -> None:
        from wnh.ids import guard_lookups

        # No id past 64 bits reaches the database, whatever sent it (wnh/ids.py).
        guard_lookups()
