"""Hostile text on every dialect and every public page (``core.text``): control characters
and overlong fields are refused where text enters, with each dialect's own 422 naming the
field (incident.io's API v1/v2 and status page API, Cachet, Checkly) and a form error in
the admin; a multi-line field keeps its line breaks; rows stored before the rule held
never break a feed or a badge; nothing answers 5xx."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from statuspages import services
from statuspages.api.checkly.ids import guid
from statuspages.models import PageIncident, PageIncidentUpdate, limits
from tests.clients import make_client
from tests.contract import assert_matches_contract
from tests.factories import status_page
from tests.statuspages.api.cachet.conftest import cachet
from tests.statuspages.api.checkly.conftest import checkly

pytestmark = pytest.mark.django_db

#: what the rule refuses in every field (a vertical tab and a form feed broke the feeds;
#: DEL, a C1 control and a noncharacter are no better in XML)
CONTROLS = ["a\x0bb", "a\x0cb", "a\x1bb", "a\x7fb", "a\x85b", "a\ufffeb"]
#: what it refuses in a single-line field only
LINE_BREAKS = ["a\nb", "a\rb", "a\tb"]


@pytest.fixture
def api(db):
    return make_client("global_access", name="Global key")


@pytest.fixture
def site(db):
    return status_page("Acme status", "acme", is_default=True, components=["API", "Dashboard"])


def first_incident(site) -> PageIncident:
    return services.publish_incident(actor=None, status_page=site, name="Existing", message="m")


def checkly_ref(component):
    return {"id": guid(component.pk), "name": component.name, "accountId": "00000000-0000-0000-0000-000000000000"}


# --- each dialect's 422 -------------------------------------------------------------------------


def incidentio_fields(response) -> list[str]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    return [error["source"]["field"] for error in body["errors"]]


def cachet_fields(response) -> list[str]:
    assert response.status_code == 422, response.content
    return list(response.json()["errors"])


def checkly_fields(response) -> list[str]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["statusCode"] == 422
    return [part.split(":", 1)[0] for part in body["message"].split("; ")]


@dataclass
class Write:
    """One write of a dialect: where it goes, its body with ``value`` in one field, and
    how that dialect names the refused field."""

    id: str
    method: str
    path: Callable
    body: Callable
    field: str
    refused: Callable
    multi_line: bool = False


WRITES = [
    Write(
        "incidentio-status-page-incident-name",
        "post",
        lambda s: "/v2/status_page_incidents",
        lambda s, v: {
            "status_page_id": s.pk,
            "name": v,
            "incident_status": "investigating",
            "idempotency_key": "k",
            "message": "m",
            "notify_subscribers": False,
        },
        "name",
        incidentio_fields,
    ),
    Write(
        "incidentio-status-page-incident-message",
        "post",
        lambda s: "/v2/status_page_incidents",
        lambda s, v: {
            "status_page_id": s.pk,
            "name": "n",
            "incident_status": "investigating",
            "idempotency_key": "k",
            "message": v,
            "notify_subscribers": False,
        },
        "message",
        incidentio_fields,
        True,
    ),
    Write(
        "incidentio-status-page-update-message",
        "post",
        lambda s: "/v2/status_page_incident_updates",
        lambda s, v: {"status_page_incident_id": first_incident(s).pk, "message": v, "notify_subscribers": False},
        "message",
        incidentio_fields,
        True,
    ),
    Write(
        "incidentio-component-name",
        "post",
        lambda s: "/v2/status_page_components",
        lambda s, v: {"name": v},
        "name",
        incidentio_fields,
    ),
    Write(
        "incidentio-v2-incident-name",
        "post",
        lambda s: "/v2/incidents",
        lambda s, v: {"idempotency_key": "k", "visibility": "public", "name": v},
        "name",
        incidentio_fields,
    ),
    Write(
        "incidentio-v2-incident-summary",
        "post",
        lambda s: "/v2/incidents",
        lambda s, v: {"idempotency_key": "k", "visibility": "public", "name": "n", "summary": v},
        "summary",
        incidentio_fields,
        True,
    ),
    Write(
        "incidentio-v1-incident-name",
        "post",
        lambda s: "/v1/incidents",
        lambda s, v: {"idempotency_key": "k", "visibility": "public", "name": v},
        "name",
        incidentio_fields,
    ),
    Write(
        "cachet-incident-name",
        "post",
        lambda s: "/api/incidents",
        lambda s, v: {"name": v, "status": 1, "message": "m"},
        "name",
        cachet_fields,
    ),
    Write(
        "cachet-incident-message",
        "post",
        lambda s: "/api/incidents",
        lambda s, v: {"name": "n", "status": 1, "message": v},
        "message",
        cachet_fields,
        True,
    ),
    Write(
        "cachet-update-message",
        "post",
        lambda s: f"/api/incidents/{first_incident(s).number}/updates",
        lambda s, v: {"status": 2, "message": v},
        "message",
        cachet_fields,
        True,
    ),
    Write(
        "cachet-component-name", "post", lambda s: "/api/components", lambda s, v: {"name": v, "status": 1}, "name", cachet_fields
    ),
    Write(
        "checkly-incident-name",
        "post",
        lambda s: "/v1/status-pages/incidents",
        lambda s, v: {
            "name": v,
            "severity": "MAJOR",
            "services": [checkly_ref(s.test_components["API"])],
            "incidentUpdates": [{"description": "d", "notifySubscribers": False}],
        },
        "name",
        checkly_fields,
    ),
    Write(
        "checkly-incident-description",
        "post",
        lambda s: "/v1/status-pages/incidents",
        lambda s, v: {
            "name": "n",
            "severity": "MAJOR",
            "services": [checkly_ref(s.test_components["API"])],
            "incidentUpdates": [{"description": v, "notifySubscribers": False}],
        },
        "incidentUpdates",
        checkly_fields,
        True,
    ),
    Write(
        "checkly-service-name", "post", lambda s: "/v1/status-pages/services", lambda s, v: {"name": v}, "name", checkly_fields
    ),
]


#: each write's operation in its vendor's document: every answer is checked against it
OPERATIONS = {
    "incidentio-status-page-incident-name": "Status Pages V2#CreateStatusPageIncident",
    "incidentio-status-page-incident-message": "Status Pages V2#CreateStatusPageIncident",
    "incidentio-status-page-update-message": "Status Pages V2#CreateStatusPageIncidentUpdate",
    "incidentio-component-name": "Status Page Components V2#Create",
    "incidentio-v2-incident-name": "Incidents V2#Create",
    "incidentio-v2-incident-summary": "Incidents V2#Create",
    "incidentio-v1-incident-name": "Incidents V1#Create",
    "cachet-incident-name": "cachet.api.incidents.store",
    "cachet-incident-message": "cachet.api.incidents.store",
    "cachet-update-message": "cachet.api.incidents.updates.store",
    "cachet-component-name": "cachet.api.components.store",
    "checkly-incident-name": "postV1StatuspagesIncidents",
    "checkly-incident-description": "postV1StatuspagesIncidents",
    "checkly-service-name": "postV1StatuspagesServices",
}


def send(api, site, write: Write, value: str):
    """The write with ``value`` in its field; its answer matches the vendor's document."""
    response = getattr(api, write.method)(write.path(site), write.body(site, value))
    operation = OPERATIONS[write.id]
    if write.id.startswith("cachet"):
        cachet(response, operation, response.status_code)
    elif write.id.startswith("checkly"):
        checkly(response, operation, response.status_code)
    else:
        assert_matches_contract(response, operation)
    return response


