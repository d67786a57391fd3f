"""incident.io's official SDK runs actions (``actions_v2``, ``actions_v3``), timeline
items (``incident_timeline_items_v2``), attachments (``incident_attachments_v1``) and
related incidents (``incident_relationships_v1``) here, each answer parsed into the SDK's
own models; the people those answers name resolve through ``users_v2``."""

from datetime import UTC, datetime, timedelta

import pytest
from incident_io import AuthenticatedClient
from incident_io.api.actions_v2 import actions_v2_create, actions_v2_delete, actions_v2_list, actions_v2_show, actions_v2_update
from incident_io.api.actions_v3 import actions_v3_create, actions_v3_delete, actions_v3_list, actions_v3_show, actions_v3_update
from incident_io.api.incident_attachments_v1 import (
    incident_attachments_v1_create,
    incident_attachments_v1_delete,
    incident_attachments_v1_list,
)
from incident_io.api.incident_relationships_v1 import incident_relationships_v1_list
from incident_io.api.incident_timeline_items_v2 import (
    incident_timeline_items_v2_create,
    incident_timeline_items_v2_list,
    incident_timeline_items_v2_update,
)
from incident_io.api.users_v2 import users_v2_list, users_v2_show
from incident_io.models import (
    ActionsCreatePayloadV2,
    ActionsCreatePayloadV3,
    ActionsCreateResultV2,
    ActionsCreateResultV3,
    ActionsListResultV2,
    ActionsListResultV3,
    ActionsShowResultV2,
    ActionsShowResultV3,
    ActionsUpdatePayloadV2,
    ActionsUpdatePayloadV2Status,
    ActionsUpdatePayloadV3,
    ActionsUpdatePayloadV3Status,
    ActionsUpdateResultV2,
    ActionsUpdateResultV3,
    IncidentAttachmentsCreatePayloadV1,
    IncidentAttachmentsCreatePayloadV1Resource,
    IncidentAttachmentsCreatePayloadV1ResourceResourceType,
    IncidentAttachmentsCreateResultV1,
    IncidentAttachmentsListResultV1,
    IncidentRelationshipsListResultV1,
    IncidentTimelineItemsCreatePayloadV2,
    IncidentTimelineItemsCreateResultV2,
    IncidentTimelineItemsListResultV2,
    IncidentTimelineItemsUpdatePayloadV2,
    IncidentTimelineItemsUpdateResultV2,
    UsersListResultV2,
    UsersShowResultV2,
)

from core import services as core_services
from incidents import services
from incidents.models import Action, IncidentAttachment
from tests.factories import UserFactory, declare

from .test_sdk import parsed

# live_server needs real commits: the server thread has its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sdk(live_server):
    _, token = core_services.create_api_key(actor=None, name="SDK key", roles=["viewer", "incident_editor"])
    with AuthenticatedClient(base_url=live_server.url, token=token, raise_on_unexpected_status=True) as client:
        yield client


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_the_sdk_runs_an_action_through_its_life_and_its_assignee_resolves(sdk, version):
    api = {
        "v2": (actions_v2_create, actions_v2_list, actions_v2_show, actions_v2_update, actions_v2_delete),
        "v3": (actions_v3_create, actions_v3_list, actions_v3_show, actions_v3_update, actions_v3_delete),
    }[version]
    models = {
        "v2": (ActionsCreatePayloadV2, ActionsCreateResultV2, ActionsListResultV2, ActionsShowResultV2,
               ActionsUpdatePayloadV2, ActionsUpdatePayloadV2Status, ActionsUpdateResultV2),
        "v3": (ActionsCreatePayloadV3, ActionsCreateResultV3, ActionsListResultV3, ActionsShowResultV3,
               ActionsUpdatePayloadV3, ActionsUpdatePayloadV3Status, ActionsUpdateResultV3),
    }[version]
    create, list_, show, update, delete = api
    CreatePayload, CreateResult, ListResult, ShowResult, UpdatePayload, Status, UpdateResult = models
    incident = declare("Checkout fails")
    assignee = UserFactory(first_name="Grace", last_name="Hopper", is_staff=True)
    body = CreatePayload(incident_id=incident.pk, description="Roll back the deploy", assignee_id=str(assignee.pk))
    created = parsed(create.sync_detailed(client=sdk, body=body), CreateResult).action
    listed = parsed(list_.sync_detailed(client=sdk, incident_id=incident.pk), ListResult)
    assert [a.id for a in listed.actions] == [created.id]
    assert parsed(show.sync_detailed(created.id, client=sdk), ShowResult).action.description == "Roll back the deploy"
    payload = UpdatePayload(description="Roll back the deploy", status=Status.COMPLETED)
    updated = parsed(update.sync_detailed(created.id, client=sdk, body=payload), UpdateResult).action
    assert str(updated.status) == "completed" and updated.completed_at is not None
    # The assignee's id is a user's id: the users API answers who it is.
    person = parsed(users_v2_show.sync_detailed(updated.assignee.id, client=sdk), UsersShowResultV2).user
    assert (person.id, person.name) == (str(assignee.pk), "Grace Hopper")
    assert delete.sync_detailed(created.id, client=sdk).status_code == 204
    assert Action.objects.get(pk=created.id).status == "deleted"


