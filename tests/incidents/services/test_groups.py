"""The staff groups every installation starts with: what a member of each may do in the
admin, and how the groups take in models added later."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse

from core.models import ApiKey
from incidents.models import CustomField, Incident, IncidentStatus, Severity
from incidents.services import sync_staff_groups
from incidents.services.groups import MANAGERS, RESPONDERS, VIEWERS
from statuspages.models import Component, Maintenance, PageIncident, StatusPage
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db

OPERATIONAL = [Incident, PageIncident, Maintenance]
CONFIGURATION = [Severity, IncidentStatus, CustomField, StatusPage, Component]


def _member(group_name):
    user = UserFactory(username=group_name.split()[-1], is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def _may(user, model, action) -> bool:
    request = RequestFactory().get("/admin/")
    request.user = user
    return getattr(admin.site._registry[model], f"has_{action}_permission")(request)


def test_the_three_groups_exist_after_migrate():
    assert set(Group.objects.filter(name__in=[VIEWERS, RESPONDERS, MANAGERS]).values_list("name", flat=True)) == {
        VIEWERS, RESPONDERS, MANAGERS
    }


def test_viewers_see_incidents_and_configuration_and_change_nothing():
    viewer = _member(VIEWERS)
    for model in OPERATIONAL + CONFIGURATION:
        assert _may(viewer, model, "view"), model
        for action in ("add", "change", "delete"):
            assert not _may(viewer, model, action), (model, action)
    assert not _may(viewer, ApiKey, "view")


def test_responders_declare_and_update_incidents_but_leave_configuration_and_keys_alone():
    responder = _member(RESPONDERS)
    for model in OPERATIONAL:
        assert _may(responder, model, "add") and _may(responder, model, "change"), model
    assert not _may(responder, Incident, "delete")
    for model in CONFIGURATION:
        assert _may(responder, model, "view"), model
        assert not any(_may(responder, model, action) for action in ("add", "change", "delete")), model
    assert not _may(responder, ApiKey, "view")


def test_managers_also_change_configuration_and_keys():
    manager = _member(MANAGERS)
    for model in OPERATIONAL + CONFIGURATION + [ApiKey]:
        for action in ("view", "add", "change", "delete"):
            assert _may(manager, model, action), (model, action)


def test_a_responder_declares_an_incident_in_the_admin(client, severities):
    client.force_login(_member(RESPONDERS))
    response = client.post(
        reverse("admin:incidents_incident_add"),
        {"name": "Declared by a responder", "summary": "", "severity": severities["Major"].pk, "mode": "standard", "visibility": "public", "call_url": ""},
    )
    assert response.status_code == 302, response.content
    assert Incident.objects.filter(name="Declared by a responder").exists()
    assert client.get(reverse("admin:incidents_severity_add")).status_code == 403
    assert client.get(reverse("admin:core_apikey_changelist")).status_code == 403


def test_a_viewer_opens_an_incident_but_cannot_declare_one(client):
    incident = declare("Looked at")
    client.force_login(_member(VIEWERS))
    assert client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).status_code == 200
    assert client.get(reverse("admin:incidents_incident_add")).status_code == 403


def test_a_manager_adds_a_severity_and_opens_the_api_keys(client):
    client.force_login(_member(MANAGERS))
    response = client.post(reverse("admin:incidents_severity_add"), {"name": "Sev 0", "description": "", "rank": 9})
    assert response.status_code == 302, response.content
    assert Severity.objects.filter(name="Sev 0").exists()
    assert client.get(reverse("admin:core_apikey_add")).status_code == 200


def test_a_model_added_later_falls_into_the_groups_by_its_kind():
    widget = ContentType.objects.create(app_label="statuspages", model="widget")
    for action in ("view", "add", "change", "delete"):
        Permission.objects.create(content_type=widget, codename=f"{action}_widget", name=f"Can {action} widget")
    sync_staff_groups()

    def codenames(name):
        return set(Permission.objects.filter(group__name=name, content_type=widget).values_list("codename", flat=True))

    assert codenames(VIEWERS) == codenames(RESPONDERS) == {"view_widget"}
    assert codenames(MANAGERS) == {"view_widget", "add_widget", "change_widget", "delete_widget"}


def test_syncing_keeps_permissions_given_by_hand():
    responders = Group.objects.get(name=RESPONDERS)
    extra = Permission.objects.get(codename="add_severity")
    responders.permissions.add(extra)
    sync_staff_groups()
    assert responders.permissions.filter(pk=extra.pk).exists()
