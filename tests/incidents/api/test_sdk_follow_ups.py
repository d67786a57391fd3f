"""incident.io's official SDK files, reads, updates, links and deletes follow-ups here
(``follow_ups_v2``), each answer parsed into the SDK's own models."""

import pytest
from incident_io import AuthenticatedClient
from incident_io.api.follow_ups_v2 import (
    follow_ups_v2_connect_external_issue,
    follow_ups_v2_create,
    follow_ups_v2_delete,
    follow_ups_v2_list,
    follow_ups_v2_show,
    follow_ups_v2_update,
)
from incident_io.models import (
    FollowUpsConnectExternalIssuePayloadV2,
    FollowUpsConnectExternalIssuePayloadV2Provider,
    FollowUpsConnectExternalIssueResultV2,
    FollowUpsCreatePayloadV2,
    FollowUpsCreateResultV2,
    FollowUpsListResultV2,
    FollowUpsShowResultV2,
    FollowUpsUpdatePayloadV2,
    FollowUpsUpdatePayloadV2Status,
    FollowUpsUpdateResultV2,
)

from core import services
from incidents.models import FollowUp
from tests.factories import UserFactory, declare

from .test_sdk import parsed

# live_server needs real commits: the server thread has its own connection.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sdk(live_server):
    _, token = services.create_api_key(actor=None, name="SDK key", roles=["viewer", "incident_editor"])
    with AuthenticatedClient(base_url=live_server.url, token=token, raise_on_unexpected_status=True) as client:
        yield client


def test_the_sdk_runs_a_follow_up_through_its_life(sdk):
    incident = declare("Checkout fails")
    assignee = UserFactory(first_name="Grace", last_name="Hopper")
    body = FollowUpsCreatePayloadV2(
        incident_id=incident.pk, title="Add an alert", assignee_id=str(assignee.pk), labels=["alerting"]
    )
    created = parsed(follow_ups_v2_create.sync_detailed(client=sdk, body=body), FollowUpsCreateResultV2).follow_up
    assert created.assignee.name == "Grace Hopper" and str(created.status) == "outstanding"

    listed = parsed(follow_ups_v2_list.sync_detailed(client=sdk, incident_id=incident.pk), FollowUpsListResultV2)
    assert [f.id for f in listed.follow_ups] == [created.id]
    shown = parsed(follow_ups_v2_show.sync_detailed(created.id, client=sdk), FollowUpsShowResultV2)
    assert shown.follow_up.title == "Add an alert"

    update = FollowUpsUpdatePayloadV2(title="Add an alert", status=FollowUpsUpdatePayloadV2Status.COMPLETED)
    updated = parsed(follow_ups_v2_update.sync_detailed(created.id, client=sdk, body=update), FollowUpsUpdateResultV2)
    assert str(updated.follow_up.status) == "completed" and updated.follow_up.completed_at is not None

    link = FollowUpsConnectExternalIssuePayloadV2(
        provider=FollowUpsConnectExternalIssuePayloadV2Provider.LINEAR, url="https://linear.app/acme/issue/OPS-12"
    )
    linked = parsed(
        follow_ups_v2_connect_external_issue.sync_detailed(created.id, client=sdk, body=link),
        FollowUpsConnectExternalIssueResultV2,
    )
    assert linked.follow_up.external_issue_reference.issue_name == "OPS-12"

    assert follow_ups_v2_delete.sync_detailed(created.id, client=sdk).status_code == 204
    assert FollowUp.objects.get(pk=created.id).status == "deleted"


def test_the_sdk_creates_and_lists_with_v3(sdk):
    from incident_io.api.follow_ups_v3 import follow_ups_v3_create, follow_ups_v3_list
    from incident_io.models import FollowUpsCreatePayloadV3, FollowUpsCreateResultV3, FollowUpsListResultV3

    incident = declare("Checkout fails")
    body = FollowUpsCreatePayloadV3(incident_id=incident.pk, title="Add an alert")
    created = parsed(follow_ups_v3_create.sync_detailed(client=sdk, body=body), FollowUpsCreateResultV3).follow_up
    listed = parsed(follow_ups_v3_list.sync_detailed(client=sdk, page_size=10), FollowUpsListResultV3)
    assert [f.id for f in listed.follow_ups] == [created.id] and listed.pagination_meta.page_size == 10


def test_the_sdk_runs_v3s_single_follow_up_operations(sdk):
    from incident_io.api.follow_ups_v3 import (
        follow_ups_v3_connect_external_issue,
        follow_ups_v3_create_from_link,
        follow_ups_v3_delete,
        follow_ups_v3_show,
        follow_ups_v3_update,
    )
    from incident_io.models import (
        FollowUpsConnectExternalIssuePayloadV3,
        FollowUpsConnectExternalIssuePayloadV3Provider,
        FollowUpsConnectExternalIssueResultV3,
        FollowUpsCreateFromLinkPayloadV3,
        FollowUpsCreateFromLinkResultV3,
        FollowUpsShowResultV3,
        FollowUpsUpdatePayloadV3,
        FollowUpsUpdatePayloadV3Status,
        FollowUpsUpdateResultV3,
    )

    incident = declare("Checkout fails")
    body = FollowUpsCreateFromLinkPayloadV3(incident_id=incident.pk, url="https://acme.atlassian.net/browse/OPS-7")
    created = parsed(
        follow_ups_v3_create_from_link.sync_detailed(client=sdk, body=body), FollowUpsCreateFromLinkResultV3
    ).follow_up
    assert str(created.external_issue_reference.provider) == "jira"
    shown = parsed(follow_ups_v3_show.sync_detailed(created.id, client=sdk), FollowUpsShowResultV3).follow_up
    assert shown.title == created.title

    update = FollowUpsUpdatePayloadV3(title="Fix checkout", status=FollowUpsUpdatePayloadV3Status.NOT_DOING)
    updated = parsed(follow_ups_v3_update.sync_detailed(created.id, client=sdk, body=update), FollowUpsUpdateResultV3)
    assert str(updated.follow_up.status) == "not_doing"
    link = FollowUpsConnectExternalIssuePayloadV3(
        provider=FollowUpsConnectExternalIssuePayloadV3Provider.GITHUB, url="https://github.com/acme/api/issues/9"
    )
    linked = parsed(
        follow_ups_v3_connect_external_issue.sync_detailed(created.id, client=sdk, body=link),
        FollowUpsConnectExternalIssueResultV3,
    )
    assert linked.follow_up.external_issue_reference.issue_name == "9"
    assert follow_ups_v3_delete.sync_detailed(created.id, client=sdk).status_code == 204
    assert FollowUp.objects.get(pk=created.id).status == "deleted"
