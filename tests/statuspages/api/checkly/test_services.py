"""Status Page Services: our components, shown with GUIDs."""

import pytest

from statuspages import services
from statuspages.api.checkly.ids import account_id, guid
from statuspages.models import Component

from .conftest import checkly

pytestmark = pytest.mark.django_db


def test_creating_a_service_creates_a_component_and_answers_200(publisher):
    body = checkly(publisher.post("/v1/status-pages/services", {"name": "API"}), "postV1StatuspagesServices", 200)
    component = Component.objects.get()
    assert body["id"] == guid(component.pk) and body["name"] == "API"
    assert body["accountId"] == account_id()
    assert body["created_at"] == component.created_at.date().isoformat()


def test_a_service_is_found_by_its_guid_or_its_ulid(reader):
    component = services.create_component(actor=None, name="API")
    for key in (guid(component.pk), component.pk, guid(component.pk).upper()):
        body = checkly(reader.get(f"/v1/status-pages/services/{key}"), "getV1StatuspagesServicesServiceid")
        assert body["name"] == "API"


def test_an_unknown_service_is_checklys_404(reader):
    body = checkly(reader.get("/v1/status-pages/services/2b6e8f2a-47d5-4a4c-9a46-2f7c1e0c6d11"), "getV1StatuspagesServicesServiceid", 404)
    assert body["error"] == "Not Found" and "service" in body["message"]


def test_a_path_id_that_is_no_guid_is_a_404(reader):
    checkly(reader.get("/v1/status-pages/services/not-an-id"), "getV1StatuspagesServicesServiceid", 404)


def test_renaming_a_service(publisher):
    component = services.create_component(actor=None, name="API")
    body = checkly(publisher.put(f"/v1/status-pages/services/{guid(component.pk)}", {"name": "Public API"}), "putV1StatuspagesServicesServiceid")
    component.refresh_from_db()
    assert body["name"] == component.name == "Public API"


def test_a_service_without_a_name_is_refused_naming_the_field(publisher):
    body = checkly(publisher.post("/v1/status-pages/services", {}), "postV1StatuspagesServices", 422)
    assert body["message"].startswith("name:")
    assert not Component.objects.exists()


def test_deleting_a_service_answers_204_without_a_body(publisher):
    component = services.create_component(actor=None, name="API")
    response = publisher.delete(f"/v1/status-pages/services/{guid(component.pk)}")
    checkly(response, "deleteV1StatuspagesServicesServiceid", 204)
    assert response.content == b"" and not Component.objects.exists()


def test_services_are_listed_oldest_first_in_pages_chained_by_next_id(reader):
    created = [services.create_component(actor=None, name=f"Service {n}") for n in range(5)]
    first = checkly(reader.get("/v1/status-pages/services", {"limit": 2}), "getV1StatuspagesServices")
    assert [e["name"] for e in first["entries"]] == ["Service 0", "Service 1"]
    assert first["length"] == 2 and first["nextId"] == guid(created[2].pk)
    second = checkly(reader.get("/v1/status-pages/services", {"limit": 2, "nextId": first["nextId"]}), "getV1StatuspagesServices")
    assert [e["name"] for e in second["entries"]] == ["Service 2", "Service 3"]
    last = checkly(reader.get("/v1/status-pages/services", {"limit": 2, "nextId": second["nextId"]}), "getV1StatuspagesServices")
    assert [e["name"] for e in last["entries"]] == ["Service 4"] and last["nextId"] is None


def test_unpaginated_services_are_all_listed_at_once(reader):
    for n in range(25):
        services.create_component(actor=None, name=f"Service {n}")
    body = checkly(reader.get("/v1/status-pages/services", {"paginated": "false"}), "getV1StatuspagesServices")
    assert body["length"] == 25 and body["nextId"] is None


def test_the_list_is_20_by_default(reader):
    for n in range(21):
        services.create_component(actor=None, name=f"Service {n}")
    body = checkly(reader.get("/v1/status-pages/services"), "getV1StatuspagesServices")
    assert body["length"] == 20 and body["nextId"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"limit": "many"}, {"nextId": "nope"}, {"paginated": "maybe"}])
def test_out_of_range_list_parameters_are_refused(reader, params):
    body = checkly(reader.get("/v1/status-pages/services", params), "getV1StatuspagesServices", 422)
    assert body["message"].startswith(f"{next(iter(params))}:")


@pytest.mark.parametrize("n", [1, 30])
def test_service_list_query_count_is_constant(reader, n, django_assert_num_queries):
    for i in range(n):
        services.create_component(actor=None, name=f"Service {i}")
    # key, services
    with django_assert_num_queries(2):
        reader.get("/v1/status-pages/services", {"limit": 100})


def test_a_reader_cannot_create_a_service(reader):
    body = checkly(reader.post("/v1/status-pages/services", {"name": "API"}), "postV1StatuspagesServices", 403)
    assert "status_page_publisher" in body["message"]


def test_a_publisher_reads_services_as_it_does_through_every_dialect(publisher):
    checkly(publisher.get("/v1/status-pages/services"), "getV1StatuspagesServices", 200)
