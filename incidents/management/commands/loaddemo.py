"""Realistic demo data for every app, loaded through the services: each app that has a
``demo`` module contributes its own (``demo.load(stdout)``), in the order of
INSTALLED_APPS, so an app's demo can build on the apps it depends on. Idempotent: a second
run changes nothing."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule


class Command(BaseCommand):
    help = "Load realistic demo data (incidents with timelines, status pages with their history). Safe to run twice."

    @transaction.atomic
    def handle(self, *args, **options):
        for app in apps.get_app_configs():
            if module_has_submodule(app.module, "demo"):
                import_module(f"{app.name}.demo").load(self.stdout)
        self.stdout.write("Demo data ready.")
