from django.apps import AppConfig


class StatuspagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "statuspages"
    verbose_name = "Status pages"

    def ready(self):
        from statuspages import caching

        # The public site's versions follow every change, in web processes and in the
        # worker alike (maintenance moves by itself there), with acceleration on or off.
        caching.connect()
