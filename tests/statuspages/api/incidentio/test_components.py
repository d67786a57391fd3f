"""Status page components: the organisation's, created, renamed and deleted through the
same services as the admin's."""

import pytest

from statuspages import services
from statuspages.models import Component, PageComponent
from tests.contract import assert_matches_contract

from .conftest import UNKNOWN

pytestmark = pytest.mark.django_db

DASHBOARD = {"annotations": {}, "managed_by": "dashboard"}


def test_list_components_of_the_organisation(reader, page):
    services.create_component(actor=None, name="Unplaced", description="On no page yet")
    body = assert_matches_contract(reader.get("/v2/status_page_components"), "Status Page Components V2#List")
    components = body["status_page_components"]
    assert [c["name"] for c in components] == ["API", "Cards", "Dashboard", "Invoices", "Unplaced"]
    assert components[-1]["description"] == "On no page yet" and components[-1]["management_meta"] == DASHBOARD


def test_show_component(reader, page):
    api = page.test_components["API"]
    body = assert_matches_contract(reader.get(f"/v2/status_page_components/{api.pk}"), "Status Page Components V2#Show")
    assert body["status_page_component"] == {"id": api.pk, "name": "API", "description": "", "management_meta": DASHBOARD}


def test_show_unknown_component_is_404(reader):
    response = reader.get(f"/v2/status_page_components/{UNKNOWN}")
    assert_matches_contract(response, "Status Page Components V2#Show")
    assert response.status_code == 404


def test_create_component_answers_201_and_places_it_nowhere(publisher, page):
    response = publisher.post("/v2/status_page_components", {"name": "App", "description": "Our iOS app"})
    body = assert_matches_contract(response, "Status Page Components V2#Create")
    assert response.status_code == 201
    component = Component.objects.get(pk=body["status_page_component"]["id"])
    assert (component.name, component.description) == ("App", "Our iOS app")
    assert not PageComponent.objects.filter(component=component).exists()


def test_create_component_needs_a_name(publisher):
    response = publisher.post("/v2/status_page_components", {"description": "Nameless"})
    body = assert_matches_contract(response, "Status Page Components V2#Create")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == "name"


def test_update_component_renames_it_and_keeps_a_description_left_out(publisher, page):
    api = page.test_components["API"]
    services.update_component(component=api, actor=None, description="The public API")
    response = publisher.put(f"/v2/status_page_components/{api.pk}", {"name": "Public API"})
    body = assert_matches_contract(response, "Status Page Components V2#Update")
    assert body["status_page_component"]["name"] == "Public API"
    assert body["status_page_component"]["description"] == "The public API"
    response = publisher.put(f"/v2/status_page_components/{api.pk}", {"name": "Public API", "description": ""})
    assert assert_matches_contract(response, "Status Page Components V2#Update")["status_page_component"]["description"] == ""


def test_delete_component_answers_204_and_takes_it_off_every_page(publisher, page):
    api = page.test_components["API"]
    response = publisher.delete(f"/v2/status_page_components/{api.pk}")
    assert_matches_contract(response, "Status Page Components V2#Destroy")
    assert response.status_code == 204 and response.content == b""
    assert not Component.objects.filter(pk=api.pk).exists()
    structure = publisher.get(f"/v2/status_page_structures/{page.pk}").json()["current_structure"]["items"]
    assert "API" not in [item.get("component", {}).get("name") for item in structure]


def test_delete_unknown_component_is_404(publisher):
    response = publisher.delete(f"/v2/status_page_components/{UNKNOWN}")
    assert_matches_contract(response, "Status Page Components V2#Destroy")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("post", "/v2/status_page_components", {"name": "App"}),
        ("put", "/v2/status_page_components/{api}", {"name": "App"}),
        ("delete", "/v2/status_page_components/{api}", None),
    ],
)
def test_a_viewer_key_cannot_change_components(reader, page, method, path, body):
    path = path.format(api=page.test_components["API"].pk)
    response = getattr(reader, method)(path, body)
    errors = assert_matches_contract(response, {"post": "Status Page Components V2#Create", "put": "Status Page Components V2#Update", "delete": "Status Page Components V2#Destroy"}[method])
    assert response.status_code == 403 and errors["errors"][0]["code"] == "insufficient_permissions"
    assert Component.objects.filter(name="API").exists() and not Component.objects.filter(name="App").exists()


def test_components_without_a_key_is_401(anonymous):
    response = anonymous.get("/v2/status_page_components")
    assert_matches_contract(response, "Status Page Components V2#List")
    assert response.status_code == 401


@pytest.mark.parametrize("n", [1, 40])
def test_component_list_query_count_is_constant(reader, n, django_assert_num_queries):
    for i in range(n):
        services.create_component(actor=None, name=f"Component {i}")
    # key lookup, components
    with django_assert_num_queries(2):
        response = reader.get("/v2/status_page_components")
    assert response.status_code == 200 and len(response.json()["status_page_components"]) == n
