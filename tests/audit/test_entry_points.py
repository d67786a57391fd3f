"""Every way in writes one entry per changed row, naming who acted, what changed (before
and after) and where from: the admin's forms and bulk actions as the staff user, each API
dialect as its key, a Celery task as the task."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from core.audit import ActorKind
from incidents.models import CustomField, Severity
from notifications import services as notification_services
from notifications.models import Source, Subscriber, Suppression
from statuspages import services as page_services
from statuspages.api.checkly.ids import guid
from statuspages.tasks import advance_maintenance
from tests.clients import make_client
from tests.factories import status_page

pytestmark = pytest.mark.django_db

UPDATE = AuditEntry.Action.UPDATE
CREATE = AuditEntry.Action.CREATE


def test_an_admin_form_is_audited_as_the_staff_user(staff_client, staff, entries):
    minor = Severity.objects.get(name="Minor")
    seen = entries()
    response = staff_client.post(
        f"/admin/incidents/severity/{minor.pk}/change/",
        {"name": "Low", "description": minor.description, "rank": minor.rank},
        HTTP_USER_AGENT="Firefox/140",
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302, response.content
    entry = seen.one(minor)
    assert (entry.action, entry.actor_kind, entry.actor, entry.api_key) == (UPDATE, ActorKind.USER, staff, None)
    assert entry.changes == {"name": ["Minor", "Low"]}
    assert (entry.remote_addr, entry.user_agent, entry.target_type) == ("192.0.2.7", "Firefox/140", "severity")


def test_an_admin_bulk_action_writes_one_entry_per_row_as_the_staff_user(staff_client, staff, entries):
    page = status_page()
    one = notification_services.add_subscriber(status_page=page, email="one@example.com", source=Source.ADMIN)
    two = notification_services.add_subscriber(status_page=page, email="two@example.com", source=Source.ADMIN)
    seen = entries()
    response = staff_client.post(
        "/admin/notifications/subscriber/", {"action": "unsubscribe_selected", "_selected_action": [one.pk, two.pk]}
    )
    assert response.status_code == 302, response.content
    for subscriber in (one, two):
        entry = seen.one(subscriber)
        assert (entry.action, entry.actor_kind, entry.actor) == (UPDATE, ActorKind.USER, staff)
        assert entry.changes["suppression"] == ["", Suppression.UNSUBSCRIBED.value]
    assert {entry.object_pk for entry in seen.all()} == {one.pk, two.pk}


def test_a_queryset_update_is_audited_row_by_row(entries):
    first = status_page(name="First", slug="first")
    Subscriber.objects.create(status_page=first, email="a@example.com")
    seen = entries()
    # Subscriber state written with QuerySet.update() (as bounces are), no save() signal
    Subscriber.objects.filter(status_page=first).update(hard_bounces=3)
    (subscriber,) = Subscriber.objects.filter(status_page=first)
    entry = seen.one(subscriber)
    assert entry.action == UPDATE and entry.changes == {"hard_bounces": [0, 3]}
    assert entry.actor_kind == ActorKind.SYSTEM


def test_incident_io_v1_is_audited_as_the_key(entries):
    client = make_client("manage_settings", name="Settings key")
    minor = Severity.objects.get(name="Minor")
    seen = entries()
    response = client.put(f"/v1/severities/{minor.pk}", {"name": "Low", "description": "Small", "rank": minor.rank})
    assert response.status_code == 200, response.content
    entry = seen.one(minor)
    assert (entry.actor_kind, entry.api_key, entry.actor, entry.actor_name) == (ActorKind.API_KEY, client.key, None, "Settings key")
    assert entry.changes == {"name": ["Minor", "Low"], "description": [minor.description, "Small"]}
    assert entry.remote_addr == "127.0.0.1"


def test_incident_io_v2_is_audited_as_the_key(entries):
    client = make_client("manage_settings", name="Settings key")
    field = CustomField.objects.create(name="Team", field_type="text", description="Owning team")
    seen = entries()
    response = client.put(f"/v2/custom_fields/{field.pk}", {"name": "Owning team", "description": "Owning team"})
    assert response.status_code == 200, response.content
    entry = seen.one(field)
    assert (entry.action, entry.actor_kind, entry.api_key) == (UPDATE, ActorKind.API_KEY, client.key)
    assert entry.changes == {"name": ["Team", "Owning team"]}
    assert entry.target_type == "custom_field"


def test_the_status_page_api_is_audited_as_the_key(entries):
    client = make_client("status_page_publisher", name="Publisher")
    component = page_services.create_component(actor=None, name="API")
    seen = entries()
    response = client.put(f"/v2/status_page_components/{component.pk}", {"name": "Public API"})
    assert response.status_code == 200, response.content
    entry = seen.one(component)
    assert (entry.actor_kind, entry.api_key, entry.changes) == (ActorKind.API_KEY, client.key, {"name": ["API", "Public API"]})


def test_cachet_is_audited_as_the_key(entries):
    client = make_client("status_page_publisher", name="Cachet key")
    component = page_services.create_component(actor=None, name="API")
    seen = entries()
    response = client.put(f"/api/components/{component.number}", {"name": "Public API"})
    assert response.status_code == 200, response.content
    entry = seen.one(component)
    assert (entry.actor_kind, entry.api_key, entry.changes) == (ActorKind.API_KEY, client.key, {"name": ["API", "Public API"]})


def test_checkly_is_audited_as_the_key(entries):
    client = make_client("status_page_publisher", name="Checkly key")
    component = page_services.create_component(actor=None, name="API")
    seen = entries()
    response = client.put(f"/v1/status-pages/services/{guid(component.pk)}", {"name": "Public API"})
    assert response.status_code == 200, response.content
    entry = seen.one(component)
    assert (entry.actor_kind, entry.api_key, entry.changes) == (ActorKind.API_KEY, client.key, {"name": ["API", "Public API"]})


def test_a_celery_task_is_audited_as_the_task(entries):
    page = status_page()
    now = timezone.now()
    maintenance = page_services.schedule_maintenance(
        actor=None, status_page=page, name="Database upgrade", message="We upgrade",
        starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(hours=1), published_at=now - timedelta(minutes=5),
    )
    seen = entries()
    advance_maintenance.apply()
    entry = seen.one(maintenance)
    assert (entry.action, entry.actor_kind, entry.actor, entry.api_key) == (UPDATE, ActorKind.SYSTEM, None, None)
    assert entry.actor_name == "task statuspages.tasks.advance_maintenance"
    assert entry.task == "statuspages.tasks.advance_maintenance"
    assert entry.changes["status"] == ["maintenance_scheduled", "maintenance_in_progress"]
    assert entry.remote_addr is None

