"""The status pages' services: publishing incidents and maintenance moves components,
and a component's status always follows from what is open."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from statuspages import selectors, services
from statuspages.models import ComponentImpact, IncidentStatus, MaintenanceStatus, PageIncident
from tests.factories import api_key, status_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    return status_page(components=["API", "Dashboard"], groups={"Payments": ["Cards", "Invoices"]})


def statuses(page):
    return selectors.component_statuses(c.pk for c in page.test_components.values())


def named(page, name):
    return page.test_components[name]


def test_publishing_an_incident_moves_its_components_at_once(page):
    api = named(page, "API")
    services.publish_incident(
        actor=None, status_page=page, name="Elevated errors", message="Looking into it",
        component_statuses={api: "partial_outage"},
    )
    assert statuses(page)[api.pk] == "partial_outage"
    assert selectors.page_overview(page).banner.level == "outage"


def test_an_update_moves_components_and_resolving_ends_every_impact(page):
    api, cards = named(page, "API"), named(page, "Cards")
    incident = services.publish_incident(
        actor=None, status_page=page, name="Checkout down", message="Investigating",
        component_statuses={api: "degraded_performance", cards: "full_outage"},
    )
    services.post_incident_update(actor=None, page_incident=incident, message="Found it", status="identified", component_statuses={cards: "partial_outage"})
    assert statuses(page)[cards.pk] == "partial_outage" and statuses(page)[api.pk] == "degraded_performance"
    update = services.post_incident_update(actor=None, page_incident=incident, message="Fixed", status="resolved")
    assert set(statuses(page).values()) == {"operational"}
    assert {s.component_id: s.status for s in update.component_statuses.all()} == {api.pk: "operational", cards.pk: "operational"}
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RESOLVED and incident.resolved_at == update.published_at
    assert not ComponentImpact.objects.filter(end_at__isnull=True).exists()
    # Cards: full outage, then partial, each ended when the next began
    impacts = list(ComponentImpact.objects.filter(component=cards).order_by("start_at"))
    assert [i.level for i in impacts] == ["full_outage", "partial_outage"] and impacts[0].end_at == impacts[1].start_at


def test_a_component_shows_the_worst_of_the_incidents_that_hold_it(page):
    api = named(page, "API")
    first = services.publish_incident(actor=None, status_page=page, name="One", message="", component_statuses={api: "full_outage"})
    services.publish_incident(actor=None, status_page=page, name="Two", message="", component_statuses={api: "degraded_performance"})
    assert statuses(page)[api.pk] == "full_outage"
    services.post_incident_update(actor=None, page_incident=first, message="Over", status="resolved")
    assert statuses(page)[api.pk] == "degraded_performance"


def test_a_status_set_by_hand_holds_until_set_back(page):
    api = named(page, "API")
    services.set_component_status(actor=None, component=api, status="partial_outage")
    assert statuses(page)[api.pk] == "partial_outage"
    services.set_component_status(actor=None, component=api, status="partial_outage")  # no change
    assert ComponentImpact.objects.filter(component=api).count() == 1
    services.set_component_status(actor=None, component=api, status="operational")
    assert statuses(page)[api.pk] == "operational"


def test_an_incident_names_only_components_its_page_shows(page):
    elsewhere = status_page(name="Other", slug="other", components=["Search"])
    with pytest.raises(DomainError) as refused:
        services.publish_incident(
            actor=None, status_page=page, name="Wrong page", message="",
            component_statuses={named(elsewhere, "Search"): "full_outage"},
        )
    assert refused.value.field == "component_statuses" and not PageIncident.objects.exists()


@pytest.mark.parametrize("bad", [{"status": "on_fire"}, {"component_statuses": "melted"}, {"name": " "}])
def test_bad_input_is_refused_with_the_field_named(page, bad):
    fields = {"name": "Something", "status": "investigating", "component_statuses": {}}
    if "component_statuses" in bad:
        fields["component_statuses"] = {named(page, "API"): bad["component_statuses"]}
    else:
        fields.update(bad)
    with pytest.raises(DomainError):
        services.publish_incident(actor=None, status_page=page, message="", **fields)
    assert not PageIncident.objects.exists()


def test_a_repeated_publication_with_one_idempotency_key_answers_with_the_first(page):
    key, _ = api_key(roles=["status_page_publisher"])
    first = services.publish_incident(actor=key, status_page=page, name="Once", message="", idempotency_key="k1")
    again = services.publish_incident(actor=key, status_page=page, name="Twice", message="", idempotency_key="k1")
    assert again.pk == first.pk and PageIncident.objects.count() == 1


def test_a_retrospective_incident_is_back_dated(page):
    api = named(page, "API")
    began = timezone.now() - timedelta(days=3)
    incident = services.publish_retrospective_incident(
        actor=None, status_page=page, name="Last week's outage",
        updates=[
            services.PastUpdate("resolved", "It was fixed", began + timedelta(hours=2)),
            services.PastUpdate("investigating", "It broke", began, {api: "full_outage"}),
        ],
    )
    assert incident.published_at == began and incident.status == "resolved"
    (impact,) = ComponentImpact.objects.filter(component=api)
    assert (impact.start_at, impact.end_at) == (began, began + timedelta(hours=2))
    assert statuses(page)[api.pk] == "operational"


def test_maintenance_starts_and_completes_by_itself(page):
    api = named(page, "API")
    now = timezone.now()
    maintenance = services.schedule_maintenance(
        actor=None, status_page=page, name="Database upgrade", message="Planned",
        starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=2), components=[api],
    )
    assert services.advance_due_maintenance(now=now) == 0
    assert services.advance_due_maintenance(now=now + timedelta(hours=1, minutes=1)) == 1
    maintenance.refresh_from_db()
    assert maintenance.status == MaintenanceStatus.IN_PROGRESS and maintenance.started_at == maintenance.starts_at
    assert statuses(page)[api.pk] == selectors.UNDER_MAINTENANCE
    assert selectors.page_overview(page).banner.level == "maintenance"
    assert services.advance_due_maintenance(now=now + timedelta(hours=3)) == 1
    maintenance.refresh_from_db()
    assert maintenance.status == MaintenanceStatus.COMPLETE and maintenance.completed_at == maintenance.ends_at
    assert statuses(page)[api.pk] == "operational"
    assert [u.notify_subscribers for u in maintenance.updates.order_by("published_at")] == [False, True, True]


def test_maintenance_never_goes_back_and_its_window_ends_after_it_starts(page):
    now = timezone.now()
    with pytest.raises(DomainError):
        services.schedule_maintenance(actor=None, status_page=page, name="Backwards", message="", starts_at=now, ends_at=now)
    maintenance = services.schedule_maintenance(
        actor=None, status_page=page, name="Upgrade", message="", starts_at=now, ends_at=now + timedelta(hours=1),
        status=MaintenanceStatus.IN_PROGRESS,
    )
    with pytest.raises(DomainError) as refused:
        services.post_maintenance_update(actor=None, maintenance=maintenance, message="Oops", status=MaintenanceStatus.SCHEDULED)
    assert refused.value.code == "invalid_transition"


def test_availability_counts_a_full_outage_whole_and_a_partial_one_half(page):
    api = named(page, "API")
    today = timezone.now().date()
    midnight = timezone.make_aware(timezone.datetime.combine(today - timedelta(days=1), timezone.datetime.min.time()))
    services.publish_retrospective_incident(
        actor=None, status_page=page, name="Yesterday",
        updates=[
            services.PastUpdate("investigating", "Down", midnight + timedelta(hours=1), {api: "full_outage"}),
            services.PastUpdate("monitoring", "Partly back", midnight + timedelta(hours=3), {api: "partial_outage"}),
            services.PastUpdate("resolved", "Back", midnight + timedelta(hours=7)),
        ],
    )
    (found,) = selectors.availability([api.pk], days=2, today=today).values()
    yesterday, today_ = found.days
    assert yesterday.seconds == {"full_outage": 2 * 3600, "partial_outage": 4 * 3600}
    assert yesterday.uptime == pytest.approx(1 - (2 + 2) / 24) and yesterday.worst == "full_outage"
    assert today_.uptime == 1.0 and found.percent == pytest.approx(100 * (1 + 1 - 4 / 24) / 2, abs=1e-3)


def test_overlapping_impacts_count_the_worst_once(page):
    api = named(page, "API")
    start = timezone.now() - timedelta(hours=5)
    services.publish_retrospective_incident(
        actor=None, status_page=page, name="A",
        updates=[services.PastUpdate("investigating", "", start, {api: "partial_outage"}), services.PastUpdate("resolved", "", start + timedelta(hours=2))],
    )
    services.publish_retrospective_incident(
        actor=None, status_page=page, name="B",
        updates=[services.PastUpdate("investigating", "", start + timedelta(hours=1), {api: "full_outage"}), services.PastUpdate("resolved", "", start + timedelta(hours=3))],
    )
    found = selectors.availability([api.pk], days=2)[api.pk]
    seconds = {level: sum(day.seconds.get(level, 0) for day in found.days) for level in ("partial_outage", "full_outage")}
    assert seconds == {"partial_outage": 3600, "full_outage": 2 * 3600}


def test_the_front_page_costs_the_same_queries_whatever_its_history(page, django_assert_num_queries):
    api = named(page, "API")
    for n in range(30):
        incident = services.publish_incident(actor=None, status_page=page, name=f"Incident {n}", message="", component_statuses={api: "degraded_performance"})
        if n % 2:
            services.post_incident_update(actor=None, page_incident=incident, message="Over", status="resolved")
    services.schedule_maintenance(
        actor=None, status_page=page, name="Later", message="", starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=1), components=[api],
    )
    # placements (with components and groups), maintenance to come and what it affects,
    # open impacts, the availability window's impacts, incidents under way and their updates
    with django_assert_num_queries(7):
        overview = selectors.page_overview(page)
    assert len(overview.incidents) == 15 and len(overview.maintenances) == 1
    assert [type(item).__name__ for item in overview.items] == ["ComponentView", "ComponentView", "GroupView"]


def test_the_demo_status_page_has_two_years_of_history_and_something_to_come():
    from io import StringIO

    from django.core.management import call_command

    from statuspages.models import Maintenance, StatusPage

    call_command("loaddemo", stdout=StringIO())
    page = StatusPage.objects.get(slug="acme")
    oldest = page.incidents.order_by("published_at").first()
    assert (timezone.now() - oldest.published_at).days > 600 and page.incidents.count() > 20
    assert Maintenance.objects.filter(status_page=page, status=MaintenanceStatus.SCHEDULED).count() == 1
    overview = selectors.page_overview(page)
    assert overview.incidents and overview.incidents[0].incident is not None  # published from an internal incident
    assert overview.incidents[0].name != overview.incidents[0].incident.name  # in words for the public
    call_command("loaddemo", stdout=StringIO())
    assert StatusPage.objects.count() == 1
