"""Cachet's component groups: the site page's groups."""

import pytest

from statuspages import services
from statuspages.models import ComponentGroup, PageComponent
from tests.factories import status_page

from ..conftest import assert_cachet_error, cachet

pytestmark = pytest.mark.django_db


def test_a_guest_lists_the_sites_groups_with_their_components(guest, site):
    group = site.groups.get()
    body = cachet(guest.get("/api/component-groups", {"include": "components"}), "cachet.api.component-groups.index")
    checkout = site.test_components["Checkout"]
    assert body["data"] == [
        {
            "id": str(group.number),
            "type": "componentGroups",
            "attributes": {
                "id": group.number,
                "name": "Payments",
                "order": group.position,
                "order_column": None,
                "order_direction": None,
                "collapsed": 0,
                "visible": 1,
                "created": body["data"][0]["attributes"]["created"],
                "updated": body["data"][0]["attributes"]["updated"],
            },
            "relationships": {"components": {"data": [{"type": "components", "id": str(checkout.number)}]}},
        }
    ]
    assert [(item["type"], item["attributes"]["name"]) for item in body["included"]] == [("components", "Checkout")]


def test_hidden_groups_are_read_by_keys_only(guest, reader, site):
    services.save_group(group=site.groups.get(), actor=None, hidden=True)
    assert cachet(guest.get("/api/component-groups"), "cachet.api.component-groups.index")["data"] == []
    [row] = cachet(reader.get("/api/component-groups"), "cachet.api.component-groups.index")["data"]
    assert row["attributes"]["visible"] == 0


def test_groups_of_other_pages_are_not_cachets(guest, site):
    status_page("Other", "other", groups={"Elsewhere": ["Thing"]})
    names = [item["attributes"]["name"] for item in cachet(guest.get("/api/component-groups"), "cachet.api.component-groups.index")["data"]]
    assert names == ["Payments"]


def test_groups_filter_nothing(guest, site):
    assert_cachet_error(guest.get("/api/component-groups", {"filter[name]": "x"}), 400)


def test_show_and_404(guest, site):
    group = site.groups.get()
    cachet(guest.get(f"/api/component-groups/{group.number}"), "cachet.api.component-groups.show")
    body = cachet(guest.get("/api/component-groups/999"), "cachet.api.component-groups.show", 404)
    assert body == {"message": "No query results for model [Cachet\\Models\\ComponentGroup] 999"}


def test_creating_a_group_moves_the_named_components_into_it(publisher, site):
    api = site.test_components["API"]
    body = {"name": "Core", "order": 0, "visible": False, "collapsed": 1, "order_column": "name", "order_direction": "asc", "components": [api.number]}
    created = cachet(publisher.post("/api/component-groups", body), "cachet.api.component-groups.store")["data"]
    assert created["attributes"] | {"created": None, "updated": None} == {
        "id": created["attributes"]["id"], "name": "Core", "order": 0, "order_column": None, "order_direction": None,
        "collapsed": 1, "visible": 0, "created": None, "updated": None,
    }  # fmt: skip
    group = ComponentGroup.objects.get(number=created["attributes"]["id"])
    assert (group.status_page, group.hidden, group.collapsed) == (site, True, True)
    assert PageComponent.objects.get(component=api, status_page=site).group == group


def test_creating_a_group_needs_a_status_page(publisher):
    body = cachet(publisher.post("/api/component-groups", {"name": "Core"}), "cachet.api.component-groups.store", 422)
    assert list(body["errors"]) == ["status_page"] and "status page must exist" in body["message"]


@pytest.mark.parametrize(
    "body, field",
    [({}, "name"), ({"name": "X", "collapsed": 2}, "collapsed"), ({"name": "X", "components": [999]}, "components"), ({"name": "X", "order_column": "colour"}, "order_column")],
)
def test_invalid_groups_are_refused(publisher, site, body, field):
    answer = cachet(publisher.post("/api/component-groups", body), "cachet.api.component-groups.store", 422)
    assert list(answer["errors"]) == [field]


def test_updating_a_group(publisher, site):
    group = site.groups.get()
    dashboard = site.test_components["Dashboard"]
    body = {"name": "Money", "collapsed": 1, "components": [dashboard.number]}
    updated = cachet(publisher.put(f"/api/component-groups/{group.number}", body), "cachet.api.component-groups.update")["data"]
    assert updated["attributes"]["name"] == "Money" and updated["attributes"]["collapsed"] == 1
    assert PageComponent.objects.get(component=dashboard).group == group


def test_deleting_a_group_keeps_its_components_on_the_page(publisher, reader, site):
    group = site.groups.get()
    cachet(publisher.delete(f"/api/component-groups/{group.number}"), "cachet.api.component-groups.destroy", 204)
    assert PageComponent.objects.get(component=site.test_components["Checkout"]).group is None
    cachet(reader.delete(f"/api/component-groups/{group.number}"), "cachet.api.component-groups.destroy", 403)


@pytest.mark.parametrize("n", [1, 15])
def test_group_list_query_count_is_constant(guest, site, n, django_assert_num_queries):
    for index in range(n):
        group = services.save_group(actor=None, status_page=site, name=f"Group {index}")
        services.create_component(actor=None, name=f"Thing {index}", group=group)
    # site, groups
    with django_assert_num_queries(2):
        cachet(guest.get("/api/component-groups"), "cachet.api.component-groups.index")
    # ...and placements, components, open impacts, maintenance under way
    with django_assert_num_queries(6):
        cachet(guest.get("/api/component-groups", {"include": "components"}), "cachet.api.component-groups.index")
