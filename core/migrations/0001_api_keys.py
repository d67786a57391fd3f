"""API keys move from the incidents app to the floor (core), keeping their table
(``incidents_apikey``), their rows, and the permissions staff were given on them: only
Django's record of which app owns the model changes, so no table is created or copied."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import core.models.base


def content_type_to_core(apps, schema_editor):
    # The permissions (add/change/delete/view_apikey) and the admin's log entries point at
    # the content type: renaming its app keeps every grant and history row.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="apikey").exists():
        ContentType.objects.filter(app_label="incidents", model="apikey").update(app_label="core")


def content_type_to_incidents(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="incidents", model="apikey").exists():
        ContentType.objects.filter(app_label="core", model="apikey").update(app_label="incidents")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        # The table, as the incidents app's migrations left it.
        ("incidents", "0006_incident_is_active"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiKey",
                    fields=[
                        ("id", models.CharField(default=core.models.base.new_ulid, editable=False, max_length=26, primary_key=True, serialize=False)),
                        ("name", models.CharField(max_length=200)),
                        ("comments", models.TextField(blank=True, max_length=5000)),
                        ("roles", models.JSONField(default=list, help_text="incident.io role names")),
                        ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                        ("token_hint", models.CharField(editable=False, help_text="The token's last characters", max_length=12)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        ("token_last_issued_at", models.DateTimeField()),
                        ("previous_token_hash", models.CharField(blank=True, db_index=True, editable=False, max_length=64)),
                        ("previous_token_expires_at", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("created_by_api_key", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="core.apikey")),
                        ("created_by_user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"verbose_name": "API key", "db_table": "incidents_apikey", "ordering": ["created_at", "id"]},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_core, content_type_to_incidents),
    ]
