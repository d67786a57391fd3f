"""Actors' API keys point at core's model (``core.0001_api_keys``); Django's records only,
before the incidents app stops describing the model."""

import django.db.models.deletion
from django.db import migrations, models


def _to_core(model_name):
    return migrations.AlterField(
        model_name=model_name,
        name="actor_api_key",
        field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="core.apikey"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_api_keys"),
        ("statuspages", "0001_status_pages"),
    ]
    # The incidents app's model goes in incidents.0007: nothing may still point at it then.
    run_before = [("incidents", "0007_api_keys_in_core")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[_to_core(name) for name in ("maintenance", "maintenanceupdate", "pageincident", "pageincidentupdate")],
            database_operations=[],
        ),
    ]
