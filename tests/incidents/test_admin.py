import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from core import services as core_services
from core.models import ApiKey
from incidents import services
from incidents.models import (
    CustomField,
    CustomFieldOption,
    FieldType,
    Incident,
    IncidentRole,
    IncidentStatus,
    IncidentTimestamp,
    IncidentType,
    Severity,
    StatusCategory,
)
from tests.factories import CustomFieldFactory, CustomFieldOptionFactory, UserFactory, api_key, declare, set_field_values

pytestmark = pytest.mark.django_db

MODELS = [Incident, Severity, IncidentStatus, IncidentType, IncidentRole, CustomField, IncidentTimestamp, ApiKey]


@pytest.fixture
def objects():
    field = CustomFieldFactory(field_type=FieldType.MULTI_SELECT)
    option = CustomFieldOptionFactory(custom_field=field)
    incident = declare("Admin incident", summary="**bold**")
    set_field_values(incident, field, [services.FieldValue(option=option)])
    services.assign_role(incident=incident, role=IncidentRole.objects.get(role_type="lead"), assignee=UserFactory(), actor=None)
    services.import_postmortem_document(incident=incident, actor=None, title="PM", content="# Heading")
    key, _ = api_key()
    return {
        Incident: incident,
        Severity: Severity.objects.first(),
        IncidentStatus: IncidentStatus.objects.first(),
        IncidentType: IncidentType.objects.first(),
        IncidentRole: IncidentRole.objects.first(),
        CustomField: field,
        IncidentTimestamp: IncidentTimestamp.objects.first(),
        ApiKey: key,
    }


def _urls(model, obj):
    meta = model._meta
    return [
        reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
        reverse(f"admin:{meta.app_label}_{meta.model_name}_add"),
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]),
    ]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_admin_page_renders_for_staff(staff_client, objects, model):
    for url in _urls(model, objects[model]):
        assert staff_client.get(url).status_code == 200, url


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_admin_page_is_refused_to_anonymous_users(client, objects, model):
    for url in _urls(model, objects[model]):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_changelist_filters_and_reference_search(staff_client):
    incident = declare("Findable")
    declare("Other")
    url = reverse("admin:incidents_incident_changelist")
    response = staff_client.get(url, {"q": incident.reference})
    assert list(response.context["cl"].result_list) == [incident]
    response = staff_client.get(url, {"category": "live", "visibility__exact": "public"})
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 2


def test_postmortem_is_shown_rendered_and_sanitised(staff_client):
    incident = declare("PM")
    services.import_postmortem_document(incident=incident, actor=None, title="Review", content="# Cause\n<script>x()</script>")
    body = staff_client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert "<h1>Cause</h1>" in body and "<script>x()" not in body


def test_declaring_in_the_admin_goes_through_the_service(staff_client, staff, severities):
    response = staff_client.post(
        reverse("admin:incidents_incident_add"),
        {"name": "From the admin", "summary": "", "severity": severities["Major"].pk, "mode": "standard", "visibility": "public", "call_url": ""},
    )
    assert response.status_code == 302, response.content
    incident = Incident.objects.get(name="From the admin")
    assert incident.creator == staff
    assert incident.reference_number >= 1
    assert incident.updates.count() == 1


# Posting updates and editing roles, custom fields and timestamps on the incident page:
# tests/incidents/admin/test_incident_page.py.


def test_move_and_close_actions(staff_client, statuses):
    a, b = declare("A"), declare("B")
    url = reverse("admin:incidents_incident_changelist")
    staff_client.post(url, {"action": f"move_to_{statuses['Monitoring'].pk}", "_selected_action": [a.pk, b.pk]})
    assert set(Incident.objects.values_list("status__name", flat=True)) == {"Monitoring"}
    staff_client.post(url, {"action": "close_incidents", "_selected_action": [a.pk]})
    a.refresh_from_db()
    assert a.status.category == StatusCategory.CLOSED
    assert a.updates.filter(new_status__category="closed").exists()


