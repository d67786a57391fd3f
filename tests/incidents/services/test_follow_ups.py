"""Follow-ups through the services: the rules, and the signals webhooks will be built on."""

import pytest

from core.exceptions import DomainError
from incidents import services
from incidents.models import FollowUpStatus
from incidents.signals import follow_up_created, follow_up_updated
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent():
    received = []

    def created(sender, **kwargs):
        kwargs.pop("signal")
        received.append(("created", kwargs))

    def updated(sender, **kwargs):
        kwargs.pop("signal")
        received.append(("updated", kwargs))

    follow_up_created.connect(created)
    follow_up_updated.connect(updated)
    yield received
    follow_up_created.disconnect(created)
    follow_up_updated.disconnect(updated)


def test_creating_a_follow_up_announces_it(sent, staff):
    incident = declare()
    assignee = UserFactory()
    follow_up = services.create_follow_up(
        incident=incident, actor=staff, title=" Add an alert ", assignee=assignee, labels=["db", "db", "alerting"]
    )
    assert (follow_up.title, follow_up.status, follow_up.labels) == ("Add an alert", "outstanding", ["db", "alerting"])
    assert follow_up.actor == staff and follow_up.completed_at is None
    assert sent == [("created", {"follow_up": follow_up, "actor": staff})]


def test_completing_stamps_the_time_and_reopening_clears_it(sent):
    follow_up = services.create_follow_up(incident=declare(), actor=None, title="Rotate keys")
    services.update_follow_up(follow_up=follow_up, actor=None, status=FollowUpStatus.COMPLETED)
    assert follow_up.completed_at is not None
    assert sent[-1] == ("updated", {"follow_up": follow_up, "actor": None, "previous_status": "outstanding"})
    services.update_follow_up(follow_up=follow_up, actor=None, status=FollowUpStatus.OUTSTANDING)
    assert follow_up.completed_at is None


def test_deleting_keeps_the_row_with_the_deleted_status():
    follow_up = services.create_follow_up(incident=declare(), actor=None, title="Rotate keys")
    services.delete_follow_up(follow_up=follow_up, actor=None)
    follow_up.refresh_from_db()
    assert follow_up.status == "deleted"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": "  "}, "missing_title"),
        ({"title": "x", "assignee": "not staff"}, "invalid_assignee"),
        ({"title": "x", "status": "maybe"}, "invalid_value"),
        ({"title": "x", "labels": ["ok", " "]}, "invalid_value"),
    ],
)
def test_refusals(fields, code):
    if fields.get("assignee") == "not staff":
        fields["assignee"] = UserFactory(is_staff=False)
    with pytest.raises(DomainError) as refused:
        services.create_follow_up(incident=declare(), actor=None, **fields)
    assert refused.value.code == code


def test_an_external_issue_is_a_stored_reference(sent):
    follow_up = services.create_follow_up(incident=declare(), actor=None, title="Rotate keys")
    services.connect_follow_up_issue(
        follow_up=follow_up, actor=None, provider="linear", url="https://linear.app/acme/issue/OPS-12"
    )
    follow_up.refresh_from_db()
    assert (follow_up.external_issue_provider, follow_up.external_issue_name) == ("linear", "OPS-12")
    with pytest.raises(DomainError):
        services.connect_follow_up_issue(follow_up=follow_up, actor=None, provider="linear", url="javascript:alert(1)")
    with pytest.raises(DomainError):
        services.connect_follow_up_issue(follow_up=follow_up, actor=None, provider="fax", url="https://x.test/1")
