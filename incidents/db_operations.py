"""Migration operations for what only PostgreSQL has. Elsewhere (SQLite, the embedded
default) they change the migration state, so the models and migrations agree, and
nothing in the database."""

from django.db import migrations


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """An index only PostgreSQL can build (a GIN trigram index); elsewhere a no-op."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
