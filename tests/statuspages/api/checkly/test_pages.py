"""Status Pages: pages with their cards (our groups on the page, with their components)."""

import pytest

from statuspages import services
from statuspages.api.checkly.ids import account_id, guid
from statuspages.models import Component, ComponentGroup, PageComponent, StatusPage
from tests.factories import status_page

from .conftest import checkly

pytestmark = pytest.mark.django_db


def card_names(body):
    return [(card["name"], [service["name"] for service in card["services"]]) for card in body["cards"]]


def test_a_page_shows_its_groups_as_cards_with_their_services_in_order(reader, page):
    body = checkly(reader.get(f"/v1/status-pages/{guid(page.pk)}"), "getV1StatuspagesStatuspageid")
    assert card_names(body) == [("Core", ["API", "Dashboard"]), ("Payments", ["Cards"])]
    assert body["id"] == guid(page.pk) and body["accountId"] == account_id()
    assert body["url"] == "acme" and body["isPrivate"] is False
    assert body["cards"][0]["id"] == guid(ComponentGroup.objects.get(name="Core").pk)
    assert body["cards"][0]["services"][0]["id"] == guid(page.test_components["API"].pk)


def test_creating_a_page_with_cards_sets_its_groups_and_placements(publisher):
    api = services.create_component(actor=None, name="API")
    web = services.create_component(actor=None, name="Web")
    payload = {
        "name": "Acme status",
        "url": "Acme",
        "description": "How Acme is doing",
        "isPrivate": True,
        "logo": "https://acme.example/logo.png",
        "cards": [
            {"name": "Frontends", "services": [{"id": guid(web.pk)}]},
            {"name": "Backends", "services": [{"id": guid(api.pk)}]},
        ],
    }
    body = checkly(publisher.post("/v1/status-pages", payload), "postV1Statuspages", 201)
    page = StatusPage.objects.get()
    assert (page.slug, page.is_public, page.description, page.logo_url) == ("acme", False, "How Acme is doing", "https://acme.example/logo.png")
    assert body["url"] == "acme" and body["isPrivate"] is True
    assert card_names(body) == [("Frontends", ["Web"]), ("Backends", ["API"])]
    placements = {p.component.name: p.group.name for p in PageComponent.objects.select_related("component", "group")}
    assert placements == {"Web": "Frontends", "API": "Backends"}


def test_updating_a_page_replaces_its_cards_keeping_the_groups_it_names(publisher, page):
    core = ComponentGroup.objects.get(name="Core")
    api, cards = page.test_components["API"], page.test_components["Cards"]
    payload = {
        "name": "Acme",
        "url": "acme",
        "cards": [{"id": guid(core.pk), "name": "Core services", "services": [{"id": guid(cards.pk)}, {"id": guid(api.pk)}]}],
    }
    body = checkly(publisher.put(f"/v1/status-pages/{guid(page.pk)}", payload), "putV1StatuspagesStatuspageid")
    assert card_names(body) == [("Core services", ["Cards", "API"])]
    assert body["cards"][0]["id"] == guid(core.pk)
    assert list(ComponentGroup.objects.values_list("name", flat=True)) == ["Core services"]
    # Dashboard left the page (it is still one of the organisation's services).
    assert sorted(PageComponent.objects.values_list("component__name", flat=True)) == ["API", "Cards"]
    assert Component.objects.filter(name="Dashboard").exists()


def test_an_unknown_service_in_a_card_is_refused_and_nothing_is_created(publisher):
    payload = {"name": "Acme", "url": "acme", "cards": [{"name": "Core", "services": [{"id": "2b6e8f2a-47d5-4a4c-9a46-2f7c1e0c6d11"}]}]}
    body = checkly(publisher.post("/v1/status-pages", payload), "postV1Statuspages", 422)
    assert body["message"].startswith("cards: No service with id")
    assert not StatusPage.objects.exists()


def test_a_service_in_two_cards_is_refused_and_the_page_is_not_created(publisher):
    api = services.create_component(actor=None, name="API")
    payload = {"name": "Acme", "url": "acme", "cards": [{"name": "A", "services": [{"id": guid(api.pk)}]}, {"name": "B", "services": [{"id": guid(api.pk)}]}]}
    body = checkly(publisher.post("/v1/status-pages", payload), "postV1Statuspages", 422)
    assert body["message"].startswith("cards: API is listed twice")
    assert not StatusPage.objects.exists()


def test_a_taken_url_is_refused_in_checklys_words(publisher, page):
    body = checkly(publisher.post("/v1/status-pages", {"name": "Other", "url": "acme", "cards": []}), "postV1Statuspages", 422)
    assert body["message"].startswith("url:")


def test_a_page_without_cards_is_refused(publisher):
    body = checkly(publisher.post("/v1/status-pages", {"name": "Acme", "url": "acme"}), "postV1Statuspages", 422)
    assert body["message"].startswith("cards:")


def test_deleting_a_page_answers_204(publisher, page):
    response = publisher.delete(f"/v1/status-pages/{guid(page.pk)}")
    checkly(response, "deleteV1StatuspagesStatuspageid", 204)
    assert not StatusPage.objects.exists()


def test_pages_are_listed_oldest_first(reader):
    first, second = status_page("B page", "b"), status_page("A page", "a")
    body = checkly(reader.get("/v1/status-pages", {"limit": 1}), "getV1Statuspages")
    assert [e["name"] for e in body["entries"]] == ["B page"] and body["nextId"] == guid(second.pk)
    body = checkly(reader.get("/v1/status-pages", {"nextId": body["nextId"]}), "getV1Statuspages")
    assert [e["id"] for e in body["entries"]] == [guid(second.pk)] and body["nextId"] is None
    assert first.pk < second.pk


@pytest.mark.parametrize("n", [1, 10])
def test_page_list_query_count_is_constant(reader, n, django_assert_num_queries):
    for i in range(n):
        status_page(f"Page {i}", f"page-{i}", groups={"Core": ["API", "Web"], "Edge": ["CDN"]})
    # key, pages, their groups, the groups' placements with their components
    with django_assert_num_queries(4):
        response = reader.get("/v1/status-pages", {"limit": 100})
    assert response.json()["length"] == n


def test_an_unknown_page_is_checklys_404(reader):
    checkly(reader.get("/v1/status-pages/2b6e8f2a-47d5-4a4c-9a46-2f7c1e0c6d11"), "getV1StatuspagesStatuspageid", 404)


def test_a_publisher_lists_pages_as_it_does_through_every_dialect(publisher):
    # One rule per role whatever the dialect (core.api.roles): a publisher reads too.
    checkly(publisher.get("/v1/status-pages"), "getV1Statuspages", 200)


def test_an_optional_field_left_out_of_an_update_keeps_its_value(publisher):
    page = status_page(description="How Acme is doing", is_public=False)
    body = checkly(publisher.put(f"/v1/status-pages/{guid(page.pk)}", {"name": "Acme", "url": "acme", "cards": []}), "putV1StatuspagesStatuspageid")
    assert (body["description"], body["isPrivate"]) == ("How Acme is doing", True)
    cleared = checkly(
        publisher.put(f"/v1/status-pages/{guid(page.pk)}", {"name": "Acme", "url": "acme", "description": None, "cards": []}),
        "putV1StatuspagesStatuspageid",
    )
    assert cleared["description"] is None
