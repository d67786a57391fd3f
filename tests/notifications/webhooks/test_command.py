"""``manage.py webhooks``: add (prints the id and the secret), list, rotate, replay."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from notifications.management.commands.webhooks import when
from notifications.models import WebhookDelivery, WebhookEndpoint
from tests.factories import declare

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("webhooks", *args, stdout=out)
    return out.getvalue()


def test_add_prints_the_id_and_the_secret_and_list_shows_it():
    out = run("add", "https://example.com/hook", "--event", "public_incident.incident_created_v2", "--description", "Pager")
    pk, secret = re.search(r"id: (\S+)\nsecret: (whsec_\S+)", out).groups()
    endpoint = WebhookEndpoint.objects.get(pk=pk)
    assert endpoint.secret == secret and endpoint.event_types == ["public_incident.incident_created_v2"]
    listed = run("list")
    assert pk in listed and "https://example.com/hook" in listed and secret not in listed


def test_an_unknown_event_type_is_refused():
    with pytest.raises(CommandError):
        run("add", "https://example.com/hook", "--event", "public_incident.nope")


def test_a_url_that_is_not_http_is_refused():
    with pytest.raises(CommandError, match="http"):
        run("add", "file:///etc/passwd")
    assert not WebhookEndpoint.objects.exists()


def test_rotate_prints_a_new_secret_and_keeps_the_old_one_signing():
    pk, old = re.search(r"id: (\S+)\nsecret: (\S+)", run("add", "https://example.com/hook")).groups()
    new = re.search(r"secret: (\S+)", run("rotate", pk))[1]
    endpoint = WebhookEndpoint.objects.get(pk=pk)
    assert new != old and endpoint.signing_secrets() == [new, old]


def test_rotating_an_unknown_endpoint_says_so():
    with pytest.raises(CommandError, match="No webhook endpoint"):
        run("rotate", "nope")


def test_replay_queues_the_deliveries_since_a_time(statuses):
    pk = re.search(r"id: (\S+)", run("add", "https://example.com/hook"))[1]
    declare()
    WebhookDelivery.objects.update(state="sent", sent_at=timezone.now())
    assert run("replay", pk, "--since", "1h").strip() == "1 deliveries queued again"
    assert WebhookDelivery.objects.get().state == "queued"


def test_since_takes_relative_and_absolute_times():
    assert abs((timezone.now() - when("2h")) - timedelta(hours=2)) < timedelta(seconds=5)
    assert when("2026-12-07T10:00:00Z").isoformat() == "2026-12-07T10:00:00+00:00"
    with pytest.raises(CommandError):
        when("yesterday")
