"""Every change shows on the very next request, with the API's acceleration on (which
caches keys, configuration and rendered incidents) and off."""

import pytest

from core import services as core_services
from incidents import services
from incidents.models import IncidentRole, Severity, Visibility
from tests.clients import ApiClient, make_client
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db


def _shown(client, incident):
    return client.get(f"/v2/incidents/{incident.pk}").json()["incident"]


def test_editing_an_incident_shows_at_once(viewer):
    incident = declare("Before")
    assert _shown(viewer, incident)["name"] == "Before"
    services.edit_incident(incident=incident, actor=None, name="After")
    assert _shown(viewer, incident)["name"] == "After"
    assert viewer.get("/v2/incidents").json()["incidents"][0]["name"] == "After"


def test_renaming_a_severity_shows_in_cached_incidents(viewer, api_as):
    minor = Severity.objects.get(name="Minor")
    incident = declare("Sev", severity=minor)
    assert _shown(viewer, incident)["severity"]["name"] == "Minor"
    api_as("manage_settings").put(f"/v1/severities/{minor.pk}", {"name": "Low", "description": ""})
    assert _shown(viewer, incident)["severity"]["name"] == "Low"


def test_a_new_custom_field_appears_on_cached_incidents(viewer, api_as):
    incident = declare("Fields")
    assert _shown(viewer, incident)["custom_field_entries"] == []
    api_as("manage_settings").post("/v2/custom_fields", {"name": "Region", "description": "Where", "field_type": "text"})
    assert [e["custom_field"]["name"] for e in _shown(viewer, incident)["custom_field_entries"]] == ["Region"]


def test_renaming_an_assignee_shows_at_once(viewer):
    user = UserFactory(first_name="Ada", last_name="Lovelace")
    incident = declare("Who")
    services.assign_role(incident=incident, role=IncidentRole.objects.get(role_type="lead"), assignee=user, actor=None)
    lead = lambda: next(a for a in _shown(viewer, incident)["incident_role_assignments"] if a["role"]["role_type"] == "lead")  # noqa: E731
    assert lead()["assignee"]["name"] == "Ada Lovelace"
    user.first_name = "Augusta"
    user.save()
    assert lead()["assignee"]["name"] == "Augusta Lovelace"


def test_renaming_the_creating_key_shows_at_once(viewer):
    key, _ = core_services.create_api_key(actor=None, name="Pager", roles=["incident_creator"])
    incident = declare("From a key", actor=key)
    assert _shown(viewer, incident)["creator"]["api_key"]["name"] == "Pager"
    core_services.update_api_key(key=key, actor=None, name="Alerts", roles=["incident_creator"])
    assert _shown(viewer, incident)["creator"]["api_key"]["name"] == "Alerts"


def test_a_cached_private_incident_is_never_shown_to_a_viewer(api, viewer):
    secret = declare("Secret", visibility=Visibility.PRIVATE)
    assert api.get(f"/v2/incidents/{secret.pk}").status_code == 200  # rendered and cached
    assert viewer.get(f"/v2/incidents/{secret.pk}").status_code == 404
    assert secret.pk not in [i["id"] for i in viewer.get("/v2/incidents").json()["incidents"]]


def test_a_rotated_token_stops_working_although_it_was_cached():
    client = make_client("viewer", "api_keys_manage")
    assert client.get("/v1/identity").status_code == 200  # the key is now cached
    response = client.post(f"/v1/api_keys/{client.key.pk}/actions/rotate", {"grace_period_minutes": 0})
    assert response.status_code == 201
    assert client.get("/v1/identity").status_code == 401
    assert ApiClient(response.json()["token"]).get("/v1/identity").status_code == 200


def test_a_deleted_key_stops_working_although_it_was_cached():
    client = make_client("viewer")
    assert client.get("/v1/severities").status_code == 200
    core_services.delete_api_key(key=client.key, actor=None)
    assert client.get("/v1/severities").status_code == 401


def test_a_role_taken_away_applies_to_the_next_request():
    client = make_client("viewer")
    assert client.get("/v1/severities").status_code == 200
    core_services.update_api_key(key=client.key, actor=None, name=client.key.name, roles=["incident_creator"])
    assert client.get("/v1/severities").status_code == 403


def test_a_new_default_type_applies_to_the_next_declaration(api):
    body = {"idempotency_key": "one", "visibility": "public", "name": "First"}
    assert api.post("/v2/incidents", body).json()["incident"]["incident_type"]["name"] == "Default"
    services.create_incident_type(actor=None, name="Platform", description="", is_default=True)
    body = {"idempotency_key": "two", "visibility": "public", "name": "Second"}
    assert api.post("/v2/incidents", body).json()["incident"]["incident_type"]["name"] == "Platform"


def _listed(client, **params):
    return [i["name"] for i in client.get("/v2/incidents", params).json()["incidents"]]


def test_a_cached_list_page_follows_every_change(viewer):
    one = declare("One")
    assert _listed(viewer) == ["One"]
    declare("Two")
    assert _listed(viewer) == ["Two", "One"]
    services.edit_incident(incident=one, actor=None, name="One, renamed")
    assert _listed(viewer) == ["Two", "One, renamed"]
    assert _listed(viewer, page_size=1) == ["Two"]
    assert viewer.get("/v2/incidents", {"page_size": 1}).json()["pagination_meta"]["after"]


def test_a_page_cached_for_a_key_that_sees_private_incidents_never_reaches_one_that_does_not(api_as, viewer):
    declare("Public")
    declare("Secret", visibility=Visibility.PRIVATE)
    everyone = api_as("global_access")
    assert _listed(everyone) == ["Secret", "Public"]
    assert _listed(viewer) == ["Public"]
    assert _listed(everyone) == ["Secret", "Public"]
