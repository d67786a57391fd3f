"""Upgrading with ``migrate`` alone: a database built at the schema of the release before
API keys moved into the floor keeps every row, every foreign key and every permission."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# The last migration of each app before the move (core had none).
BEFORE = [
    ("incidents", "0006_incident_is_active"),
    ("statuspages", "0001_status_pages"),
    ("notifications", "0003_delivery_claims"),
    ("core", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_api_keys_keep_their_rows_links_and_permissions_when_they_move_to_core():
    old = _migrate(BEFORE)
    OldKey = old.get_model("incidents", "ApiKey")
    now = timezone.now()
    parent = OldKey.objects.create(name="Terraform", roles=["global_access"], token_hash="a" * 64, token_hint="aaaa",
                                   token_last_issued_at=now)
    child = OldKey.objects.create(name="CI", roles=["viewer"], token_hash="b" * 64, token_hint="bbbb",
                                  token_last_issued_at=now, created_by_api_key=parent)
    status = old.get_model("incidents", "IncidentStatus").objects.order_by("rank").first()
    incident = old.get_model("incidents", "Incident").objects.create(
        name="Checkout is down", reference_number=4242, status=status, creator_api_key=child, mode="standard",
        visibility="public",
    )
    page_incident = old.get_model("statuspages", "PageIncident").objects.create(
        status_page=old.get_model("statuspages", "StatusPage").objects.create(name="Acme", slug="acme-migrated"),
        name="Checkout is down", actor_api_key=child, published_at=now, number=4242,
    )
    ContentType = old.get_model("contenttypes", "ContentType")
    key_type, _ = ContentType.objects.get_or_create(app_label="incidents", model="apikey")
    ContentType.objects.filter(app_label="core", model="apikey").delete()
    permission, _ = old.get_model("auth", "Permission").objects.get_or_create(
        content_type=key_type, codename="view_apikey", defaults={"name": "Can view API key"}
    )
    auditors = old.get_model("auth", "Group").objects.create(name="Auditors")
    auditors.permissions.add(permission)

    new = _migrate(_latest())

    Key = new.get_model("core", "ApiKey")
    assert Key._meta.db_table == "incidents_apikey"
    assert list(Key.objects.order_by("name").values_list("name", "created_by_api_key__name")) == [
        ("CI", "Terraform"), ("Terraform", None)
    ]
    assert new.get_model("incidents", "Incident").objects.get(pk=incident.pk).creator_api_key.name == "CI"
    assert new.get_model("statuspages", "PageIncident").objects.get(pk=page_incident.pk).actor_api_key.name == "CI"
    # The same content type, now core's: the group's grant is still there.
    assert ContentType.objects.get(pk=key_type.pk).app_label == "core"
    granted = new.get_model("auth", "Group").objects.get(name="Auditors").permissions.get()
    assert (granted.content_type.app_label, granted.codename) == ("core", "view_apikey")
