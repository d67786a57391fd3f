from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class IncidentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents"

    def ready(self):
        from incidents.api import acceleration

        # The accelerated API's caches follow the domain's changes whether acceleration is
        # on or not, so turning it on never serves what changed while it was off.
        acceleration.connect()

        post_migrate.connect(_sync_staff_groups, dispatch_uid="incidents.sync_staff_groups")


def _sync_staff_groups(sender, **kwargs):
    # post_migrate is sent once per app, and Django creates each app's permissions in its
    # own receiver: wait for the last app, when every model's permissions exist.
    if sender is not list(apps.get_app_configs())[-1]:
        return
    from incidents.services import sync_staff_groups

    sync_staff_groups()
