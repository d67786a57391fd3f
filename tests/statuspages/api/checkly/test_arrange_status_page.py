"""``services.pages.arrange_status_page``, the dialect-neutral service Checkly's page
writes stand on (its tests live here, with its first caller)."""

import pytest

from core.exceptions import DomainError
from statuspages import services
from statuspages.models import Component, ComponentGroup, PageComponent
from statuspages.services.pages import GroupLayout, arrange_status_page
from tests.factories import status_page

pytestmark = pytest.mark.django_db


def structure(page):
    placements = PageComponent.objects.filter(status_page=page).select_related("group", "component").order_by("group__position", "position")
    groups = {group.name: [] for group in ComponentGroup.objects.filter(status_page=page).order_by("position")}
    for placement in placements:
        groups.setdefault(placement.group.name if placement.group else None, []).append(placement.component.name)
    return groups


@pytest.fixture
def page():
    return status_page(components=["Status"], groups={"Core": ["API", "Dashboard"], "Payments": ["Cards"]})


def test_a_page_is_rearranged_in_one_step(page):
    c = page.test_components
    core = ComponentGroup.objects.get(name="Core")
    arranged = arrange_status_page(
        actor=None,
        status_page=page,
        groups=[GroupLayout("Money", [c["Cards"]]), GroupLayout("Core services", [c["Dashboard"], c["API"]], group=core)],
    )
    assert structure(page) == {"Money": ["Cards"], "Core services": ["Dashboard", "API"]}
    assert arranged[1].pk == core.pk
    # Payments is gone; Status, shown outside any group, left the page.
    assert not ComponentGroup.objects.filter(name="Payments").exists()
    assert Component.objects.filter(pk=c["Status"].pk).exists()


def test_a_kept_component_keeps_being_hidden(page):
    api = page.test_components["API"]
    services.place_component(actor=None, component=api, status_page=page, group=ComponentGroup.objects.get(name="Core"), hidden=True)
    arrange_status_page(actor=None, status_page=page, groups=[GroupLayout("All", [api])])
    assert PageComponent.objects.get(status_page=page, component=api).hidden


def test_a_component_listed_twice_is_refused_and_nothing_changes(page):
    api = page.test_components["API"]
    with pytest.raises(DomainError) as refused:
        arrange_status_page(actor=None, status_page=page, groups=[GroupLayout("A", [api]), GroupLayout("B", [api])])
    assert refused.value.field == "groups"
    assert structure(page) == {"Core": ["API", "Dashboard"], "Payments": ["Cards"], None: ["Status"]}


def test_another_pages_group_is_refused(page):
    other = status_page("Other", "other", groups={"Elsewhere": []})
    with pytest.raises(DomainError):
        arrange_status_page(actor=None, status_page=page, groups=[GroupLayout("X", group=ComponentGroup.objects.get(name="Elsewhere"))])
    assert ComponentGroup.objects.filter(status_page=other).count() == 1


def test_a_blank_group_name_is_refused_and_the_whole_change_rolls_back(page):
    with pytest.raises(DomainError):
        arrange_status_page(actor=None, status_page=page, groups=[GroupLayout("Fine", [page.test_components["API"]]), GroupLayout("")])
    assert structure(page) == {"Core": ["API", "Dashboard"], "Payments": ["Cards"], None: ["Status"]}
