from django.apps import AppConfig


class StatuspagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "statuspages"
    verbose_name = "Status pages"

    def ready(self):
        # tasks: registers those scheduling sends by name
        from statuspages import caching, tasks  # noqa: F401
        from statuspages.export import scheduling

        # The public site's versions follow every change, in web processes and in the
        # worker alike (maintenance moves by itself there), with acceleration on or off.
        caching.connect()
        # Each change is also written to the pages' exports (when STATUSPAGES_EXPORT_DIR is set).
        scheduling.connect()
