"""With acceleration, GET /v2/incidents/{id} has a fast path (incidents.api.accel.show)
beside its DRF view: it must answer exactly as the DRF view does, hand everything out of
the ordinary to it, and never look a key up or charge a request twice."""

import pytest

from incidents import services
from core.accel import gate
from incidents.api.v2.views.incidents import IncidentV2ViewSet
from incidents.models import Visibility
from tests.clients import ApiClient, make_client
from tests.contract import assert_matches_contract
from tests.factories import declare

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("accelerated")]

VOLATILE = {"X-Request-Id", "X-RateLimit-Remaining", "X-RateLimit-Used", "X-RateLimit-Reset"}


@pytest.fixture
def drf_calls(monkeypatch):
    """How many times the DRF view's action ran."""
    calls = []
    retrieve = IncidentV2ViewSet.retrieve

    def counted(self, request, pk):
        calls.append(pk)
        return retrieve(self, request, pk)

    monkeypatch.setattr(IncidentV2ViewSet, "retrieve", counted)
    return calls


@pytest.fixture
def admissions(monkeypatch):
    """How many times a request's key was looked up in the cache."""
    calls = []
    admit = gate.admit

    def counted(request, token, **kwargs):
        calls.append(token)
        return admit(request, token, **kwargs)

    monkeypatch.setattr(gate, "admit", counted)
    return calls


def test_the_fast_path_answers_as_the_drf_view_does(viewer, drf_calls, cache_backend, settings):
    # A request's worth refills in a second: none comes back between the two requests.
    settings.API_RATE_LIMIT_PER_MINUTE = 60
    incident = declare("Fast and slow", summary="Same answer")
    fast = viewer.get(f"/v2/incidents/{incident.pk}")
    assert drf_calls == []
    # A query string sends the request through DRF (which ignores unknown parameters).
    slow = viewer.get(f"/v2/incidents/{incident.pk}?via=drf")
    assert drf_calls == [incident.pk]
    assert fast.status_code == slow.status_code == 200
    assert fast.content == slow.content
    assert_matches_contract(fast, "Incidents V2#Show")
    assert {k: v for k, v in fast.headers.items() if k not in VOLATILE} == {
        k: v for k, v in slow.headers.items() if k not in VOLATILE
    }
    assert int(fast["X-RateLimit-Remaining"]) == int(slow["X-RateLimit-Remaining"]) + 1


def test_an_incident_shown_by_its_reference_number(viewer, drf_calls):
    incident = declare("By number")
    response = viewer.get(f"/v2/incidents/{incident.reference_number}")
    assert response.json()["incident"]["id"] == incident.pk
    assert drf_calls == []


def test_a_warm_show_is_one_query_and_one_cache_round_trip(viewer, admissions, django_assert_num_queries):
    incident = declare("Warm")
    viewer.get(f"/v2/incidents/{incident.pk}")
    admissions.clear()
    with django_assert_num_queries(1):  # the incident's id and updated_at, as the key may see it
        assert viewer.get(f"/v2/incidents/{incident.pk}").status_code == 200
    assert len(admissions) == 1


def test_a_key_missing_from_the_cache_is_read_from_the_database(viewer):
    from django.core.cache import cache

    incident = declare("Cold key")
    cache.clear()
    response = viewer.get(f"/v2/incidents/{incident.pk}")
    assert response.status_code == 200
    assert response.json()["incident"]["id"] == incident.pk


@pytest.mark.parametrize(
    "case, status",
    [
        ("no key", 401),
        ("not a bearer token", 401),
        ("unknown key", 401),
        ("no viewer role", 403),
        ("private incident", 404),
        ("no such incident", 404),
        ("html wanted", 406),
    ],
)
def test_what_the_fast_path_does_not_serve_is_answered_by_drf_as_before(case, status, drf_calls, admissions):
    incident = declare("Hidden", visibility=Visibility.PRIVATE) if case == "private incident" else declare("Shown")
    client = make_client("incident_creator" if case == "no viewer role" else "viewer")
    path = f"/v2/incidents/{'01J00000000000000000000000' if case == 'no such incident' else incident.pk}"
    headers = {
        "no key": {"Authorization": ""},
        "not a bearer token": {"Authorization": "Basic dXNlcjpwYXNz"},
        "unknown key": {"Authorization": "Bearer not-a-key"},
        "html wanted": {"Accept": "text/html"},
    }.get(case)
    response = (ApiClient() if case == "no key" else client).get(path, headers=headers)
    assert response.status_code == status
    body = response.json()
    assert body["status"] == status and body["request_id"] == response["X-Request-Id"]
    # The key was looked up once at most, by whichever path got there first (DRF refuses
    # what it cannot render before it authenticates).
    assert len(admissions) == (0 if case in ("no key", "not a bearer token", "html wanted") else 1)


def test_a_private_incident_is_shown_to_a_key_that_sees_private_incidents(api, drf_calls):
    incident = declare("Private", visibility=Visibility.PRIVATE)
    assert api.get(f"/v2/incidents/{incident.pk}").json()["incident"]["visibility"] == "private"
    assert drf_calls == []


def test_an_incident_made_private_disappears_from_the_fast_path_at_once(viewer):
    incident = declare("Soon private")
    assert viewer.get(f"/v2/incidents/{incident.pk}").status_code == 200
    services.edit_incident(incident=incident, actor=None, visibility=Visibility.PRIVATE)
    assert viewer.get(f"/v2/incidents/{incident.pk}").status_code == 404


def test_a_request_handed_to_drf_is_charged_once(viewer, cache_backend, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    shown, hidden = declare("Shown"), declare("Hidden", visibility=Visibility.PRIVATE)
    first = viewer.get(f"/v2/incidents/{shown.pk}")
    assert first["X-RateLimit-Remaining"] == "2"
    refused = viewer.get(f"/v2/incidents/{hidden.pk}")  # 404, through DRF
    assert (refused.status_code, refused["X-RateLimit-Remaining"]) == (404, "1")
    assert viewer.get(f"/v2/incidents/{shown.pk}")["X-RateLimit-Remaining"] == "0"
    limited = viewer.get(f"/v2/incidents/{shown.pk}")
    assert limited.status_code == 429
    assert_matches_contract(limited, "Incidents V2#Show")


def test_head_is_answered_by_drf(viewer):
    incident = declare("Head")
    response = viewer.head(f"/v2/incidents/{incident.pk}", headers=viewer._headers(None))
    assert response.status_code == 200 and response.content == b""