def test_the_sdk_notes_back_dated_timeline_items_once(sdk):
    incident = declare("Checkout fails")
    happened = datetime.now(UTC) - timedelta(hours=1)
    body = IncidentTimelineItemsCreatePayloadV2(
        incident_id=incident.pk, title="Rolled back payments-api", timestamp=happened, idempotency_key="deploy-4f2c1b90"
    )
    created = parsed(
        incident_timeline_items_v2_create.sync_detailed(client=sdk, body=body), IncidentTimelineItemsCreateResultV2
    ).incident_timeline_item
    retried = parsed(
        incident_timeline_items_v2_create.sync_detailed(client=sdk, body=body), IncidentTimelineItemsCreateResultV2
    ).incident_timeline_item
    assert retried.id == created.id and abs(created.timestamp - happened) < timedelta(seconds=1)
    patch = IncidentTimelineItemsUpdatePayloadV2(description="Error rate hit 12%")
    updated = parsed(
        incident_timeline_items_v2_update.sync_detailed(created.id, client=sdk, body=patch), IncidentTimelineItemsUpdateResultV2
    ).incident_timeline_item
    assert updated.description == "Error rate hit 12%" and updated.title == "Rolled back payments-api"
    listed = parsed(
        incident_timeline_items_v2_list.sync_detailed(client=sdk, incident_id=incident.pk), IncidentTimelineItemsListResultV2
    )
    assert [i.id for i in listed.incident_timeline_items] == [created.id]


def test_the_sdk_attaches_lists_and_detaches_and_lists_related_incidents(sdk):
    incident, other = declare("Checkout fails"), declare("Payments slow")
    resource = IncidentAttachmentsCreatePayloadV1Resource(
        resource_type=IncidentAttachmentsCreatePayloadV1ResourceResourceType.GITHUB_PULL_REQUEST,
        url="https://github.com/acme/payments/pull/411",
    )
    body = IncidentAttachmentsCreatePayloadV1(incident_id=incident.pk, resource=resource)
    created = parsed(
        incident_attachments_v1_create.sync_detailed(client=sdk, body=body), IncidentAttachmentsCreateResultV1
    ).incident_attachment
    assert created.resource.title == "acme/payments#411"
    listed = parsed(
        incident_attachments_v1_list.sync_detailed(client=sdk, incident_id=incident.pk), IncidentAttachmentsListResultV1
    )
    assert [a.id for a in listed.incident_attachments] == [created.id]
    assert incident_attachments_v1_delete.sync_detailed(created.id, client=sdk).status_code == 204
    assert not IncidentAttachment.objects.exists()

    services.relate_incidents(incident=incident, other=other, actor=None)
    related = parsed(
        incident_relationships_v1_list.sync_detailed(client=sdk, incident_id=other.pk), IncidentRelationshipsListResultV1
    )
    assert [(r.incident.id, r.incident.external_id) for r in related.incident_relationships] == [
        (incident.pk, incident.reference_number)
    ]


def test_the_people_incidents_name_are_the_users_the_sdk_lists(sdk):
    lead = UserFactory(first_name="Ada", last_name="Lovelace", is_staff=True)
    incident = declare("Checkout fails", actor=lead)
    services.post_incident_update(incident=incident, actor=lead, message="Rolling back")
    from incident_io.api.incident_updates_v2 import incident_updates_v2_list
    from incident_io.models import IncidentUpdatesListResultV2

    updates = parsed(
        incident_updates_v2_list.sync_detailed(client=sdk, incident_id=incident.pk), IncidentUpdatesListResultV2
    ).incident_updates
    updater_ids = {update.updater.user.id for update in updates}
    users = parsed(users_v2_list.sync_detailed(client=sdk, page_size=250), UsersListResultV2).users
    assert updater_ids == {str(lead.pk)}
    assert [u.name for u in users if u.id in updater_ids] == ["Ada Lovelace"]
