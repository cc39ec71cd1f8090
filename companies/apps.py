from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "companies"

    def ready(self) -> None:
        # Registers the webhooks' delivery hook (companies/webhooks.py).
        from companies import tasks  # noqa: F401
