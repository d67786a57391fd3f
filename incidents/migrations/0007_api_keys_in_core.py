"""API keys now belong to the floor (``core.0001_api_keys``): the incidents app stops
describing the model and its foreign keys point at core's. Django's records only; the
table and its rows stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_api_keys"),
        ("incidents", "0006_incident_is_active"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="incidentupdate",
                    name="actor_api_key",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="core.apikey"),
                ),
                migrations.AlterField(
                    model_name="incident",
                    name="creator_api_key",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="core.apikey"),
                ),
                migrations.DeleteModel(name="ApiKey"),
            ],
            database_operations=[],
        ),
    ]
