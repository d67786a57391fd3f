from django.apps import AppConfig


class StatuspagesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "statuspages"
    verbose_name = "Status pages"
