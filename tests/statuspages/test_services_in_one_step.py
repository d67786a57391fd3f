"""The services a dialect's request that does several things at once calls: each does them
in one transaction (all or nothing) and holds the rules the dialects used to restate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from statuspages import selectors, services
from statuspages.models import ComponentImpact, PageComponent, UpdateComponentStatus, Visibility
from tests.factories import status_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    return status_page(components=["API", "Dashboard"], groups={"Payments": ["Cards"]})


def named(page, name):
    return page.test_components[name]


def status_of(component):
    return selectors.component_statuses([component.pk])[component.pk]


def publish(page, **statuses):
    return services.publish_incident(
        actor=None, status_page=page, name="Checkout is failing", message="Looking",
        component_statuses={named(page, n): s for n, s in statuses.items()},
    )


# --- components and groups --------------------------------------------------------------------


def test_creating_a_component_with_a_status_sets_it_by_hand(page):
    component = services.create_component(actor=None, name="Search", status_page=page, status="partial_outage")
    assert status_of(component) == "partial_outage"
    assert ComponentImpact.objects.get(component=component).page_incident is None


def test_updating_a_component_moves_it_and_sets_its_status_in_one_step(page):
    api = named(page, "API")
    payments = page.groups.get()
    services.place_component(actor=None, component=api, status_page=page, hidden=True, display_uptime=False)
    services.update_component(component=api, actor=None, name="Public API", status="full_outage", status_page=page, group=payments)
    placement = PageComponent.objects.get(component=api)
    assert (placement.group, placement.hidden, placement.display_uptime) == (payments, True, False)
    api.refresh_from_db()
    assert api.name == "Public API" and status_of(api) == "full_outage"


def test_a_refused_status_leaves_the_component_as_it_was(page):
    api = named(page, "API")
    with pytest.raises(DomainError):
        services.update_component(component=api, actor=None, name="Renamed", status="on_fire")
    api.refresh_from_db()
    assert api.name == "API"


def test_moving_a_component_keeps_what_is_not_given(page):
    cards = named(page, "Cards")
    before = PageComponent.objects.get(component=cards)
    services.move_component(actor=None, component=cards, status_page=page, position=7)
    after = PageComponent.objects.get(component=cards)
    assert (after.group_id, after.position) == (before.group_id, 7)
    services.move_component(actor=None, component=cards, status_page=page, group=None)
    assert PageComponent.objects.get(component=cards).group is None


def test_saving_a_group_moves_components_into_it(page):
    api = named(page, "API")
    group = services.save_group(actor=None, status_page=page, name="Core", components=[api])
    assert PageComponent.objects.get(component=api).group == group
    saved_at = group.updated_at
    services.save_group(group=group, actor=None)  # nothing given: nothing saved
    group.refresh_from_db()
    assert group.updated_at == saved_at


def test_saving_a_page_with_its_structure_is_one_step(page):
    api, cards = named(page, "API"), named(page, "Cards")
    layout = [services.GroupLayout("Everything", [cards, api]), services.GroupLayout("Again", [api])]
    with pytest.raises(DomainError):  # a page shows a component once
        services.save_status_page(page=page, actor=None, name="Renamed", groups=layout)
    page.refresh_from_db()
    assert page.name == "Acme status" and page.groups.get().name == "Payments"
    services.save_status_page(page=page, actor=None, name="Renamed", groups=layout[:1])
    assert [group.name for group in page.groups.all()] == ["Everything"]


# --- incidents --------------------------------------------------------------------------------


def test_revising_an_incident_edits_it_its_first_message_and_posts_its_new_status(page):
    incident = publish(page, API="full_outage")
    services.post_incident_update(actor=None, page_incident=incident, message="Found it", status="identified")
    services.revise_page_incident(
        actor=None, page_incident=incident, name="Checkout failed", visibility=Visibility.STAFF, stickied=True,
        first_message="Card payments failed", status="resolved", published_at=incident.published_at,
    )
    incident.refresh_from_db()
    assert (incident.name, incident.visibility, incident.stickied, incident.status) == ("Checkout failed", Visibility.STAFF, True, "resolved")
    assert [(u.message, u.status) for u in incident.updates.order_by("published_at", "id")] == [
        ("Card payments failed", "investigating"), ("Found it", "identified"), ("", "resolved"),
    ]
    assert status_of(named(page, "API")) == "operational"


def test_revising_with_the_same_status_posts_nothing(page):
    incident = publish(page)
    services.revise_page_incident(actor=None, page_incident=incident, status="investigating")
    assert incident.updates.count() == 1


def test_when_an_incident_was_published_cannot_change(page):
    incident = publish(page)
    with pytest.raises(DomainError) as refused:
        services.revise_page_incident(actor=None, page_incident=incident, name="Renamed", published_at=incident.published_at - timedelta(days=1))
    assert (refused.value.code, refused.value.field) == ("unchangeable", "published_at")
    incident.refresh_from_db()
    assert incident.name == "Checkout is failing"


def test_revising_the_components_moves_only_what_changes(page):
    api, cards, dashboard = named(page, "API"), named(page, "Cards"), named(page, "Dashboard")
    incident = publish(page, API="partial_outage", Cards="partial_outage")
    services.revise_page_incident(actor=None, page_incident=incident, components={api: "partial_outage", dashboard: "partial_outage"})
    moved = UpdateComponentStatus.objects.filter(update=incident.updates.order_by("-published_at", "-id").first())
    assert {(m.component_id, m.status) for m in moved} == {(dashboard.pk, "partial_outage"), (cards.pk, "operational")}
    assert (status_of(api), status_of(cards), status_of(dashboard)) == ("partial_outage", "operational", "partial_outage")
    services.revise_page_incident(actor=None, page_incident=incident, components={api: "partial_outage", dashboard: "partial_outage"})
    assert incident.updates.count() == 2  # nothing changed: no update


def test_a_revised_incident_names_only_components_its_page_shows(page):
    incident = publish(page, API="partial_outage")
    elsewhere = status_page(name="Other", slug="other", components=["Mail"]).test_components["Mail"]
    with pytest.raises(DomainError) as refused:
        services.revise_page_incident(actor=None, page_incident=incident, name="Renamed", components={elsewhere: "partial_outage"})
    assert refused.value.message == "Not on the incident's page (Acme status): Mail"
    incident.refresh_from_db()
    assert incident.name == "Checkout is failing"


def test_a_resolved_incidents_components_cannot_change(page):
    api, cards = named(page, "API"), named(page, "Cards")
    incident = publish(page, API="partial_outage")
    services.post_incident_update(actor=None, page_incident=incident, message="Fixed", status="resolved")
    with pytest.raises(DomainError) as refused:
        services.revise_page_incident(actor=None, page_incident=incident, components={cards: "partial_outage"})
    assert refused.value.code == "resolved_components"
    services.revise_page_incident(actor=None, page_incident=incident, severity="minor", components={api: "degraded_performance"})
    assert status_of(api) == "operational" and incident.updates.count() == 2


def test_a_resolving_update_hurts_no_component(page):
    api = named(page, "API")
    incident = services.publish_incident(
        actor=None, status_page=page, name="After the fact", message="It was down", status="resolved", component_statuses={api: "full_outage"}
    )
    assert status_of(api) == "operational"
    assert list(incident.updates.get().component_statuses.values_list("status", flat=True)) == ["operational"]


def test_a_correction_cannot_resolve_or_reopen(page):
    incident = publish(page, API="partial_outage")
    first = incident.updates.get()
    with pytest.raises(DomainError) as refused:
        services.edit_page_incident_update(actor=None, update=first, status="resolved")
    assert (refused.value.message, refused.value.field) == ("To resolve or reopen an incident, post a new update", "incident_status")
    services.edit_page_incident_update(actor=None, update=first, status="identified")
    incident.refresh_from_db()
    assert incident.status == "identified" and status_of(named(page, "API")) == "partial_outage"


def test_reopening_puts_the_components_named_back_at_the_status_given(page):
    api, cards = named(page, "API"), named(page, "Cards")
    incident = publish(page, API="partial_outage", Cards="partial_outage")
    services.post_incident_update(actor=None, page_incident=incident, message="Fixed", status="resolved", reopen_status="full_outage")
    assert status_of(api) == "operational"
    services.post_incident_update(actor=None, page_incident=incident, message="Still open", reopen_status="full_outage")
    assert status_of(api) == "operational"  # no status: not reopened
    services.post_incident_update(actor=None, page_incident=incident, message="Back", status="investigating", reopen_status="full_outage")
    assert (status_of(api), status_of(cards)) == ("full_outage", "full_outage")


# --- maintenance ------------------------------------------------------------------------------


@pytest.fixture
def maintenance(page):
    start = timezone.now() + timedelta(hours=1)
    return services.schedule_maintenance(
        actor=None, status_page=page, name="Upgrade", message="We will upgrade", starts_at=start, ends_at=start + timedelta(hours=1),
    )


def test_editing_a_maintenance_corrects_its_first_message_in_the_same_step(maintenance):
    services.edit_maintenance(actor=None, maintenance=maintenance, name="Database upgrade", first_message="We will upgrade the database")
    maintenance.refresh_from_db()
    assert maintenance.name == "Database upgrade" and maintenance.updates.get().message == "We will upgrade the database"
    with pytest.raises(DomainError):
        services.edit_maintenance(
            actor=None, maintenance=maintenance, ends_at=maintenance.starts_at - timedelta(hours=1), first_message="Never kept"
        )
    assert maintenance.updates.get().message == "We will upgrade the database"


@pytest.mark.parametrize("by_hand, status, automated", [(False, "maintenance_in_progress", True), (True, None, True), (True, "maintenance_in_progress", False)])
def test_a_status_set_by_hand_turns_automation_off(maintenance, by_hand, status, automated):
    services.post_maintenance_update(actor=None, maintenance=maintenance, message="Starting", status=status, by_hand=by_hand)
    maintenance.refresh_from_db()
    assert maintenance.automate is automated
