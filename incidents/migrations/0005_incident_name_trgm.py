"""A trigram index for the admin's search by name, on PostgreSQL only.

The admin's ``name__icontains`` is ``UPPER(name) LIKE UPPER('%term%')`` on PostgreSQL, which
this GIN index (pg_trgm) answers without reading the table. TrigramExtension runs on
PostgreSQL only, as Django's extension operations do. The index is created by SQL, not
declared in ``Meta.indexes``: SQLite rebuilds a table from the model's indexes whenever a
migration alters it, and could not build this one.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "incident_name_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON incidents_incident USING gin ((UPPER("name")) gin_trgm_ops)')


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0004_staff_groups")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
