"""``POST /v2/alert_events/http/{id}``, incident.io's HTTP source, answered as incident.io
answers it and checked against its whole published document."""

import base64
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from openapi_schema_validator import OAS30Validator

from alerts import services
from alerts.models import Alert, AlertEvent
from tests.alerts.factories import make_source
from tests.contract import _document, assert_matches_contract

pytestmark = pytest.mark.django_db
FULL = "incident-io-openapi-full.json"
CREATE = "Alert Events V2#CreateHTTP"


def url(source):
    return f"/v2/alert_events/http/{source.pk}"


def send(source, body, *, secret=None, how="bearer", client=None):
    client = client or Client()
    secret = source.secret if secret is None else secret
    headers, path = {}, url(source)
    if how == "bearer":
        headers["Authorization"] = f"Bearer {secret}"
    elif how == "basic":
        headers["Authorization"] = "Basic " + base64.b64encode(f"incident:{secret}".encode()).decode()
    elif how == "token":
        path += f"?token={secret}"
    return client.post(path, body, content_type="application/json", headers=headers)


EVENT = {
    "title": "PG::Error failed to connect",
    "status": "firing",
    "deduplication_key": "4293868629",
    "description": "Timeouts on hello.world.com",
    "source_url": "https://alerts.example.com/123",
    "metadata": {"service": "hello.world.com", "team": ["my-team"], "severity": "critical"},
}


def test_the_request_bodies_sent_here_are_incident_ios_payload():
    # openapi-core cannot read the operation's "query" deepObject parameter (a quirk of
    # the document), so requests are checked against the payload's schema directly.
    spec = _document(FULL)
    schema = {**spec["components"]["schemas"]["AlertEventsCreateHTTPPayloadV2"], "components": spec["components"]}
    validator = OAS30Validator(schema)
    validator.validate(EVENT)
    validator.validate({"title": "x", "status": "resolved"})


@pytest.mark.parametrize("how", ["bearer", "basic", "token"])
def test_an_event_is_accepted_with_the_secret_in_any_of_incident_ios_three_places(how):
    source = make_source()
    response = send(source, EVENT, how=how)
    assert response.status_code == 202
    body = assert_matches_contract(response, CREATE, document=FULL, request=False)
    assert body == {"status": "success", "message": "Event accepted for processing", "deduplication_key": "4293868629"}
    alert = Alert.objects.get()
    assert (alert.title, alert.status, alert.severity, alert.source_url) == (
        "PG::Error failed to connect",
        "firing",
        "critical",
        "https://alerts.example.com/123",
    )
    assert alert.metadata["team"] == ["my-team"] and alert.description == "Timeouts on hello.world.com"


@pytest.mark.parametrize(
    ("secret", "how", "status", "code"),
    [
        ("", "none", 401, "missing_authorization_material"),
        ("wrong", "bearer", 401, "invalid_authorization_material"),
        ("wrong", "token", 401, "invalid_authorization_material"),
    ],
)
def test_events_without_the_right_secret_are_refused_and_not_stored(secret, how, status, code):
    source = make_source()
    response = send(source, EVENT, secret=secret, how=how)
    assert response.status_code == status
    assert response.json()["errors"][0]["code"] == code
    assert AlertEvent.objects.count() == 0


def test_an_unknown_source_answers_as_a_wrong_secret_does():
    source = make_source()
    source.pk = "01GW2G3V0S59R238FAHPDS1R66"
    assert send(source, EVENT).status_code == 401


def test_the_secret_of_another_source_does_not_open_this_one():
    one, other = make_source(), make_source(name="Other")
    assert send(one, EVENT, secret=other.secret).status_code == 401


def test_a_disabled_source_refuses_its_events():
    source = make_source()
    services.update_alert_source(source=source, name=source.name, disabled=True)
    assert send(source, EVENT).status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [({"status": "firing"}, "title"), ({"title": "x", "status": "burning"}, "status"), ({"title": "x"}, "status")],
)
def test_a_bad_payload_is_a_422_naming_the_field(body, field):
    response = send(make_source(), body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["field"] == field
    assert AlertEvent.objects.count() == 0


def test_a_body_that_is_not_json_is_a_400():
    source = make_source()
    response = Client().post(
        url(source), "{nope", content_type="application/json", headers={"Authorization": f"Bearer {source.secret}"}
    )
    assert response.status_code == 400


def test_repeats_collapse_into_one_alert_and_a_resolve_closes_it():
    source = make_source()
    for _ in range(3):
        assert send(source, EVENT).status_code == 202
    alert = Alert.objects.get()
    assert alert.event_count == 3
    response = send(source, {**EVENT, "status": "resolved"})
    assert_matches_contract(response, CREATE, document=FULL, request=False)
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.event_count == 4
    send(source, EVENT)
    assert list(Alert.objects.order_by("created_at", "id").values_list("status", flat=True)) == ["resolved", "firing"]


def test_an_event_without_a_key_gets_one_back_that_resolves_it():
    source = make_source()
    event = {k: v for k, v in EVENT.items() if k != "deduplication_key"}
    key = send(source, event).json()["deduplication_key"]
    assert Alert.objects.get().dedup_key == key
    send(source, {**event, "status": "resolved", "deduplication_key": key})
    assert Alert.objects.get().status == "resolved"


def test_a_source_can_take_the_key_and_title_from_the_metadata():
    source = make_source(dedup_key_path="metadata.service", title_binding={"reference": "metadata.service"})
    event = {k: v for k, v in EVENT.items() if k != "deduplication_key"}
    assert send(source, event).json()["deduplication_key"] == "hello.world.com"
    assert Alert.objects.get().title == "hello.world.com"


@pytest.mark.parametrize("stored", [1, 30])
@pytest.mark.parametrize(
    "event, queries",
    [
        # the source; the transaction's savepoint; the firing alert (FOR UPDATE); its
        # update; the alert's newest raw event; its repeat counted; the savepoint's release
        (EVENT, 7),
        # the same, the changed payload inserted as a new raw event instead
        ({**EVENT, "description": "Changed"}, 7),
        # the source; savepoint; no firing alert (FOR UPDATE); the insert's savepoint; the
        # new alert; its release; the routes that take the source's alerts (none here); the
        # raw event (an alert's first: no lookup); release
        ({**EVENT, "deduplication_key": "new"}, 9),
    ],
)
def test_an_event_costs_the_same_queries_however_many_alerts_are_stored(stored, event, queries, django_assert_num_queries):
    source = make_source()
    for n in range(stored):
        send(source, {**EVENT, "deduplication_key": f"other-{n}"})
        send(source, {**EVENT, "deduplication_key": f"other-{n}", "description": f"repeat {n}"})
    send(source, EVENT)
    with django_assert_num_queries(queries):
        assert send(source, event).status_code == 202


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_events_for_one_new_key_make_one_alert_and_lose_no_count():
    source = make_source()
    threads_count, each = 8, 5
    barrier = threading.Barrier(threads_count)
    answers, errors = [], []

    def worker():
        try:
            client = Client()
            barrier.wait()
            for _ in range(each):
                answers.append(send(source, EVENT, client=client).status_code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and answers == [202] * threads_count * each
    alert = Alert.objects.get()
    assert alert.event_count == threads_count * each
    # The same payload each time: one raw row, whose count lost no repeat either.
    assert list(AlertEvent.objects.filter(alert=alert).values_list("repeat_count", flat=True)) == [threads_count * each]
    assert connection.vendor == "postgresql"
