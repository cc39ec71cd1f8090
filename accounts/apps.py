from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from .site import sync_site

        # After django.contrib.sites has made its example.com (sites comes first).
        post_migrate.connect(sync_site, sender=self, dispatch_uid="wnh_sync_site")