def test_api_key_token_is_shown_once_and_only_hashed(staff_client):
    response = staff_client.post(
        reverse("admin:core_apikey_add"), {"name": "CI", "roles": ["viewer", "incident_creator"], "comments": ""}, follow=True
    )
    key = ApiKey.objects.get(name="CI")
    shown = [str(m) for m in response.context["messages"]]
    token = shown[0].split("<code>")[1].split("</code>")[0]
    assert core_services.authenticate_token(token) == key
    assert key.token_hash != token
    again = staff_client.get(reverse("admin:core_apikey_change", args=[key.pk])).content.decode()
    assert token not in again


def test_rotate_action_issues_a_new_token(staff_client):
    key, old = api_key()
    staff_client.post(reverse("admin:core_apikey_changelist"), {"action": "rotate_keys", "_selected_action": [key.pk]})
    assert core_services.authenticate_token(old) is None


def test_a_key_shows_until_when_its_replaced_token_still_works(staff_client):
    key, _ = api_key()
    page = lambda: staff_client.get(reverse("admin:core_apikey_change", args=[key.pk])).content.decode()  # noqa: E731
    assert "still accepted until" not in page()
    core_services.rotate_api_key(key=key, actor=None, grace_period_minutes=30)
    assert "still accepted until" in page()


def test_severity_rank_is_editable_from_the_list(staff_client, severities):
    minor = severities["Minor"]
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "3", "_save": "Save"}
    for n, sev in enumerate(Severity.objects.order_by("rank")):
        data[f"form-{n}-id"] = sev.pk
        data[f"form-{n}-rank"] = 99 if sev == minor else sev.rank
    response = staff_client.post(reverse("admin:incidents_severity_changelist"), data)
    assert response.status_code == 302
    minor.refresh_from_db()
    assert minor.rank == 99


def test_deleting_an_in_use_severity_is_refused_with_a_message(staff_client, severities):
    declare("Uses it", severity=severities["Minor"])
    staff_client.post(reverse("admin:incidents_severity_delete", args=[severities["Minor"].pk]), {"post": "yes"})
    assert Severity.objects.filter(pk=severities["Minor"].pk).exists()


def test_custom_field_options_are_edited_inline(staff_client):
    response = staff_client.post(
        reverse("admin:incidents_customfield_add"),
        {
            "name": "Region",
            "description": "",
            "field_type": "single_select",
            "required": "never",
            "show_before_creation": "on",
            "show_before_closure": "on",
            "show_before_update": "on",
            "options-TOTAL_FORMS": "2",
            "options-INITIAL_FORMS": "0",
            "options-0-value": "EU",
            "options-0-sort_key": "10",
            "options-1-value": "US",
            "options-1-sort_key": "20",
        },
    )
    assert response.status_code == 302
    assert list(CustomFieldOption.objects.filter(custom_field__name="Region").values_list("value", flat=True)) == ["EU", "US"]


def test_read_only_group_can_view_but_not_change(client, statuses):
    from django.core.management import call_command

    call_command("loaddemo", verbosity=0)
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.groups.add(Group.objects.get(name="Incident viewers"))
    client.force_login(viewer)
    incident = Incident.objects.exclude(status__category=StatusCategory.CLOSED).first()
    change_url = reverse("admin:incidents_incident_change", args=[incident.pk])
    assert client.get(reverse("admin:incidents_incident_changelist")).status_code == 200
    assert client.get(change_url).status_code == 200
    assert client.get(reverse("admin:incidents_incident_add")).status_code == 403
    before = incident.name
    client.post(change_url, {"name": "Hijacked", "mode": incident.mode, "visibility": incident.visibility})
    incident.refresh_from_db()
    assert incident.name == before
    assert client.post(reverse("admin:incidents_incident_changelist"), {"action": "close_incidents", "_selected_action": [incident.pk]}).status_code in (200, 302)
    incident.refresh_from_db()
    assert incident.status.category != StatusCategory.CLOSED
    assert Permission.objects.filter(group__name="Incident viewers", codename__startswith="change_").count() == 0