def refused_field_matches(write: Write, fields: list[str]) -> bool:
    return any(
        field == write.field or field.startswith(f"{write.field}.") or field.startswith(f"{write.field}[") for field in fields
    )


@pytest.mark.parametrize("value", CONTROLS, ids=[f"U+{ord(v[1]):04X}" for v in CONTROLS])
@pytest.mark.parametrize("write", WRITES, ids=[w.id for w in WRITES])
def test_a_control_character_is_refused_naming_the_field(api, site, write, value):
    fields = write.refused(send(api, site, write, value))
    assert refused_field_matches(write, fields), fields


@pytest.mark.parametrize("value", LINE_BREAKS, ids=["LF", "CR", "TAB"])
@pytest.mark.parametrize("write", [w for w in WRITES if not w.multi_line], ids=[w.id for w in WRITES if not w.multi_line])
def test_a_line_break_in_a_single_line_field_is_refused(api, site, write, value):
    fields = write.refused(send(api, site, write, value))
    assert refused_field_matches(write, fields), fields


@pytest.mark.parametrize("write", [w for w in WRITES if w.multi_line], ids=[w.id for w in WRITES if w.multi_line])
def test_a_multi_line_field_keeps_its_line_breaks(api, site, write):
    response = send(api, site, write, "First line\r\nSecond line\n\tindented")
    assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize("write", WRITES, ids=[w.id for w in WRITES])
