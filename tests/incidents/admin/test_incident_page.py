"""The incident page: where the incident is at a glance, posting an update, reopening
with confirmation, the timeline, and the details form (roles, custom fields with the
widget their type needs, timestamps), all through the services."""

from datetime import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from incidents import services
from incidents.models import CustomFieldValue, FieldRequired, FieldType, IncidentRole, IncidentTimestamp
from tests.factories import CustomFieldFactory, CustomFieldOptionFactory, UserFactory, declare, set_field_values

pytestmark = pytest.mark.django_db


def page_url(incident):
    return reverse("admin:incidents_incident_change", args=[incident.pk])


def post_url(incident):
    return reverse("admin:incidents_incident_post_update", args=[incident.pk])


def details_data(client, incident, **changes):
    """The details form as the page fills it in, with ``changes``."""
    form = client.get(page_url(incident)).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(value, datetime):
            value = value.strftime("%Y-%m-%dT%H:%M")
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else ("" if value is None else str(value))
    data.update(changes)
    return data


def test_the_header_says_where_the_incident_is(staff_client, severities, lead_role):
    incident = declare("Checkout is down", severity=severities["Critical"], visibility="private")
    services.assign_role(incident=incident, role=lead_role, assignee=UserFactory(first_name="Grace", last_name="Hopper"), actor=None)
    body = staff_client.get(page_url(incident)).content.decode()
    header = body[body.index('<header class="inc-header"'): body.index("</header>", body.index('<header class="inc-header"'))]
    assert f'<span class="inc-ref">{incident.reference}</span> Checkout is down' in header
    assert "inc-cat-live" in header and '<span class="inc-badge inc-sev-high">Critical</span>' in header
    assert "Grace Hopper" in header and "Private" in header and "Open for" in header and "Declared" in header


def test_posting_an_update_changes_status_and_severity_in_one_timeline_entry(staff_client, statuses, severities):
    incident = declare("Slow search", triage=True)
    before = incident.updates.count()
    response = staff_client.post(post_url(incident), {"message": "Found the *cause*", "new_status": statuses["Fixing"].pk, "new_severity": severities["Major"].pk})
    assert response.status_code == 302 and response["Location"] == page_url(incident)
    incident.refresh_from_db()
    assert (incident.status, incident.severity) == (statuses["Fixing"], severities["Major"])
    assert incident.updates.count() == before + 1
    update = incident.updates.order_by("-created_at").first()
    assert (update.message, update.new_status, update.new_severity) == ("Found the *cause*", statuses["Fixing"], severities["Major"])
    assert LogEntry.objects.get(object_id=incident.pk).get_change_message() == "Posted an update: status Triage → Fixing, severity none → Major"


def test_closing_without_a_message_is_refused_on_the_message(staff_client, statuses):
    incident = declare("No reason")
    response = staff_client.post(post_url(incident), {"message": "", "new_status": statuses["Closed"].pk})
    assert response.status_code == 200
    assert response.context["update_form"].errors == {"message": ["Closing an incident needs a message"]}
    incident.refresh_from_db()
    assert incident.status != statuses["Closed"]


def test_an_empty_update_is_refused(staff_client):
    incident = declare("Nothing to say")
    response = staff_client.post(post_url(incident), {"message": "  "})
    assert response.status_code == 200 and "An update needs a message" in response.content.decode()


