"""Status pages, their structure and a component's availability, in incident.io's shapes."""

from datetime import datetime, timedelta, timezone as tz

import pytest
from django.utils import timezone

from statuspages import services
from tests.contract import assert_matches_contract
from tests.factories import status_page

from .conftest import UNKNOWN

pytestmark = pytest.mark.django_db


# --- list and show ----------------------------------------------------------------------------


def test_list_status_pages_with_their_public_url(reader, settings):
    settings.SITE_URL = "https://status.example.com"
    first = status_page("Acme status", "acme", description="Everything Acme runs")
    second = status_page("Internal tools", "internal", is_public=False)
    body = assert_matches_contract(reader.get("/v2/status_pages"), "Status Pages V2#ListStatusPages")
    assert body["status_pages"] == [
        {"id": first.pk, "name": "Acme status", "description": "Everything Acme runs", "public_url": "https://status.example.com/status/acme/"},
        {"id": second.pk, "name": "Internal tools", "description": "", "public_url": "https://status.example.com/status/internal/"},
    ]
    assert body["pagination_meta"] == {"page_size": 25}


def test_list_status_pages_walks_pages_with_after(reader):
    pages = [status_page(f"Page {n}", f"page-{n}") for n in range(3)]
    first = assert_matches_contract(reader.get("/v2/status_pages", {"page_size": 2}), "Status Pages V2#ListStatusPages")
    assert [p["id"] for p in first["status_pages"]] == [pages[0].pk, pages[1].pk]
    assert first["pagination_meta"] == {"page_size": 2, "after": pages[1].pk}
    rest = reader.get("/v2/status_pages", {"page_size": 2, "after": first["pagination_meta"]["after"]})
    body = assert_matches_contract(rest, "Status Pages V2#ListStatusPages")
    assert [p["id"] for p in body["status_pages"]] == [pages[2].pk] and "after" not in body["pagination_meta"]


def test_show_status_page(reader, page):
    body = assert_matches_contract(reader.get(f"/v2/status_pages/{page.pk}"), "Status Pages V2#ShowStatusPage")
    assert body["status_page"]["id"] == page.pk and body["status_page"]["name"] == "Acme status"


def test_show_unknown_status_page_is_404(reader):
    response = reader.get(f"/v2/status_pages/{UNKNOWN}")
    body = assert_matches_contract(response, "Status Pages V2#ShowStatusPage")
    assert response.status_code == 404 and body["errors"][0]["code"] == "not_found"


def test_private_pages_are_served_to_keys_with_the_role(reader):
    private = status_page("Staff only", "staff", is_public=False)
    response = reader.get(f"/v2/status_pages/{private.pk}")
    assert_matches_contract(response, "Status Pages V2#ShowStatusPage")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 30])
def test_status_page_list_query_count_is_constant(reader, n, django_assert_num_queries):
    for i in range(n):
        status_page(f"Page {i}", f"page-{i}")
    # key lookup, pages
    with django_assert_num_queries(2):
        response = reader.get("/v2/status_pages", {"page_size": 250})
    assert response.status_code == 200 and len(response.json()["status_pages"]) == n


# --- roles ------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["reader", "publisher", "api"])
def test_status_page_readers(request, client_name, page):
    response = request.getfixturevalue(client_name).get("/v2/status_pages")
    assert_matches_contract(response, "Status Pages V2#ListStatusPages")
    assert response.status_code == 200


def test_a_key_without_a_status_page_role_is_403(stranger, page):
    response = stranger.get("/v2/status_pages")
    body = assert_matches_contract(response, "Status Pages V2#ListStatusPages")
    assert response.status_code == 403 and body["errors"][0]["code"] == "insufficient_permissions"


def test_no_key_is_401(anonymous, page):
    response = anonymous.get(f"/v2/status_page_structures/{page.pk}")
    body = assert_matches_contract(response, "Status Pages V2#ShowStatusPageStructure")
    assert response.status_code == 401 and body["errors"][0]["code"] == "missing_authorization_material"


# --- structure --------------------------------------------------------------------------------


def test_structure_lists_groups_and_loose_components_in_the_pages_order(reader, page):
    components = page.test_components
    services.update_component(component=components["Dashboard"], actor=None, enabled=False)
    group = components["Cards"].placements.get().group
    services.save_group(group=group, actor=None, description="Taking money")
    services.place_component(actor=None, component=components["Invoices"], status_page=page, group=group, hidden=True, display_uptime=False)
    response = reader.get(f"/v2/status_page_structures/{page.pk}")
    body = assert_matches_contract(response, "Status Pages V2#ShowStatusPageStructure")
    assert body["display_uptime_mode"] == "chart_and_percentage"
    assert body["management_meta"] == {"annotations": {}, "managed_by": "dashboard"}
    api, dashboard, payments = body["current_structure"]["items"]
    assert api == {"component": {"component_id": components["API"].pk, "name": "API", "hidden": False, "display_uptime": True}}
    assert dashboard["component"]["hidden"] is True  # disabled: on no page
    assert payments == {
        "group": {
            "id": group.pk,
            "name": "Payments",
            "description": "Taking money",
            "hidden": False,
            "display_aggregated_uptime": True,
            "components": [
                {"component_id": components["Cards"].pk, "name": "Cards", "hidden": False, "display_uptime": True},
                {"component_id": components["Invoices"].pk, "name": "Invoices", "hidden": True, "display_uptime": False},
            ],
        }
    }


def test_structure_of_an_unknown_page_is_404(reader):
    response = reader.get(f"/v2/status_page_structures/{UNKNOWN}")
    assert_matches_contract(response, "Status Pages V2#ShowStatusPageStructure")
    assert response.status_code == 404