def test_an_overlong_field_is_refused_naming_the_field(api, site, write):
    fields = write.refused(send(api, site, write, "x" * 5001))
    assert refused_field_matches(write, fields), fields


# --- the same limit in every dialect ---------------------------------------------------------

#: (write, the longest value accepted): incident.io's limits, whichever dialect writes
LIMITS = [
    ("incidentio-status-page-incident-name", limits.INCIDENT_NAME),
    ("cachet-incident-name", limits.INCIDENT_NAME),
    ("checkly-incident-name", limits.INCIDENT_NAME),
    ("incidentio-status-page-update-message", limits.MESSAGE),
    ("cachet-incident-message", limits.MESSAGE),
    ("cachet-update-message", limits.MESSAGE),
    ("checkly-incident-description", limits.MESSAGE),
]


@pytest.mark.parametrize("write_id, limit", LIMITS, ids=[w for w, _ in LIMITS])
def test_every_dialect_has_the_same_limit(api, site, write_id, limit):
    write = next(w for w in WRITES if w.id == write_id)
    assert send(api, site, write, "x" * limit).status_code in (200, 201)
    fields = write.refused(send(api, site, write, "x" * (limit + 1)))
    assert refused_field_matches(write, fields), fields


def test_a_megabyte_cachet_update_is_refused(api, site):
    incident = first_incident(site)
    response = api.post(f"/api/incidents/{incident.number}/updates", {"status": 2, "message": "x" * 2**20})
    assert cachet_fields(response) == ["message"]
    assert PageIncidentUpdate.objects.filter(page_incident=incident).count() == 1


# --- the admin --------------------------------------------------------------------------------


def test_the_admin_shows_a_control_character_as_a_form_error(staff_client, site):
    incident = first_incident(site)
    response = staff_client.post(
        f"/admin/statuspages/pageincident/{incident.pk}/change/",
        {"name": "Bad\x0bname", "severity": "", "visibility": 0, "stickied": ""},
    )
    assert response.status_code == 200
    assert "Control characters are not allowed" in response.content.decode()
    incident.refresh_from_db()
    assert incident.name == "Existing"


def test_the_admin_shows_an_overlong_name_as_a_form_error(staff_client, site):
    incident = first_incident(site)
    response = staff_client.post(
        f"/admin/statuspages/pageincident/{incident.pk}/change/",
        {"name": "x" * (limits.INCIDENT_NAME + 1), "severity": "", "visibility": 0, "stickied": ""},
    )
    assert response.status_code == 200
    assert f"no more than {limits.INCIDENT_NAME} characters" in response.content.decode()


@pytest.mark.parametrize(
    "name, description, refused",
    [("Bad\x0bname", "", True), ("Sev X", "Line\x0cone", True), ("Sev X", "Line one\r\nLine two", False), ("Sev\nX", "", True)],
)
def test_the_admin_refuses_control_characters_in_configuration(staff_client, name, description, refused):
    from incidents.models import Severity

    response = staff_client.post("/admin/incidents/severity/add/", {"name": name, "description": description, "rank": 9})
    assert (response.status_code == 200 and "Control characters are not allowed" in response.content.decode()) == refused
    assert Severity.objects.filter(rank=9).exists() != refused


# --- rows stored before the rule held ----------------------------------------------------------


@pytest.fixture
def legacy(site):
    """Control characters already in the database (written before the rule held)."""
    incident = first_incident(site)
    PageIncident.objects.filter(pk=incident.pk).update(name="Old\x0bname")
    PageIncidentUpdate.objects.filter(page_incident=incident).update(message="Old\x0cmessage")
    site.test_components["API"].__class__.objects.filter(pk=site.test_components["API"].pk).update(name="A\x0bPI")
    type(site).objects.filter(pk=site.pk).update(name="Acme\x1bstatus")
    return incident


@pytest.mark.parametrize("path_", ["/status/acme/feed.atom", "/status/acme/feed.rss"])
def test_a_feed_with_control_characters_stored_is_well_formed(client, legacy, path_):
    response = client.get(path_)
    assert response.status_code == 200
    text = response.content.decode()
    ET.fromstring(response.content)
    assert "Oldname" in text and "\x0b" not in text and "\x0c" not in text


def test_a_badge_with_control_characters_stored_is_well_formed(client, site, legacy):
    for path_ in ["/status/acme/badge.svg", f"/status/acme/components/{site.test_components['API'].pk}/badge.svg"]:
        response = client.get(path_)
        assert response.status_code == 200
        ET.fromstring(response.content)


