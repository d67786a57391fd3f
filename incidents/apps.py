from django.apps import AppConfig


def _people_changed(sender, update_fields=None, **kwargs):
    # Users render as assignees and creators of incidents; a login only moves last_login.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    from . import caching

    caching.bump("people")


class IncidentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "incidents"

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save

        # Cache invalidation only: no domain change happens here (those go through services).
        post_save.connect(_people_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="incidents-people-saved")
        post_delete.connect(_people_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="incidents-people-deleted")
