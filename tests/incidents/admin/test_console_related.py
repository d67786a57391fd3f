"""The incident page's related incidents and links: relating two incidents shows each on
the other's page (linked both ways); an incident the user may not see is neither shown
nor relatable; links are attached and removed; viewers change nothing."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from incidents import services
from incidents.models import IncidentAttachment, IncidentRelationship, Visibility
from incidents.services.groups import RESPONDERS, VIEWERS
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db


def _as(client, group):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def page(client, incident) -> str:
    return client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()


def test_relating_links_the_two_pages_both_ways(client):
    _as(client, RESPONDERS)
    checkout, payments = declare("Checkout fails"), declare("Payments slow")
    add = reverse("admin:incidents_incident_relate", args=[checkout.pk])
    assert client.post(add, {"relate-reference": payments.reference})["Location"].endswith("#related")
    assert IncidentRelationship.objects.count() == 1
    assert reverse("admin:incidents_incident_change", args=[payments.pk]) in page(client, checkout)
    assert reverse("admin:incidents_incident_change", args=[checkout.pk]) in page(client, payments)
    remove = reverse("admin:incidents_incident_unrelate", args=[payments.pk, checkout.pk])  # from the other side
    assert client.post(remove).status_code == 302
    assert not IncidentRelationship.objects.exists()


def test_a_private_incident_the_user_may_not_see_is_neither_shown_nor_relatable(client):
    _as(client, RESPONDERS)
    incident, secret = declare("Checkout fails"), declare("Vault breach", visibility=Visibility.PRIVATE)
    add = reverse("admin:incidents_incident_relate", args=[incident.pk])
    response = client.post(add, {"relate-reference": secret.reference}, follow=True)
    assert "No incident you may see has that reference." in response.content.decode()
    services.relate_incidents(incident=incident, other=secret, actor=None)
    assert "Vault breach" not in page(client, incident) and secret.pk not in page(client, incident)


def test_a_responder_attaches_and_removes_a_link(client):
    _as(client, RESPONDERS)
    incident = declare()
    add = reverse("admin:incidents_incident_attach", args=[incident.pk])
    body = {"attach-resource_type": "github_pull_request", "attach-url": "https://github.com/acme/api/pull/7", "attach-title": ""}
    assert client.post(add, body).status_code == 302
    attachment = IncidentAttachment.objects.get()
    assert attachment.title == "acme/api#7" and "acme/api#7" in page(client, incident)
    response = client.post(add, {**body, "attach-url": "https://github.com/acme/api/issues/7"}, follow=True)
    assert "not a link to a GitHub pull request" in response.content.decode()
    assert client.post(reverse("admin:incidents_incident_detach", args=[incident.pk, attachment.pk])).status_code == 302
    assert not IncidentAttachment.objects.exists()


def test_a_viewer_changes_nothing(client):
    _as(client, VIEWERS)
    incident, other = declare(), declare("Other")
    assert 'value="Relate"' not in page(client, incident) and 'value="Attach"' not in page(client, incident)
    assert client.post(reverse("admin:incidents_incident_relate", args=[incident.pk]), {"relate-reference": other.reference}).status_code == 403
    body = {"attach-resource_type": "arbitrary_url", "attach-url": "https://x.test/"}
    assert client.post(reverse("admin:incidents_incident_attach", args=[incident.pk]), body).status_code == 403
    assert not IncidentRelationship.objects.exists() and not IncidentAttachment.objects.exists()
