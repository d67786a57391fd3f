"""Incident Memberships V1: making a user a member of a private incident and revoking it,
in incident.io's shapes, gated by ``incident_memberships_editor``."""

import pytest

from incidents.models import IncidentMembership, Visibility
from tests.contract import assert_matches_contract
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(api_as):
    """A key that may change memberships and see private incidents."""
    return api_as("incident_memberships_editor", "global_access", name="Membership bot")


@pytest.fixture
def private():
    return declare("Vault breach", visibility=Visibility.PRIVATE)


def _members(incident):
    return set(IncidentMembership.objects.filter(incident=incident).values_list("user__username", flat=True))


def test_create_a_membership(editor, private):
    ada = UserFactory(username="ada", first_name="Ada", last_name="Byron")
    response = editor.post("/v1/incident_memberships", {"incident_id": private.pk, "user_id": str(ada.pk)})
    assert response.status_code == 201
    body = assert_matches_contract(response, "Incident Memberships V1#Create")
    membership = body["incident_membership"]
    assert membership["incident_id"] == private.pk
    assert membership["user"] == {"id": str(ada.pk), "name": "Ada Byron", "role": "responder", "email": "ada@example.com"}
    assert _members(private) == {"ada"}
    # Again: the same membership, nothing added.
    again = editor.post("/v1/incident_memberships", {"incident_id": private.pk, "user_id": str(ada.pk)})
    assert again.json()["incident_membership"]["id"] == membership["id"]


def test_revoke_a_membership(editor, private):
    ada = UserFactory(username="ada")
    IncidentMembership.objects.create(incident=private, user=ada)
    response = editor.post("/v1/incident_memberships/actions/revoke", {"incident_id": private.pk, "user_id": str(ada.pk)})
    assert response.status_code == 204 and response.content == b""
    assert_matches_contract(response, "Incident Memberships V1#Revoke")
    assert _members(private) == set()


@pytest.mark.parametrize("path", ["/v1/incident_memberships", "/v1/incident_memberships/actions/revoke"])
def test_a_key_without_the_role_is_refused(api_as, private, path):
    viewer = api_as("viewer", "incident_creator", "incident_editor")
    response = viewer.post(path, {"incident_id": private.pk, "user_id": str(UserFactory().pk)})
    assert response.status_code == 403
    assert response.json()["type"] == "resource_forbidden"


def test_a_private_incident_the_key_may_not_see_is_unknown(api_as, private):
    editor = api_as("incident_memberships_editor")
    response = editor.post("/v1/incident_memberships", {"incident_id": private.pk, "user_id": str(UserFactory().pk)})
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["field"] == "incident_id"
    assert "Vault" not in response.content.decode()


def test_unknown_users_and_public_incidents_are_refused(editor, private):
    unknown = editor.post("/v1/incident_memberships", {"incident_id": private.pk, "user_id": "999999"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["source"]["field"] == "user_id"
    public = declare("Slow dashboard")
    refused = editor.post("/v1/incident_memberships", {"incident_id": public.pk, "user_id": str(UserFactory().pk)})
    assert refused.status_code == 422 and refused.json()["errors"][0]["code"] == "not_private"
