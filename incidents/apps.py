from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents"

    def ready(self):
        from incidents.api.accel import versions

        # The accelerated API's caches follow the domain's changes whether acceleration is
        # on or not, so turning it on never serves what changed while it was off.
        versions.connect()
