"""The demo page (``manage.py loaddemo``) reads like a real company's: each incident hurts
only the components it is about, stories do not repeat back to back, timelines differ in
length, and maintenance takes down what it works on."""

from io import StringIO

import pytest
from django.core.management import call_command

from statuspages import demo, selectors
from statuspages.models import Maintenance, MaintenanceStatus, PageIncident, StatusPage, UpdateComponentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def stories():
    return {story.name: story for story in demo.STORIES}


def test_every_past_incident_hurts_only_the_components_it_is_about(stories):
    call_command("loaddemo", stdout=StringIO())
    page = StatusPage.objects.get(slug=demo.SLUG)
    past = list(PageIncident.objects.filter(status_page=page, status="resolved").order_by("published_at"))
    assert len(past) >= 30
    for incident in past:
        story = stories[incident.name]
        said = set(UpdateComponentStatus.objects.filter(update__page_incident=incident).values_list("component__name", flat=True))
        assert said == set(story.hurt), incident.name  # e.g. webhooks delayed never touches Documentation
        first = incident.updates.order_by("published_at", "id").first()
        assert {s.component.name: s.status for s in first.component_statuses.select_related("component")} == story.hurt
    # Reads like a history: most stories told, none twice in a row, timelines of different lengths.
    names = [incident.name for incident in past]
    assert len(set(names)) >= 10 and all(a != b for a, b in zip(names, names[1:]))
    assert len({incident.updates.count() for incident in past}) >= 2
    # The incident under way hurts the dashboard alone.
    under_way = PageIncident.objects.filter(status_page=page).exclude(status="resolved").get()
    assert set(selectors.components_named_by(under_way)) == {
        page.placements.get(component__name="Dashboard").component_id
    }


def test_maintenance_takes_down_what_it_works_on():
    call_command("loaddemo", stdout=StringIO())
    planned = {name: set(names) for name, _, names in demo.MAINTENANCE}
    done = Maintenance.objects.filter(status_page__slug=demo.SLUG, status=MaintenanceStatus.COMPLETE)
    assert done.count() >= 8 and len({m.name for m in done}) >= 3
    for maintenance in done:
        assert {c.name for c in maintenance.components.all()} == planned[maintenance.name]
