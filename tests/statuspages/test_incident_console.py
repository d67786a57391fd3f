"""Posting an update on the incident page publishes it on a linked status page incident
when asked, in the same submit and transaction."""

import pytest
from django.urls import reverse

from statuspages import services
from statuspages.models import PageIncidentUpdate
from tests.factories import declare, status_page

pytestmark = pytest.mark.django_db


def _linked():
    page = status_page(components=["API"])
    internal = declare("Primary database disk full")
    published = services.publish_incident(actor=None, status_page=page, name="Slow API", message="Investigating.", incident=internal)
    return page, internal, published


def test_an_update_is_published_on_the_linked_page_incident_with_its_subscribers_notified(staff_client, statuses):
    page, internal, published = _linked()
    response = staff_client.post(
        reverse("admin:incidents_incident_post_update", args=[internal.pk]),
        {"message": "A fix is rolling out.", "new_status": statuses["Monitoring"].pk, "statuspage_incident": published.pk,
         "statuspage_status": "monitoring", "statuspage_notify": "on"},
    )
    assert response.status_code == 302
    internal.refresh_from_db()
    published.refresh_from_db()
    assert internal.status == statuses["Monitoring"] and internal.updates.filter(message="A fix is rolling out.").count() == 1
    update = PageIncidentUpdate.objects.filter(page_incident=published).order_by("-published_at").first()
    assert (update.message, update.status, update.notify_subscribers) == ("A fix is rolling out.", "monitoring", True)
    assert published.status == "monitoring"


def test_not_publishing_leaves_the_page_alone(staff_client):
    _, internal, published = _linked()
    staff_client.post(reverse("admin:incidents_incident_post_update", args=[internal.pk]), {"message": "Internal only", "statuspage_incident": ""})
    assert PageIncidentUpdate.objects.filter(page_incident=published).count() == 1


def test_the_page_offers_publishing_only_when_a_page_incident_is_linked(staff_client):
    _, internal, _ = _linked()
    other = declare("Not public")
    assert "Publish on" in staff_client.get(reverse("admin:incidents_incident_change", args=[internal.pk])).content.decode()
    assert "Publish on" not in staff_client.get(reverse("admin:incidents_incident_change", args=[other.pk])).content.decode()


def _page_statuses(page):
    from statuspages import selectors

    return {view.component.name: view.status for view in selectors.page_overview(page).components}


def test_the_console_moves_components_from_where_the_incident_stands(staff_client, statuses, mailoutbox):
    page = status_page(components=["API", "Dashboard"])
    internal = declare("Primary database disk full")
    api, dashboard = page.test_components["API"], page.test_components["Dashboard"]
    published = services.publish_incident(
        actor=None, status_page=page, name="Slow dashboard", message="Investigating.", incident=internal,
        component_statuses={dashboard: "degraded_performance"},
    )
    url = reverse("admin:incidents_incident_change", args=[internal.pk])
    form = staff_client.get(url).context["update_form"]
    assert form[f"statuspage_component_{dashboard.pk}"].initial == "degraded_performance"
    assert form[f"statuspage_component_{api.pk}"].initial == ""  # not named: no change
    response = staff_client.post(
        reverse("admin:incidents_incident_post_update", args=[internal.pk]),
        {"message": "All fixed.", "statuspage_incident": published.pk, "statuspage_status": "resolved",
         f"statuspage_component_{dashboard.pk}": "operational", f"statuspage_component_{api.pk}": ""},
    )
    assert response.status_code == 302
    update = PageIncidentUpdate.objects.filter(page_incident=published).order_by("-published_at").first()
    assert {(s.component.name, s.status) for s in update.component_statuses.all()} == {("Dashboard", "operational")}
    assert _page_statuses(page) == {"API": "operational", "Dashboard": "operational"}
    from notifications.rendering import render_update

    email = render_update(update)
    assert "- Dashboard: Operational" in email.text and "Degraded" not in email.text
    public = staff_client.get(f"/status/{page.slug}/incidents/{published.pk}/").content.decode()
    assert "Degraded performance" not in public.split("</h1>", 1)[1].split("<ol", 1)[0]


def test_left_alone_the_console_posts_no_component(staff_client, statuses):
    page = status_page(components=["API"])
    internal = declare("Disk full")
    api = page.test_components["API"]
    published = services.publish_incident(
        actor=None, status_page=page, name="Slow API", message="Investigating.", incident=internal, component_statuses={api: "partial_outage"},
    )
    staff_client.post(
        reverse("admin:incidents_incident_post_update", args=[internal.pk]),
        {"message": "Still on it.", "statuspage_incident": published.pk, f"statuspage_component_{api.pk}": "partial_outage"},
    )
    update = PageIncidentUpdate.objects.filter(page_incident=published).order_by("-published_at").first()
    assert update.message == "Still on it." and not update.component_statuses.exists()
    assert _page_statuses(page) == {"API": "partial_outage"}
