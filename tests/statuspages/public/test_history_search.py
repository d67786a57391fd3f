"""Searching the history (``/status/<slug>/history/?q=words``): incidents whose name or
updates hold every word, in one query whatever the history, never an incident the reader
may not see."""

import pytest

from statuspages import services
from statuspages.models import Visibility

from .conftest import incident

pytestmark = pytest.mark.django_db


def search(client, words):
    response = client.get("/status/acme/history/", {"q": words})
    assert response.status_code == 200
    return response.content.decode()


def test_incidents_are_found_by_words_of_their_names_and_updates(client, page):
    cards = incident(page, name="Cards declined", message="Payments fail at checkout.")
    later = incident(page, name="Slow dashboard", message="Pages take seconds.")
    services.post_incident_update(actor=None, page_incident=later, message="The CARDS database was the cause.")
    body = search(client, "cards")
    assert f"/status/acme/incidents/{cards.pk}/" in body and f"/status/acme/incidents/{later.pk}/" in body
    body = search(client, "Checkout  payments")  # every word, any case, anywhere in the incident
    assert f"/status/acme/incidents/{cards.pk}/" in body and f"/status/acme/incidents/{later.pk}/" not in body
    assert "No incident matches every word." in search(client, "cards kangaroo")


def test_staff_only_incidents_are_never_found_by_the_public(client, staff_reader, page):
    secret = incident(page, name="Secret vault trouble", message="Vault keys rotated.", visibility=Visibility.STAFF)
    assert "Secret vault trouble" not in search(client, "vault") and secret.pk not in search(client, "vault")
    assert "Secret vault trouble" in search(staff_reader, "vault")


def test_the_history_offers_the_search_and_an_empty_one_is_the_history(client, page):
    incident(page, name="Cards declined")
    history = client.get("/status/acme/history/").content.decode()
    assert 'role="search"' in history and 'name="q"' in history
    assert client.get("/status/acme/history/", {"q": "   "}).content.decode() == history


def test_one_search_spelt_two_ways_is_one_cached_response(client, page):
    incident(page, name="Cards declined")
    one = client.get("/status/acme/history/", {"q": "Cards   DECLINED"})
    other = client.get("/status/acme/history/", {"q": "cards declined"})
    assert one["ETag"] == other["ETag"] and one.content == other.content


@pytest.mark.parametrize("n", [1, 30])
def test_a_search_s_query_count_is_constant(client, page, n, django_assert_num_queries):
    for number in range(n):
        found = incident(page, name=f"Cards trouble {number}", message="Looking into it.")
        services.post_incident_update(actor=None, page_incident=found, message="Cards are fine again.")
    # the page by its slug; the incidents holding every word (one EXISTS a word)
    with django_assert_num_queries(2):
        assert "Cards trouble 0" in search(client, "cards fine")