@pytest.mark.parametrize("n", [1, 20])
def test_structure_query_count_is_constant(reader, n, django_assert_num_queries):
    page = status_page(groups={f"Group {i}": [f"Component {i}a", f"Component {i}b"] for i in range(n)}, components=["Loose"])
    # key lookup, page, placements (with their components), groups
    with django_assert_num_queries(4):
        response = reader.get(f"/v2/status_page_structures/{page.pk}")
    assert response.status_code == 200 and len(response.json()["current_structure"]["items"]) == n + 1


# --- availability -----------------------------------------------------------------------------


def availability_url(page, component):
    return f"/v2/status_pages/{page.pk}/components/{component.pk}/availability"


def at(day, hour=0):
    return datetime(2026, 1, day, hour, tzinfo=tz.utc)


def publish_outage(page, component, start, end, level="full_outage"):
    services.publish_retrospective_incident(
        actor=None, status_page=page, name="Outage",
        updates=[
            services.PastUpdate("investigating", "Down", start, {component: level}),
            services.PastUpdate("resolved", "Back", end),
        ],
    )


def test_availability_over_a_window_counts_outages_as_the_public_page_does(reader, page):
    api = page.test_components["API"]
    # A full outage of 6 hours and a partial one of 4 hours (counted half), in a 10-day window.
    publish_outage(page, api, at(3, 0), at(3, 6))
    publish_outage(page, api, at(5, 0), at(5, 4), level="partial_outage")
    start, end = "2026-01-01T00:00:00Z", "2026-01-11T00:00:00Z"
    response = reader.get(availability_url(page, api), {"start_at": start, "end_at": end})
    body = assert_matches_contract(response, "Status Pages V2#ShowStatusPageComponentAvailability")
    availability = body["availability"]
    # Counted from the first data (Jan 3) to Jan 10: 8 hours down over 192, 95.833...%, floored
    assert availability["availability_percent"] == "95.83"
    assert availability["start_at"] == start and availability["end_at"] == end
    assert availability["status_page_id"] == page.pk and availability["component_id"] == api.pk
    # The back-filled history is the earliest data we have.
    assert availability["data_available_since"] == "2026-01-03T00:00:00Z"


def test_availability_leaves_out_the_time_before_we_have_data(reader, page):
    api = page.test_components["API"]
    publish_outage(page, api, at(6, 0), at(6, 12))
    # From Jan 6 (the first data) to Jan 10: half a day down over 5 days
    response = reader.get(availability_url(page, api), {"start_at": "2025-12-01T00:00:00Z", "end_at": "2026-01-11T00:00:00Z"})
    body = assert_matches_contract(response, "Status Pages V2#ShowStatusPageComponentAvailability")
    assert body["availability"]["availability_percent"] == "90.00"


def test_availability_of_a_window_without_data_has_no_percentage(reader, page):
    api = page.test_components["API"]
    response = reader.get(availability_url(page, api), {"start_at": "2020-01-01T00:00:00Z", "end_at": "2020-02-01T00:00:00Z"})
    body = assert_matches_contract(response, "Status Pages V2#ShowStatusPageComponentAvailability")
    assert "availability_percent" not in body["availability"]
    assert body["availability"]["data_available_since"] == api.created_at.isoformat().replace("+00:00", "Z")


def test_availability_without_outages_is_100(reader, page):
    api = page.test_components["API"]
    now = timezone.now()
    window = {"start_at": (now - timedelta(days=30)).isoformat(), "end_at": now.isoformat()}
    body = assert_matches_contract(reader.get(availability_url(page, api), window), "Status Pages V2#ShowStatusPageComponentAvailability")
    assert body["availability"]["availability_percent"] == "100.00"


@pytest.mark.parametrize(
    "window, field",
    [
        ({"start_at": "2026-01-01T00:00:00Z"}, "end_at"),
        ({"start_at": "2026-01-02T00:00:00Z", "end_at": "2026-01-01T00:00:00Z"}, "end_at"),
        ({"start_at": "2024-01-01T00:00:00Z", "end_at": "2025-01-02T00:00:00Z"}, "end_at"),  # 367 days
        ({"start_at": "yesterday", "end_at": "2026-01-01T00:00:00Z"}, "start_at"),
    ],
)
def test_availability_refuses_a_bad_window(reader, page, window, field):
    response = reader.get(availability_url(page, page.test_components["API"]), window)
    body = assert_matches_contract(response, "Status Pages V2#ShowStatusPageComponentAvailability")
    assert response.status_code == 422 and body["errors"][0]["source"]["field"] == field


def test_availability_of_a_component_the_page_does_not_show_is_404(reader, page):
    other = status_page("Other", "other", components=["Elsewhere"])
    response = reader.get(availability_url(page, other.test_components["Elsewhere"]), {"start_at": "2026-01-01T00:00:00Z", "end_at": "2026-01-02T00:00:00Z"})
    assert_matches_contract(response, "Status Pages V2#ShowStatusPageComponentAvailability")
    assert response.status_code == 404


@pytest.mark.parametrize("n", [1, 30])
def test_availability_query_count_is_constant(reader, page, n, django_assert_num_queries):
    api = page.test_components["API"]
    for day in range(n):
        publish_outage(page, api, at(1) + timedelta(days=day, hours=1), at(1) + timedelta(days=day, hours=2))
    # key lookup, page, placement (with its component), first impact, impacts of the window
    with django_assert_num_queries(5):
        response = reader.get(availability_url(page, api), {"start_at": "2026-01-01T00:00:00Z", "end_at": "2026-03-01T00:00:00Z"})
    assert response.status_code == 200
