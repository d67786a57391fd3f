"""Who may see which incident is applied by the API's base, for every view of every
dialect (``core.models.restricted``): a viewset that reads incident-linked rows without
it, or an answer that names a private incident to a key without global access, fails here."""

import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.urls import URLResolver, get_resolver

from core.api.base import ApiViewSet
from core.models import ApiRole, RestrictedQuerySet
from incidents import services
from incidents.models import Incident, Visibility
from statuspages import services as pages
from tests.clients import make_client
from tests.factories import declare, status_page

pytestmark = pytest.mark.django_db

SECRET_NAME = "Vault breach 7f3a"
SECRET_MESSAGE = "Vault door found open 91c2"
EVERY_ROLE_BUT_GLOBAL = [role for role in ApiRole.values if role != ApiRole.GLOBAL_ACCESS]


def _patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns)
        else:
            yield pattern


def api_routes():
    """(route, viewset class, actions) of every routed API viewset."""
    for pattern in _patterns(get_resolver().url_patterns):
        cls = getattr(pattern.callback, "cls", None)
        if cls is not None and issubclass(cls, ApiViewSet):
            yield str(pattern.pattern), cls, pattern.callback.actions


def links_to_incident(model) -> bool:
    return any(field.many_to_one and field.related_model is Incident for field in model._meta.get_fields())


@pytest.fixture
def secret(settings):
    """A private incident with an update, and a page incident published about it."""
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    incident = declare(SECRET_NAME, visibility=Visibility.PRIVATE)
    services.post_incident_update(incident=incident, actor=None, message=SECRET_MESSAGE)
    services.create_follow_up(incident=incident, actor=None, title="Change the lock")
    services.create_action(incident=incident, actor=None, description="Call the locksmith")
    services.create_timeline_item(
        incident=incident, actor=None, title="Door seen open", occurred_at=incident.created_at, idempotency_key="door"
    )
    services.attach_resource(incident=incident, actor=None, resource_type="arbitrary_url", url="https://x.test/vault")
    services.relate_incidents(incident=incident, other=declare("Slow dashboard"), actor=None)
    page = status_page(components=["API"])
    published = pages.publish_incident(
        actor=None, status_page=page, name="Login trouble", message="Looking into it.", incident=incident
    )
    return SimpleNamespace(incident=incident, page=page, published=published)


def test_a_relationship_is_answered_only_to_a_key_that_sees_both_incidents(secret):
    related = Incident.objects.get(name="Slow dashboard")
    query = {"incident_id": related.pk}
    assert SECRET_NAME not in make_client(*EVERY_ROLE_BUT_GLOBAL).get("/v1/incident_relationships", query).content.decode()
    assert SECRET_NAME in make_client(ApiRole.GLOBAL_ACCESS).get("/v1/incident_relationships", query).content.decode()


def test_every_model_hanging_off_an_incident_says_who_may_see_its_rows():
    linked = [model for model in apps.get_models() if model is Incident or links_to_incident(model)]
    assert len(linked) >= 6
    for model in linked:
        assert isinstance(model._default_manager.all(), RestrictedQuerySet), model


def test_every_viewset_serves_its_rows_through_the_rule(secret):
    key = make_client(*EVERY_ROLE_BUT_GLOBAL).key
    checked = set()
    for _route, cls, _actions in api_routes():
        if cls.queryset is None and "get_queryset" not in vars(cls):
            continue  # serves no rows of its own queryset (the answers are checked below)
        view = cls()
        view.request, view.kwargs = SimpleNamespace(auth=key, query_params={}), {}
        rows = view.get_queryset()
        if isinstance(rows.model._default_manager.all(), RestrictedQuerySet):
            assert rows.restricted_for is key, f"{cls.__name__} reads its rows without restrict()"
            checked.add(rows.model)
        if rows.model is Incident:
            assert not rows.filter(pk=secret.incident.pk).exists(), cls
        elif links_to_incident(rows.model) and rows.model._meta.app_label == "incidents":
            assert not rows.filter(incident=secret.incident).exists(), cls
    assert {model.__name__ for model in checked} >= {"Incident", "IncidentUpdate", "PageIncident"}


def _requests(secret):
    """Every GET of every API route, its path filled in with the private incident's id
    (or number), and its list filters pointed at it."""
    for route, _cls, actions in api_routes():
        if "get" not in actions:
            continue
        refs = [secret.incident.pk, str(secret.incident.reference_number)] if "<str:" in route else [""]
        for ref in refs:
            path = re.sub(r"<str:\w+>", ref, route)
            path = re.sub(r"<int:\w+>", str(secret.published.number), path)
            yield "/" + path, {"incident_id": secret.incident.pk, "status_page_id": secret.page.pk}


def test_no_answer_names_a_private_incident_to_a_key_without_global_access(secret):
    client = make_client(*EVERY_ROLE_BUT_GLOBAL)
    answered = 0
    for path, query in _requests(secret):
        for params in (None, query):
            response = client.get(path, params)
            # Cachet's links repeat the query string.
            body = response.content.decode().replace(f"incident_id={secret.incident.pk}", "")
            if response.status_code >= 400:
                body = body.replace(secret.incident.pk, "")  # an error may echo the id asked for
            assert secret.incident.pk not in body and SECRET_NAME not in body and SECRET_MESSAGE not in body, path
            answered += response.status_code == 200
    assert answered > 30
    for path in ("/v1/incidents/", "/v2/incidents/"):
        assert client.get(path + secret.incident.pk).status_code == 404


def test_a_key_with_global_access_is_answered_with_the_private_incident(secret):
    # The walk above can fail: the same requests name the incident to a key that may see it.
    client = make_client(ApiRole.GLOBAL_ACCESS)
    named = {path for path, query in _requests(secret) if SECRET_NAME in client.get(path, query).content.decode()}
    assert {"/v1/incidents", "/v2/incidents", f"/v2/incidents/{secret.incident.pk}"} <= named
    updates = client.get("/v2/incident_updates", {"incident_id": secret.incident.pk}).content.decode()
    assert SECRET_MESSAGE in updates
    for path in (
        "/v2/follow_ups", "/v3/follow_ups", "/v2/actions", "/v3/actions", "/v2/incident_timeline_items",
        "/v1/incident_attachments",
    ):
        assert secret.incident.pk in client.get(path, {"incident_id": secret.incident.pk}).content.decode(), path
