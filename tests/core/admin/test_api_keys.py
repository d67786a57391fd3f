"""The API key form: the roles that gate something here first, grouped by what they open;
incident.io's other role names folded away."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.admin.api_keys import GATING_ROLES
from core.models import ApiRole
from tests.factories import api_key

pytestmark = pytest.mark.django_db


def _roles_by_section(html):
    """{section heading: [role names]} in the order the form shows them."""
    sections = {}
    for heading, body in re.findall(r"<(?:legend|summary)>(.*?)</(?:legend|summary)>(.*?)</(?:fieldset|details)>", html, re.S):
        sections[heading] = re.findall(r'name="roles" value="([a-z_]+)"', body)
    return sections


def test_roles_that_gate_something_come_first_grouped_and_the_others_are_folded(staff_client):
    html = staff_client.get(reverse("admin:core_apikey_add")).content.decode()
    sections = _roles_by_section(html)
    headings = list(sections)
    assert headings[:4] == ["Incidents", "Configuration", "API keys", "Status pages"]
    assert sections["Incidents"] == ["viewer", "incident_creator", "incident_editor", "incident_memberships_editor", "global_access"]
    assert sections["Status pages"] == ["status_page_viewer", "status_page_publisher"]
    folded = sections[headings[4]]
    assert len(folded) == len(ApiRole) - len(GATING_ROLES) and "catalog_viewer" in folded
    # Closed for a new key: the fold's tag carries no "open".
    assert re.search(r"<details[^>]*api-role-others\"\s*>", html)


def test_a_key_holding_a_folded_role_shows_the_fold_open(staff_client):
    key, _ = api_key(roles=["viewer", "catalog_viewer"])
    html = staff_client.get(reverse("admin:core_apikey_change", args=[key.pk])).content.decode()
    assert re.search(r"<details[^>]*api-role-others\" open>", html)
    assert re.search(r'value="catalog_viewer"[^>]*checked', html)


def test_a_key_is_created_with_roles_from_several_groups(staff_client):
    response = staff_client.post(
        reverse("admin:core_apikey_add"),
        {"name": "Status bot", "roles": ["viewer", "status_page_publisher", "catalog_viewer"], "comments": ""},
    )
    assert response.status_code == 302
    from core.models import ApiKey

    assert ApiKey.objects.get(name="Status bot").roles == ["viewer", "status_page_publisher", "catalog_viewer"]


def _views(resolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern)
        elif isinstance(pattern, URLPattern):
            yield getattr(pattern.callback, "cls", None)


def test_every_role_an_api_view_names_is_among_the_grouped_ones():
    named = set()
    for view in _views(get_resolver()):
        for roles in (getattr(view, "roles", None) or {}).values():
            named.update(roles)
    assert named, "no view names its roles: the walk over the URL patterns is broken"
    assert named <= set(GATING_ROLES), named - set(GATING_ROLES)
