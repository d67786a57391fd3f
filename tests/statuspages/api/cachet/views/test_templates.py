"""Cachet's incident templates, shared by every page."""

import pytest

from statuspages import services
from statuspages.models import IncidentTemplate

from ..conftest import cachet

pytestmark = pytest.mark.django_db


def template(name="Outage", slug="outage", text="{{ service }} is down"):
    return services.save_incident_template(actor=None, name=name, slug=slug, template=text)


def test_templates_list_in_cachets_shape(guest):
    outage = template()
    body = cachet(guest.get("/api/incident-templates"), "cachet.api.incident-templates.index")
    assert body["data"] == [
        {
            "id": str(outage.number),
            "type": "incidentTemplates",
            "attributes": {
                "id": outage.number,
                "name": "Outage",
                "slug": "outage",
                "template": "{{ service }} is down",
                "engine": "twig",
                "created": body["data"][0]["attributes"]["created"],
                "updated": body["data"][0]["attributes"]["updated"],
            },
        }
    ]


def test_templates_filter_and_sort(guest):
    template("Outage", "outage")
    template("Maintenance", "maintenance")
    names = lambda body: [item["attributes"]["name"] for item in body["data"]]  # noqa: E731
    assert names(cachet(guest.get("/api/incident-templates", {"sort": "slug"}), "cachet.api.incident-templates.index")) == ["Maintenance", "Outage"]
    assert names(cachet(guest.get("/api/incident-templates", {"filter[slug]": "out"}), "cachet.api.incident-templates.index")) == ["Outage"]
    assert names(cachet(guest.get("/api/incident-templates", {"filter[name]": "main"}), "cachet.api.incident-templates.index")) == ["Maintenance"]


def test_show_and_404(guest):
    outage = template()
    cachet(guest.get(f"/api/incident-templates/{outage.number}"), "cachet.api.incident-templates.show")
    body = cachet(guest.get("/api/incident-templates/999"), "cachet.api.incident-templates.show", 404)
    assert body == {"message": "No query results for model [Cachet\\Models\\IncidentTemplate] 999"}


def test_creating_a_template_slugs_its_name(publisher):
    created = cachet(publisher.post("/api/incident-templates", {"name": "Database Outage", "template": "DB down"}), "cachet.api.incident-templates.store")
    assert created["data"]["attributes"]["slug"] == "database-outage"
    assert created["data"]["attributes"]["engine"] == "twig"


@pytest.mark.parametrize(
    "body, field",
    [({"template": "x"}, "name"), ({"name": "X"}, "template"), ({"name": "X", "template": "x", "engine": "blade"}, "engine")],
)
def test_invalid_templates_are_refused(publisher, body, field):
    answer = cachet(publisher.post("/api/incident-templates", body), "cachet.api.incident-templates.store", 422)
    assert list(answer["errors"]) == [field]


def test_a_clashing_slug_is_refused(publisher):
    template()
    answer = cachet(publisher.post("/api/incident-templates", {"name": "Outage", "template": "x"}), "cachet.api.incident-templates.store", 422)
    assert list(answer["errors"]) == ["slug"]


def test_updating_and_deleting_a_template(publisher, guest):
    outage = template()
    url = f"/api/incident-templates/{outage.number}"
    updated = cachet(publisher.put(url, {"template": "{{ service }} is back"}), "cachet.api.incident-templates.update")["data"]
    assert (updated["attributes"]["slug"], updated["attributes"]["template"]) == ("outage", "{{ service }} is back")
    # As Cachet: a new name makes a new slug, unless one is given.
    renamed = cachet(publisher.put(url, {"name": "Big outage"}), "cachet.api.incident-templates.update")["data"]
    assert renamed["attributes"]["slug"] == "big-outage"
    cachet(guest.delete(url), "cachet.api.incident-templates.destroy", 401)
    cachet(publisher.delete(url), "cachet.api.incident-templates.destroy", 204)
    assert not IncidentTemplate.objects.exists()


@pytest.mark.parametrize("n", [1, 20])
def test_template_list_query_count_is_constant(guest, n, django_assert_num_queries):
    for index in range(n):
        template(f"Template {index}", f"template-{index}")
    # templates
    with django_assert_num_queries(1):
        cachet(guest.get("/api/incident-templates", {"per_page": 50}), "cachet.api.incident-templates.index")