@pytest.mark.parametrize(
    "path_", ["/status/acme/", "/status/acme/history/", f"/status/acme/incidents/{'{id}'}/", "/status/acme/api/v2/summary.json"]
)
def test_public_pages_with_control_characters_stored_answer(client, legacy, path_):
    response = client.get(path_.replace("{id}", str(legacy.pk)))
    assert response.status_code == 200


# --- odd encodings and forged tokens, on every dialect ---------------------------------------------

#: one write per dialect (its body is built as above)
ONE_PER_DIALECT = [
    "incidentio-status-page-incident-name",
    "incidentio-v2-incident-name",
    "cachet-incident-name",
    "checkly-incident-name",
]

ODD_BODIES = [
    pytest.param(b"\xff\xfe{\x00}\x00", "application/json", id="utf-16"),
    pytest.param(b'{"name": "\xc3\x28"}', "application/json", id="invalid-utf-8"),
    pytest.param(b'{"name": "\\ud800"}', "application/json", id="lone-surrogate"),
    pytest.param(b'{"name": "caf\xe9"}', "application/json; charset=latin-1", id="latin-1"),
    pytest.param(b"\xef\xbb\xbf{}", "application/json", id="byte-order-mark"),
    pytest.param(b"name=a%0Bb", "application/x-www-form-urlencoded", id="form-encoded-control"),
]


@pytest.mark.parametrize("raw, content_type", ODD_BODIES)
@pytest.mark.parametrize("write_id", ONE_PER_DIALECT)
def test_an_oddly_encoded_body_is_a_4xx(api, site, write_id, raw, content_type):
    write = next(w for w in WRITES if w.id == write_id)
    response = api.generic("POST", write.path(site), raw, content_type=content_type)
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])


FORGED = [
    pytest.param("Bearer ", id="empty"),
    pytest.param("Bearer garbage", id="garbage"),
    pytest.param("Bearer " + "x" * 10_000, id="overlong"),
    pytest.param("Bearer abc\x0bdef", id="control-character"),
    pytest.param("Bearer café", id="non-ascii"),
    pytest.param("Basic dXNlcjpwYXNz", id="another-scheme"),
]


@pytest.mark.parametrize("authorization", FORGED)
@pytest.mark.parametrize("write_id", ONE_PER_DIALECT)
def test_a_forged_token_is_a_401(site, write_id, authorization):
    from django.test import Client

    write = next(w for w in WRITES if w.id == write_id)
    response = Client().post(
        write.path(site), write.body(site, "n"), content_type="application/json", headers={"Authorization": authorization}
    )
    assert response.status_code == 401, (response.status_code, response.content[:300])


# --- the public pages ----------------------------------------------------------------------------

PUBLIC_PAGES = [
    "/status/acme/",
    "/status/acme/history/",
    "/status/acme/feed.atom",
    "/status/acme/feed.rss",
    "/status/acme/badge.svg",
    "/status/acme/api/v2/summary.json",
    "/status/acme/api/v2/incidents.json",
]

HOSTILE_QUERIES = [
    pytest.param("page=1%0B", id="control-character"),
    pytest.param("page=" + "9" * 5000, id="overlong"),
    pytest.param("page=%C3%28", id="invalid-utf-8"),
    pytest.param("page=%FF%FE", id="undecodable"),
    pytest.param("%FF=1", id="undecodable-name"),
    pytest.param("page=%EF%BF%BE", id="noncharacter"),
    pytest.param("page[]=1&page[]=2", id="array"),
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
@pytest.mark.parametrize("path_", PUBLIC_PAGES)
def test_a_hostile_query_on_a_public_page_is_never_a_5xx(client, site, path_, query):
    response = client.get(f"{path_}?{query}")
    assert response.status_code in (200, 400, 404), (response.status_code, response.content[:300])


@pytest.mark.parametrize(
    "path_",
    ["/status/%0B/", "/status/acme/incidents/%0B/", "/status/acme/components/%C3%28/badge.svg", "/status/" + "a" * 5000 + "/"],
)
@pytest.mark.filterwarnings("error::django.core.cache.CacheKeyWarning")
def test_a_hostile_path_on_a_public_page_is_a_404(client, site, path_):
    # An overlong slug is no page: it never reaches a cache key (memcached refuses one).
    assert client.get(path_).status_code == 404
