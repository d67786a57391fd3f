"""Cachet's components: the organisation's, as the site page places them, with their
derived status; writes set it by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from statuspages import services
from statuspages.models import Component, ComponentImpact, PageComponent
from tests.clients import make_client

from ..conftest import assert_cachet_error, cachet

pytestmark = pytest.mark.django_db


def names(body) -> list[str]:
    return [item["attributes"]["name"] for item in body["data"]]


def test_a_guest_lists_the_sites_components_in_cachets_shape(guest, site):
    body = cachet(guest.get("/api/components"), "cachet.api.components.index")
    api = site.test_components["API"]
    assert body["data"][0] == {
        "id": str(api.number),
        "type": "components",
        "attributes": {
            "id": api.number,
            "name": "API",
            "description": None,
            "link": None,
            "order": 0,
            "status": {"human": "Operational", "value": "1"},
            "enabled": True,
            "meta": None,
            "created": body["data"][0]["attributes"]["created"],
            "updated": body["data"][0]["attributes"]["updated"],
        },
    }
    assert names(body) == ["API", "Dashboard", "Checkout"]
    assert body["meta"] == {"current_page": 1, "from": 1, "path": "http://localhost:8000/api/components", "per_page": 15, "to": 3}
    assert "included" not in body


def test_status_is_derived_from_incidents_and_maintenance(guest, site):
    api, checkout = site.test_components["API"], site.test_components["Checkout"]
    services.publish_incident(actor=None, status_page=site, name="Slow", message="Looking", component_statuses={api: "degraded_performance"})
    now = timezone.now()
    services.schedule_maintenance(
        actor=None, status_page=site, name="Upgrade", message="", starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(hours=1), components=[checkout], status="maintenance_in_progress",
    )
    body = cachet(guest.get("/api/components"), "cachet.api.components.index")
    statuses = {item["attributes"]["name"]: item["attributes"]["status"] for item in body["data"]}
    assert statuses == {
        "API": {"human": "Performance issues", "value": "2"},
        "Dashboard": {"human": "Operational", "value": "1"},
        "Checkout": {"human": "Under maintenance", "value": "6"},
    }


def test_guests_see_neither_disabled_components_nor_hidden_groups_nor_other_pages(guest, reader, site):
    services.update_component(component=site.test_components["Dashboard"], actor=None, enabled=False)
    group = site.groups.get()
    services.save_group(group=group, actor=None, hidden=True)
    services.create_component(actor=None, name="Elsewhere")
    assert names(cachet(guest.get("/api/components"), "cachet.api.components.index")) == ["API"]
    # A key reads the organisation's components, enabled ones unless it asks.
    assert names(cachet(reader.get("/api/components"), "cachet.api.components.index")) == ["API", "Checkout", "Elsewhere"]
    assert names(cachet(reader.get("/api/components", {"filter[enabled]": "0"}), "cachet.api.components.index")) == ["Dashboard"]


def test_components_filter_by_name_and_derived_status(guest, site):
    services.set_component_status(actor=None, component=site.test_components["Checkout"], status="partial_outage")
    by_status = cachet(guest.get("/api/components", {"filter[status]": "3"}), "cachet.api.components.index")
    assert names(by_status) == ["Checkout"]
    # Either of two statuses: beyond the document (an integer), as Cachet's builder splits it.
    either = guest.get("/api/components", {"filter[status]": "1,3"})
    assert names(cachet(either, "cachet.api.components.index", request=False)) == [
        "API", "Dashboard", "Checkout",
    ]  # fmt: skip
    assert names(cachet(guest.get("/api/components", {"filter[name]": "dash"}), "cachet.api.components.index")) == ["Dashboard"]


@pytest.mark.parametrize("sort, expected", [("-name", ["Dashboard", "Checkout", "API"]), ("order", ["API", "Dashboard", "Checkout"]), ("-id", ["Checkout", "Dashboard", "API"])])
def test_components_sort(guest, site, sort, expected):
    assert names(cachet(guest.get("/api/components", {"sort": sort}), "cachet.api.components.index")) == expected


def test_pages_link_to_each_other(guest, site, settings):
    settings.SITE_URL = "https://status.example.com"  # the one source of absolute links, not the request's host
    first = cachet(guest.get("/api/components", {"per_page": 2}), "cachet.api.components.index")
    assert names(first) == ["API", "Dashboard"]
    assert first["links"] == {
        "first": "https://status.example.com/api/components?per_page=2&page=1",
        "next": "https://status.example.com/api/components?per_page=2&page=2",
    }
    second = cachet(guest.get("/api/components", {"per_page": 2, "page": 2}), "cachet.api.components.index")
    assert names(second) == ["Checkout"]
    assert second["meta"]["from"] == 3 and second["meta"]["to"] == 3
    assert set(second["links"]) == {"first", "prev"}


def test_components_include_their_group_and_incidents(guest, site):
    checkout = site.test_components["Checkout"]
    incident = services.publish_incident(actor=None, status_page=site, name="Payments", message="Failing", component_statuses={checkout: "full_outage"})
    body = cachet(guest.get("/api/components", {"include": "group,incidents"}), "cachet.api.components.index")
    row = next(item for item in body["data"] if item["attributes"]["name"] == "Checkout")
    group = site.groups.get()
    assert row["relationships"] == {
        "group": {"data": {"type": "componentGroups", "id": str(group.number)}},
        "incidents": {"data": [{"type": "incidents", "id": str(incident.number)}]},
    }
    assert body["data"][0]["relationships"] == {"group": {"data": None}, "incidents": {"data": []}}
    assert {(item["type"], item["id"]) for item in body["included"]} == {("componentGroups", str(group.number)), ("incidents", str(incident.number))}


def test_a_staff_only_incident_is_included_for_keys_only(guest, reader, site):
    api = site.test_components["API"]
    services.publish_incident(actor=None, status_page=site, name="Quiet", message="", component_statuses={api: "partial_outage"}, visibility=0)
    guest_body = cachet(guest.get(f"/api/components/{api.number}", {"include": "incidents"}), "cachet.api.components.show")
    assert guest_body["data"]["relationships"]["incidents"]["data"] == [] and guest_body["included"] == []
    reader_body = cachet(reader.get(f"/api/components/{api.number}", {"include": "incidents"}), "cachet.api.components.show")
    assert len(reader_body["data"]["relationships"]["incidents"]["data"]) == 1


def test_show_answers_404_in_laravels_words(guest, site):
    body = cachet(guest.get("/api/components/999"), "cachet.api.components.show", 404)
    assert body == {"message": "No query results for model [Cachet\\Models\\Component] 999"}


def test_writing_needs_a_key(guest, site):
    body = cachet(guest.post("/api/components", {"name": "New"}), "cachet.api.components.store", 401)
    assert body == {"message": "Unauthenticated."}
    assert not Component.objects.filter(name="New").exists()


def test_writing_needs_the_status_page_publisher_role(reader, site):
    body = cachet(reader.post("/api/components", {"name": "New"}), "cachet.api.components.store", 403)
    assert body == {"message": "Invalid ability provided."}
    viewer = make_client("viewer")
    cachet(viewer.delete(f"/api/components/{site.test_components['API'].number}"), "cachet.api.components.destroy", 403)


def test_global_access_may_write(site):
    cachet(make_client("global_access").post("/api/components", {"name": "New"}), "cachet.api.components.store")


def test_creating_places_the_component_in_its_group_with_its_status_set_by_hand(publisher, guest, site):
    group = site.groups.get()
    body = {"name": "Refunds", "description": "Money back", "link": "https://example.com/refunds", "status": 3, "order": 5, "component_group_id": group.number}
    created = cachet(publisher.post("/api/components", body), "cachet.api.components.store")["data"]
    assert created["attributes"]["status"] == {"human": "Partial outage", "value": "3"}
    assert created["attributes"]["order"] == 5 and created["attributes"]["description"] == "Money back"
    component = Component.objects.get(number=created["attributes"]["id"])
    placement = PageComponent.objects.get(component=component)
    assert (placement.status_page, placement.group, placement.position) == (site, group, 5)
    # A status set by hand: an impact of no incident, which the public page shows.
    assert ComponentImpact.objects.get(component=component, page_incident__isnull=True).level == "partial_outage"
    shown = cachet(guest.get(f"/api/components/{component.number}", {"include": "group"}), "cachet.api.components.show")
    assert shown["data"]["relationships"]["group"]["data"]["id"] == str(group.number)


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({}, "name", "The name field is required."),
        ({"name": "X", "status": 6}, "status", "The selected status is invalid."),
        ({"name": "X", "status": 5}, "status", "The selected status is invalid."),
        ({"name": "X", "component_group_id": 999}, "component_group_id", "The selected component group id is invalid."),
        ({"name": "X" * 256}, "name", None),
        ({"name": "X", "link": "not a url"}, "link", None),
    ],
)
def test_invalid_components_are_refused_with_laravels_422(publisher, site, body, field, message):
    answer = cachet(publisher.post("/api/components", body), "cachet.api.components.store", 422)
    assert list(answer["errors"]) == [field]
    if message:
        assert answer == {"message": message, "errors": {field: [message]}}


def test_updating_changes_only_what_is_given(publisher, guest, site):
    api = site.test_components["API"]
    services.set_component_status(actor=None, component=api, status="full_outage")
    group = site.groups.get()
    body = {"name": "Public API", "status": 1, "component_group_id": group.number}
    updated = cachet(publisher.put(f"/api/components/{api.number}", body), "cachet.api.components.update")["data"]
    assert updated["attributes"]["name"] == "Public API"
    assert updated["attributes"]["status"]["value"] == "1"
    assert updated["attributes"]["description"] is None and updated["attributes"]["enabled"] is True
    assert PageComponent.objects.get(component=api, status_page=site).group == group
    assert not ComponentImpact.objects.filter(component=api, end_at__isnull=True).exists()


def test_moving_keeps_how_the_page_shows_the_component(publisher, site):
    api = site.test_components["API"]
    PageComponent.objects.filter(component=api).update(display_uptime=False)
    cachet(publisher.put(f"/api/components/{api.number}", {"order": 7}), "cachet.api.components.update")
    placement = PageComponent.objects.get(component=api)
    assert (placement.position, placement.display_uptime) == (7, False)


def test_updating_an_unknown_component_is_404(publisher, site):
    cachet(publisher.put("/api/components/999", {"name": "X"}), "cachet.api.components.update", 404)


def test_deleting(publisher, site):
    api = site.test_components["API"]
    cachet(publisher.delete(f"/api/components/{api.number}"), "cachet.api.components.destroy", 204)
    assert not Component.objects.filter(pk=api.pk).exists()
    cachet(publisher.delete(f"/api/components/{api.number}"), "cachet.api.components.destroy", 404)


def test_an_unknown_include_sort_or_filter_is_refused_as_the_query_builder_does(guest, site):
    assert_cachet_error(
        guest.get("/api/components", {"include": "owner"}), 400,
        "Requested include(s) `owner` are not allowed. Allowed include(s) are "
        "`group, groupCount, groupExists, incidents, incidentsCount, incidentsExists`.",
    )  # fmt: skip
    assert_cachet_error(guest.get("/api/components", {"sort": "-colour"}), 400, "Requested sort(s) `-colour` is not allowed. Allowed sort(s) are `name, order, id`.")
    assert_cachet_error(guest.get("/api/components", {"filter[meta]": "x"}), 400, "Requested filter(s) `meta` are not allowed. Allowed filter(s) are `status, name, enabled`.")


@pytest.mark.parametrize("n", [1, 20])
def test_component_list_query_count_is_constant(guest, site, n, django_assert_num_queries):
    for index in range(n):
        component = services.create_component(actor=None, name=f"Extra {index}", status_page=site, group=site.groups.get())
        services.publish_incident(actor=None, status_page=site, name=f"Incident {index}", message="", component_statuses={component: "partial_outage"})
    # site, components, open impacts, maintenance under way
    with django_assert_num_queries(4):
        cachet(guest.get("/api/components", {"per_page": 100}), "cachet.api.components.index")
    # ...and groups, which incidents name them, those incidents
    with django_assert_num_queries(7):
        cachet(guest.get("/api/components", {"per_page": 100, "include": "group,incidents"}), "cachet.api.components.index")
    # key, site, ids, open impacts, maintenance under way, components
    reader = make_client("status_page_viewer")
    with django_assert_num_queries(6):
        cachet(reader.get("/api/components", {"per_page": 100, "filter[status]": "3"}), "cachet.api.components.index")
