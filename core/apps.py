from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "API access"

    def ready(self):
        from core import acceleration, checks  # noqa: F401 (checks: registers the system checks)

        # The accelerated caches follow every change to a key whether acceleration is on
        # or not, so turning it on never serves a key as it was before the change.
        acceleration.connect()
