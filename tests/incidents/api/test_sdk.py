"""incident.io's official Python SDK (the ``incident-io`` package), pointed at a live server
of ours: every call must come back parsed into the SDK's models, which is what a client
written for incident.io sees when it is pointed here."""


import pytest
from incident_io import AuthenticatedClient
from incident_io.api.api_keys_v1 import api_keys_v1_list
from incident_io.api.incident_memberships_v1 import incident_memberships_v1_create, incident_memberships_v1_revoke
from incident_io.api.incidents_v2 import incidents_v2_create, incidents_v2_list, incidents_v2_show
from incident_io.api.severities_v1 import severities_v1_create, severities_v1_list
from incident_io.api.users_v2 import users_v2_list
from incident_io.api.utilities_v1 import utilities_v1_identity
from incident_io.models import (
    APIKeysListResultV1,
    IncidentMembershipsCreatePayloadV1,
    IncidentMembershipsCreateResultV1,
    IncidentMembershipsRevokePayloadV1,
    IncidentsCreatePayloadV2,
    IncidentsCreatePayloadV2Visibility,
    IncidentsCreateResultV2,
    IncidentsListResultV2,
    IncidentsShowResultV2,
    SeveritiesCreatePayloadV1,
    SeveritiesCreateResultV1,
    SeveritiesListResultV1,
    UsersListResultV2,
    UtilitiesIdentityResultV1,
)

from core import services
from incidents.models import IncidentMembership, Severity, Visibility
from tests.factories import UserFactory, declare

# live_server needs real commits: the server thread has its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sdk_key():
    return services.create_api_key(actor=None, name="SDK key", roles=["global_access"])


@pytest.fixture
def sdk(live_server, sdk_key):
    """An SDK client holding a global_access key, talking to our live server."""
    _, token = sdk_key
    with AuthenticatedClient(base_url=live_server.url, token=token, raise_on_unexpected_status=True) as client:
        yield client


def parsed(response, model):
    """The SDK's parsed result, which must be the success model (not an ErrorResponse)."""
    assert response.status_code < 300, response.content
    assert isinstance(response.parsed, model), (type(response.parsed), response.content)
    return response.parsed


def test_identity(sdk):
    result = parsed(utilities_v1_identity.sync_detailed(client=sdk), UtilitiesIdentityResultV1)
    assert result.identity.name == "SDK key"
    assert [str(role) for role in result.identity.roles] == ["global_access"]


def test_list_severities(sdk):
    result = parsed(severities_v1_list.sync_detailed(client=sdk), SeveritiesListResultV1)
    assert [s.name for s in result.severities] == ["Minor", "Major", "Critical"]


def test_create_severity(sdk):
    body = SeveritiesCreatePayloadV1(name="Catastrophic", description="Everything is down", rank=9)
    result = parsed(severities_v1_create.sync_detailed(client=sdk, body=body), SeveritiesCreateResultV1)
    assert result.severity.name == "Catastrophic" and result.severity.rank == 9
    assert Severity.objects.filter(pk=result.severity.id).exists()


def test_list_incidents(sdk):
    declare("Database is slow")
    declare("Checkout fails", severity=Severity.objects.get(name="Major"))
    result = parsed(incidents_v2_list.sync_detailed(client=sdk, page_size=10), IncidentsListResultV2)
    assert [i.name for i in result.incidents] == ["Checkout fails", "Database is slow"]


def test_show_incident(sdk):
    incident = declare("Checkout fails", severity=Severity.objects.get(name="Major"))
    result = parsed(incidents_v2_show.sync_detailed(incident.pk, client=sdk), IncidentsShowResultV2)
    assert result.incident.id == incident.pk and result.incident.reference == incident.reference
    assert result.incident.severity.name == "Major"


def test_create_incident(sdk):
    minor = Severity.objects.get(name="Minor")
    body = IncidentsCreatePayloadV2(
        idempotency_key="sdk-test-1",
        visibility=IncidentsCreatePayloadV2Visibility.PUBLIC,
        name="Created through the SDK",
        summary="The SDK declared this",
        severity_id=minor.pk,
    )
    result = parsed(incidents_v2_create.sync_detailed(client=sdk, body=body), IncidentsCreateResultV2)
    assert result.incident.name == "Created through the SDK" and result.incident.severity.id == minor.pk
    again = parsed(incidents_v2_create.sync_detailed(client=sdk, body=body), IncidentsCreateResultV2)
    assert again.incident.id == result.incident.id  # the idempotency key holds


def test_list_api_keys(sdk, sdk_key):
    key, _ = sdk_key
    services.create_api_key(actor=key, name="Made by the SDK key", roles=["viewer"])
    result = parsed(api_keys_v1_list.sync_detailed(client=sdk), APIKeysListResultV1)
    assert [k.name for k in result.api_keys] == ["SDK key", "Made by the SDK key"]
    assert result.api_keys[1].creator.api_key.id == key.pk


def test_list_users(sdk):
    user = UserFactory(first_name="Grace", last_name="Hopper", is_superuser=True)
    result = parsed(users_v2_list.sync_detailed(client=sdk), UsersListResultV2)
    assert [(u.id, u.name, str(u.role)) for u in result.users] == [(str(user.pk), "Grace Hopper", "owner")]
    assert result.users[0].base_role.slug == "owner"


def test_errors_parse_as_the_sdks_error_response(live_server, db):
    from incident_io.models import ErrorResponse

    with AuthenticatedClient(base_url=live_server.url, token="inc_not-a-real-token") as client:
        response = utilities_v1_identity.sync_detailed(client=client)
    assert response.status_code == 401 and isinstance(response.parsed, ErrorResponse)
    assert response.parsed.errors[0].code == "invalid_authorization_material"
    assert response.parsed.request_id == response.headers["X-Request-Id"]


def test_make_a_user_a_member_of_a_private_incident_and_revoke_it(sdk):
    incident = declare("Vault breach", visibility=Visibility.PRIVATE)
    ada = UserFactory(username="ada", first_name="Ada", last_name="Byron")
    body = IncidentMembershipsCreatePayloadV1(incident_id=incident.pk, user_id=str(ada.pk))
    created = parsed(incident_memberships_v1_create.sync_detailed(client=sdk, body=body), IncidentMembershipsCreateResultV1)
    assert created.incident_membership.incident_id == incident.pk and created.incident_membership.user.name == "Ada Byron"
    revoke = IncidentMembershipsRevokePayloadV1(incident_id=incident.pk, user_id=str(ada.pk))
    assert incident_memberships_v1_revoke.sync_detailed(client=sdk, body=revoke).status_code == 204
    assert not IncidentMembership.objects.filter(user=ada).exists()