def test_reopening_a_closed_incident_asks_first_and_changes_nothing_until_confirmed(staff_client, statuses):
    incident = declare("Came back")
    services.close_incident(incident=incident, actor=None, message="Fixed")
    posted = {"message": "It is back", "new_status": statuses["Investigating"].pk}
    response = staff_client.post(post_url(incident), posted)
    assert response.status_code == 200
    assert "admin/incidents/incident/confirm_reopen.html" in [t.name for t in response.templates]
    assert f"Yes, reopen {incident.reference}" in response.content.decode()
    incident.refresh_from_db()
    assert incident.status == statuses["Closed"]
    response = staff_client.post(post_url(incident), {**posted, "confirm_reopen": "on"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == statuses["Investigating"]


def test_moving_an_active_incident_needs_no_confirmation(staff_client, statuses):
    incident = declare("Still going")
    assert staff_client.post(post_url(incident), {"new_status": statuses["Monitoring"].pk}).status_code == 302


def test_the_timeline_is_newest_first_rendered_sanitised_and_says_who(staff_client, staff):
    incident = declare("Timeline")
    services.post_incident_update(incident=incident, actor=staff, message="first **bold**")
    services.post_incident_update(incident=incident, actor=staff, message="second <script>alert(1)</script>")
    body = staff_client.get(page_url(incident)).content.decode()
    assert body.index("second") < body.index("first <strong>bold</strong>")
    assert "<script>alert(1)" not in body and "<strong>staff</strong>" in body


def test_each_custom_field_gets_the_widget_its_type_needs_and_required_ones_are_marked(staff_client):
    single = CustomFieldFactory(name="Impact", field_type=FieldType.SINGLE_SELECT, required=FieldRequired.ALWAYS)
    CustomFieldOptionFactory(custom_field=single, value="Degraded")
    multi = CustomFieldFactory(name="Services", field_type=FieldType.MULTI_SELECT)
    CustomFieldOptionFactory(custom_field=multi, value="API")
    text = CustomFieldFactory(name="Root cause", field_type=FieldType.TEXT, required=FieldRequired.BEFORE_CLOSURE)
    link = CustomFieldFactory(name="Runbook", field_type=FieldType.LINK)
    number = CustomFieldFactory(name="Customers hit", field_type=FieldType.NUMERIC)
    incident = declare("Widgets")
    body = staff_client.get(page_url(incident)).content.decode()
    assert f'<select name="field_{single.pk}"' in body
    assert f'<select name="field_{multi.pk}"' in body and f'id="id_field_{multi.pk}" multiple' in body
    assert f'<textarea name="field_{text.pk}"' in body
    assert f'<input type="url" name="field_{link.pk}"' in body
    assert f'<input type="number" name="field_{number.pk}"' in body
    assert "Required." in body and "Required before the incident closes." in body


def test_invalid_custom_field_input_is_refused_with_the_field_named(staff_client):
    number = CustomFieldFactory(name="Customers hit", field_type=FieldType.NUMERIC)
    link = CustomFieldFactory(name="Runbook", field_type=FieldType.LINK)
    incident = declare("Bad values")
    data = details_data(staff_client, incident, **{f"field_{number.pk}": "many", f"field_{link.pk}": "ftp://x"})
    response = staff_client.post(page_url(incident), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors[f"field_{number.pk}"] == ["Customers hit takes a number"]
    assert errors[f"field_{link.pk}"] == ["Runbook takes an http(s) URL"]
    assert not CustomFieldValue.objects.filter(incident=incident).exists()


def test_the_details_form_saves_roles_custom_fields_and_timestamps_through_one_service_call(staff_client, lead_role, monkeypatch):
    multi = CustomFieldFactory(name="Services", field_type=FieldType.MULTI_SELECT)
    api, web = CustomFieldOptionFactory(custom_field=multi, value="API"), CustomFieldOptionFactory(custom_field=multi, value="Web")
    number = CustomFieldFactory(name="Customers hit", field_type=FieldType.NUMERIC)
    started = IncidentTimestamp.objects.get(name="Impact started at")
    user = UserFactory()
    incident = declare("Details")
    calls = []
    monkeypatch.setattr(services, "edit_incident", lambda **kw: calls.append(kw) or edit(**kw))
    edit = services.incidents.edit_incident
    data = details_data(
        staff_client, incident,
        **{f"role_{lead_role.pk}": str(user.pk), f"field_{multi.pk}": [api.pk, web.pk], f"field_{number.pk}": "1200",
           f"timestamp_{started.pk}": "2026-12-01T10:30", "summary": "New summary"},
    )
    response = staff_client.post(page_url(incident), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert len(calls) == 1
    incident.refresh_from_db()
    assert incident.summary == "New summary"
    assert incident.role_assignments.get(role=lead_role).assignee == user
    assert {v.value_option for v in CustomFieldValue.objects.filter(custom_field=multi)} == {api, web}
    assert CustomFieldValue.objects.get(custom_field=number).value_numeric == "1200"
    assert incident.timestamp_values.get(timestamp=started).value.strftime("%Y-%m-%d %H:%M") == "2026-12-01 10:30"


def test_clearing_a_multi_select_removes_its_values(staff_client):
    multi = CustomFieldFactory(name="Services", field_type=FieldType.MULTI_SELECT)
    api = CustomFieldOptionFactory(custom_field=multi, value="API")
    incident = declare("Clear me")
    set_field_values(incident, multi, [services.FieldValue(option=api)])
    data = details_data(staff_client, incident)
    data.pop(f"field_{multi.pk}")
    assert staff_client.post(page_url(incident), data).status_code == 302
    assert not CustomFieldValue.objects.filter(incident=incident).exists()


def test_the_page_offers_no_shortcuts_to_edit_configuration(staff_client):
    body = staff_client.get(page_url(declare("No shortcuts"))).content.decode()
    assert "related-widget-wrapper-link" not in body and "add_id_" not in body


def test_a_viewer_sees_the_page_without_the_update_form_and_cannot_post(client, statuses):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_incident"))
    client.force_login(viewer)
    incident = declare("Read only")
    response = client.get(page_url(incident))
    assert response.status_code == 200 and "Post an update" not in response.content.decode()
    assert client.post(post_url(incident), {"message": "x"}).status_code == 403


def _grow(incident, n, actor):
    for i in range(n):
        services.post_incident_update(incident=incident, actor=actor, message=f"update {i}")
    for i in range(n):
        field = CustomFieldFactory(name=f"Field {n}-{i}", field_type=[FieldType.SINGLE_SELECT, FieldType.MULTI_SELECT, FieldType.TEXT][i % 3])
        option = CustomFieldOptionFactory(custom_field=field) if field.is_select else None
        CustomFieldOptionFactory(custom_field=field) if field.is_select else None
        set_field_values(incident, field, [services.FieldValue(option=option) if option else services.FieldValue(text="x")])
        role = services.create_incident_role(actor=None, name=f"Role {n}-{i}", shortform=f"r{i}", description="A role")
        services.assign_role(incident=incident, role=role, assignee=UserFactory(), actor=None)
        services.create_follow_up(incident=incident, actor=None, title=f"Follow-up {i}", assignee=UserFactory())
        services.create_action(incident=incident, actor=None, description=f"Action {i}", assignee=UserFactory(is_staff=True))
        services.create_timeline_item(
            incident=incident, actor=UserFactory(), title=f"Note {i}", occurred_at=timezone.now(), idempotency_key=str(i)
        )
        services.relate_incidents(incident=incident, other=declare(f"Related {n}-{i}"), actor=None)
        services.attach_resource(incident=incident, actor=None, resource_type="arbitrary_url", url=f"https://x.test/{n}/{i}")


@pytest.mark.parametrize("n", [1, 12])
def test_the_page_runs_the_same_queries_whatever_its_updates_roles_and_fields(staff_client, staff, n, django_assert_num_queries):
    incident = declare("Big one")
    _grow(incident, n, staff)
    assert IncidentRole.objects.count() == 2 + n
    ContentType.objects.clear_cache()  # a process-wide cache: start each size from the same state
    # session, user; the incident with its status, severity, type and creator, then its
    # role assignments, custom field values, timestamp values; configuration: roles,
    # custom fields, options, timestamps, statuses, severities; active users; linked
    # status page incidents; the timeline; the incident's content type (the admin's
    # history link); the types for the type select; the follow-ups with their assignees,
    # and the staff for the follow-up form's assignee select; the actions with their
    # assignees, and the staff for the action form's assignee select; the timeline items;
    # the related incidents (both sides), the attachments; the attached alerts (the alerts app's card)
    with django_assert_num_queries(25):
        assert staff_client.get(page_url(incident)).status_code == 200
