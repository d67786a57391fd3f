"""A trigram index for the admin's search by name. TrigramExtension (CREATE EXTENSION
pg_trgm) runs on PostgreSQL only, as Django's extension operations do; the index too."""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from incidents.db_operations import AddIndexOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [("incidents", "0004_staff_groups")]

    operations = [
        TrigramExtension(),
        AddIndexOnPostgreSQL(
            model_name="incident",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Upper("name"), name="gin_trgm_ops"),
                name="incident_name_trgm_idx",
            ),
        ),
    ]
