"""``Alert Sources V2`` CRUD in incident.io's shape, gated by manage_settings."""

import pytest
from django.test import Client

from alerts.models import AlertSource
from core.models import ApiKey
from tests.alerts.factories import make_source
from tests.clients import make_client
from tests.contract import assert_matches_contract

pytestmark = pytest.mark.django_db
FULL = "incident-io-openapi-full.json"
TEMPLATE = {
    "title": {"reference": "$.title"},
    "description": {"literal": "See the runbook"},
    "expressions": [],
    "attributes": [],
}


@pytest.fixture
def admin():
    return make_client("manage_settings")


def test_create_shows_the_secret_once_and_keeps_its_hash(admin, settings):
    response = admin.post("/v2/alert_sources", {"name": "Prometheus", "source_type": "alertmanager", "template": TEMPLATE})
    assert response.status_code == 200, response.content
    source = assert_matches_contract(response, "Alert Sources V2#Create", document=FULL)["alert_source"]
    path = f"/v2/alert_events/alertmanager/{source['id']}"
    assert source["alert_events_url"] == settings.SITE_URL + path
    stored = AlertSource.objects.get()
    assert stored.secret_hash == ApiKey.hash_token(source["secret_token"])
    assert stored.title_binding == {"reference": "title"} and stored.description_binding == {"literal": "See the runbook"}
    shown = assert_matches_contract(admin.get(f"/v2/alert_sources/{stored.pk}"), "Alert Sources V2#Show", document=FULL)
    assert "secret_token" not in shown["alert_source"]
    # The secret shown opens the events URL.
    event = Client().post(
        path,
        {"version": "4", "alerts": []},
        content_type="application/json",
        headers={"Authorization": f"Bearer {source['secret_token']}"},
    )
    assert event.status_code == 202


def test_list_show_update_and_delete(admin):
    source = make_source()
    listed = assert_matches_contract(admin.get("/v2/alert_sources"), "Alert Sources V2#List", document=FULL)
    assert [s["id"] for s in listed["alert_sources"]] == [source.pk]
    assert listed["alert_sources"][0]["template"]["title"] == {"label": "title", "reference": "title"}
    response = admin.put(
        f"/v2/alert_sources/{source.pk}",
        {
            "name": "Renamed",
            "template": TEMPLATE,
            "http_custom_options": {"deduplication_key_path": "$.metadata.id", "transform_expression": ""},
        },
    )
    body = assert_matches_contract(response, "Alert Sources V2#Update", document=FULL)
    assert body["alert_source"]["name"] == "Renamed"
    assert body["alert_source"]["http_custom_options"]["deduplication_key_path"] == "metadata.id"
    response = admin.delete(f"/v2/alert_sources/{source.pk}")
    assert response.status_code == 204
    assert_matches_contract(response, "Alert Sources V2#Delete", document=FULL)
    assert not AlertSource.objects.exists()


def test_a_kind_without_an_events_url_here_is_refused(admin):
    response = admin.post("/v2/alert_sources", {"name": "DD", "source_type": "datadog", "template": TEMPLATE})
    assert response.status_code == 422
    assert response.json()["errors"][0]["source"]["field"] == "source_type"


def test_template_parts_this_tracker_does_not_have_are_refused_not_dropped(admin):
    template = {**TEMPLATE, "attributes": [{"alert_attribute_id": "x", "binding": {}}]}
    response = admin.post("/v2/alert_sources", {"name": "x", "source_type": "http", "template": template})
    assert response.status_code == 422


@pytest.mark.parametrize("role", ["viewer", "incident_editor", "status_page_publisher"])
def test_sources_need_manage_settings(role):
    client = make_client(role)
    source = make_source()
    assert client.get("/v2/alert_sources").status_code == 403
    assert client.get(f"/v2/alert_sources/{source.pk}").status_code == 403
    assert client.post("/v2/alert_sources", {"name": "x", "source_type": "http", "template": TEMPLATE}).status_code == 403
    assert client.delete(f"/v2/alert_sources/{source.pk}").status_code == 403


@pytest.mark.parametrize("n", [1, 20])
def test_list_query_count_is_constant(admin, n, django_assert_num_queries):
    for i in range(n):
        make_source(name=f"S{i}")
    # key lookup, the sources
    with django_assert_num_queries(2):
        admin.get("/v2/alert_sources")


@pytest.mark.parametrize(
    ("kind", "path"),
    [("http", "http"), ("alertmanager", "alertmanager"), ("grafana", "grafana"), ("pager_duty", "pager_duty")],
)
def test_each_kind_gets_its_own_events_url(admin, settings, kind, path):
    response = admin.post("/v2/alert_sources", {"name": kind, "source_type": kind, "template": TEMPLATE})
    source = assert_matches_contract(response, "Alert Sources V2#Create", document=FULL)["alert_source"]
    assert source["alert_events_url"] == f"{settings.SITE_URL}/v2/alert_events/{path}/{source['id']}"
