"""Staff run status pages from the admin; every change goes through the services."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from statuspages import selectors, services
from statuspages.models import Component, Maintenance, MaintenanceStatus, PageIncident, StatusPage
from tests.factories import declare, status_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    return status_page(components=["API"], groups={"Payments": ["Cards"]})


@pytest.mark.parametrize("model", ["statuspage", "component", "pageincident", "maintenance", "incidenttemplate"])
def test_every_status_page_screen_renders_for_staff(staff_client, page, model):
    api = page.test_components["API"]
    incident = services.publish_incident(actor=None, status_page=page, name="Down", message="**Looking**", component_statuses={api: "full_outage"})
    now = timezone.now()
    maintenance = services.schedule_maintenance(actor=None, status_page=page, name="Upgrade", message="", starts_at=now, ends_at=now + timedelta(hours=1))
    template = services.save_incident_template(actor=None, name="Outage", slug="outage", template="{{ name }} is down")
    objects = {"statuspage": page, "component": api, "pageincident": incident, "maintenance": maintenance, "incidenttemplate": template}
    assert staff_client.get(reverse(f"admin:statuspages_{model}_changelist")).status_code == 200
    change = staff_client.get(reverse(f"admin:statuspages_{model}_change", args=[objects[model].pk]))
    assert change.status_code == 200
    add = staff_client.get(reverse(f"admin:statuspages_{model}_add"), follow=True)
    assert add.status_code == 200


def test_publishing_about_an_internal_incident_shows_nothing_of_it(staff_client, page):
    internal = declare("Secret database corruption in prod-eu-3", visibility="private")
    url = reverse("admin:statuspages_pageincident_publish")
    form = staff_client.get(url, {"incident": internal.pk, "status_page": page.pk})
    assert form.status_code == 200 and internal.reference in form.content.decode()
    assert internal.name not in form.content.decode()  # nothing prefilled from it
    api = page.test_components["API"]
    response = staff_client.post(url, {
        "status_page": page.pk, "incident": internal.pk, "name": "Slow API", "message": "We're on it",
        "status": "investigating", "severity": "", "visibility": 1, f"component_{api.pk}": "partial_outage",
    })
    published = PageIncident.objects.get()
    assert response.status_code == 302 and published.incident == internal and published.name == "Slow API"
    assert selectors.component_statuses([api.pk])[api.pk] == "partial_outage"


def test_an_update_from_the_incident_page_moves_components(staff_client, page):
    api, cards = page.test_components["API"], page.test_components["Cards"]
    incident = services.publish_incident(actor=None, status_page=page, name="Down", message="", component_statuses={api: "full_outage"})
    change = staff_client.get(reverse("admin:statuspages_pageincident_change", args=[incident.pk]))
    assert "Post an update" in change.content.decode()
    response = staff_client.post(
        reverse("admin:statuspages_pageincident_post_update", args=[incident.pk]),
        {"message": "Fixed", "status": "resolved", f"component_{cards.pk}": "", f"component_{api.pk}": ""},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == "resolved" and selectors.component_statuses([api.pk])[api.pk] == "operational"


def test_the_update_form_starts_at_the_incidents_statuses_and_posts_what_moved(staff_client, page, mailoutbox):
    api, cards = page.test_components["API"], page.test_components["Cards"]
    incident = services.publish_incident(
        actor=None, status_page=page, name="Down", message="", component_statuses={api: "full_outage", cards: "degraded_performance"}
    )
    form = staff_client.get(reverse("admin:statuspages_pageincident_change", args=[incident.pk])).context["update_form"]
    assert (form[f"component_{api.pk}"].initial, form[f"component_{cards.pk}"].initial) == ("full_outage", "degraded_performance")
    staff_client.post(
        reverse("admin:statuspages_pageincident_post_update", args=[incident.pk]),
        {"message": "API back", "status": "monitoring", f"component_{api.pk}": "operational", f"component_{cards.pk}": "degraded_performance"},
    )
    update = incident.updates.order_by("-published_at", "-id").first()
    assert {(s.component.name, s.status) for s in update.component_statuses.all()} == {("API", "operational")}
    statuses = selectors.component_statuses([api.pk, cards.pk])
    assert (statuses[api.pk], statuses[cards.pk]) == ("operational", "degraded_performance")


def test_a_maintenance_is_scheduled_and_moved_on_from_the_admin(staff_client, page):
    api = page.test_components["API"]
    start = timezone.now() + timedelta(days=1)
    response = staff_client.post(reverse("admin:statuspages_maintenance_add"), {
        "status_page": page.pk, "name": "Upgrade", "message": "Planned", "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M:%S"), "ends_at_0": (start + timedelta(hours=1)).strftime("%Y-%m-%d"),
        "ends_at_1": (start + timedelta(hours=1)).strftime("%H:%M:%S"), "components": [api.pk], "automate": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    maintenance = Maintenance.objects.get()
    assert list(maintenance.components.all()) == [api] and maintenance.updates.count() == 1
    staff_client.post(reverse("admin:statuspages_maintenance_post_update", args=[maintenance.pk]), {"message": "Started early", "status": MaintenanceStatus.IN_PROGRESS})
    assert selectors.component_statuses([api.pk])[api.pk] == selectors.UNDER_MAINTENANCE


def test_a_component_status_set_by_hand(staff_client, page):
    api = page.test_components["API"]
    response = staff_client.post(reverse("admin:statuspages_component_change", args=[api.pk]), {
        "name": "API", "description": "", "link": "", "enabled": "on", "status": "degraded_performance",
    })
    assert response.status_code == 302
    assert selectors.component_statuses([api.pk])[api.pk] == "degraded_performance"
    listing = staff_client.get(reverse("admin:statuspages_component_changelist"))
    assert "degraded performance" in listing.content.decode()


def test_a_page_and_its_groups_are_saved_through_the_services(staff_client):
    response = staff_client.post(reverse("admin:statuspages_statuspage_add"), {
        "name": "Public", "slug": "public", "description": "", "is_public": "on", "is_default": "on",
        "brand_colour": "#1f6feb", "time_zone": "UTC", "default_language": "ja", "display_uptime": "chart_and_percentage",
        "groups-TOTAL_FORMS": "1", "groups-INITIAL_FORMS": "0", "groups-0-name": "Core", "groups-0-description": "", "groups-0-position": "0",
        "placements-TOTAL_FORMS": "0", "placements-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    page = StatusPage.objects.get()
    assert page.is_default and [g.name for g in page.groups.all()] == ["Core"] and page.groups.get().number > 0
    assert page.default_language == "ja"


def test_the_incident_page_links_to_publishing_on_a_status_page(staff_client):
    internal = declare("Something")
    change = staff_client.get(reverse("admin:incidents_incident_change", args=[internal.pk]))
    assert f"{reverse('admin:statuspages_pageincident_publish')}?incident={internal.pk}" in change.content.decode()


def test_the_publish_form_offers_the_templates_and_a_picked_one_writes_the_message(staff_client, page):
    url = reverse("admin:statuspages_pageincident_publish")
    assert 'name="template"' not in staff_client.get(url, {"status_page": page.pk}).content.decode()  # none yet
    template = services.save_incident_template(
        actor=None, name="Investigating", slug="investigating",
        template="We're investigating **{{ incident.name }}** ({{ incident.component.name }}: {{ incident.component_status }}).",
    )
    form = staff_client.get(url, {"status_page": page.pk}).content.decode()
    assert 'name="template"' in form and f'<option value="{template.pk}">Investigating</option>' in form
    api = page.test_components["API"]
    response = staff_client.post(url, {
        "status_page": page.pk, "name": "Slow API", "message": "", "template": template.pk,
        "status": "investigating", "severity": "", "visibility": 1, f"component_{api.pk}": "degraded_performance",
    })
    assert response.status_code == 302
    published = PageIncident.objects.get()
    assert published.updates.get().message == "We're investigating **Slow API** (API: Degraded Performance)."
    # A message written by hand wins; neither is refused.
    staff_client.post(url, {"status_page": page.pk, "name": "Other", "message": "Own words", "template": template.pk,
                            "status": "investigating", "severity": "", "visibility": 1})
    assert PageIncident.objects.get(name="Other").updates.get().message == "Own words"
    refused = staff_client.post(url, {"status_page": page.pk, "name": "Empty", "message": "", "status": "investigating",
                                      "severity": "", "visibility": 1})
    assert refused.status_code == 200 and not PageIncident.objects.filter(name="Empty").exists()


def test_the_page_settings_show_the_address_pattern_whole(staff_client, page):
    body = staff_client.get(reverse("admin:statuspages_statuspage_change", args=[page.pk])).content.decode()
    assert "/status/&lt;slug&gt;/" in body and "/status//" not in body
