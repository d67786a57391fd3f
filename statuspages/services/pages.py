"""Status pages, the organisation's components, the groups a page arranges them in, and
where each page shows them.

Rules enforced here: one default page; a component's status is set by incidents (or by
hand, ``set_component_status``), never stored on the component; deleting a component
or group keeps the history of incidents that named it only as long as the component
exists (its impacts go with it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.exceptions import DomainError
from core.services import Actor
from statuspages.models import Component, ComponentGroup, ComponentStatus, PageComponent, StatusPage

from .common import apply_component_statuses, changed, number_for, save_valid

# --- pages ------------------------------------------------------------------------------------


@transaction.atomic
def save_status_page(*, page: StatusPage | None = None, actor: Actor | None, **fields) -> StatusPage:
    """Create a page (``page=None``) or change one; a page made the default takes over
    from the one before."""
    page = page or StatusPage()
    if fields.get("is_default"):
        StatusPage.objects.filter(is_default=True).exclude(pk=page.pk).update(is_default=False)
    page = save_valid(page, **fields)
    changed(page)
    return page


@transaction.atomic
def delete_status_page(*, page: StatusPage, actor: Actor | None) -> None:
    page.delete()
    changed(page)


# --- components -------------------------------------------------------------------------------


@transaction.atomic
def create_component(
    *,
    actor: Actor | None,
    name: str,
    description: str = "",
    link: str = "",
    enabled: bool = True,
    status_page: StatusPage | None = None,
    group: ComponentGroup | None = None,
    position: int | None = None,
) -> Component:
    """Create a component and, given a page (or a group, whose page it is), show it there."""
    component = save_valid(Component(number=number_for(Component)), name=name.strip(), description=description, link=link, enabled=enabled)
    if group is not None or status_page is not None:
        place_component(actor=actor, component=component, status_page=status_page or group.status_page, group=group, position=position)
    changed(None)
    return component


@transaction.atomic
def update_component(*, component: Component, actor: Actor | None, **fields) -> Component:
    component = save_valid(component, **fields)
    changed(None)
    return component


@transaction.atomic
def delete_component(*, component: Component, actor: Actor | None) -> None:
    component.delete()
    changed(None)


@transaction.atomic
def place_component(
    *,
    actor: Actor | None,
    component: Component,
    status_page: StatusPage,
    group: ComponentGroup | None = None,
    position: int | None = None,
    hidden: bool = False,
    display_uptime: bool = True,
) -> PageComponent:
    """Show a component on a page (in a group of that page, or at the top level), or move
    it there if the page shows it already."""
    placement = PageComponent.objects.filter(status_page=status_page, component=component).first() or PageComponent(
        status_page=status_page, component=component
    )
    if position is None:
        position = placement.position if placement.pk and placement.group_id == (group and group.pk) else _next_position(status_page, group)
    placement = save_valid(placement, group=group, position=position, hidden=hidden, display_uptime=display_uptime)
    changed(status_page)
    return placement


def _next_position(status_page: StatusPage, group: ComponentGroup | None) -> int:
    """After the last item of the group or, at the page's top level, after the last group
    or component there (both share one order)."""
    taken = list(PageComponent.objects.filter(status_page=status_page, group=group).values_list("position", flat=True))
    if group is None:
        taken += ComponentGroup.objects.filter(status_page=status_page).values_list("position", flat=True)
    return max(taken, default=-1) + 1


@transaction.atomic
def remove_component(*, actor: Actor | None, component: Component, status_page: StatusPage) -> None:
    PageComponent.objects.filter(status_page=status_page, component=component).delete()
    changed(status_page)


@transaction.atomic
def set_component_status(*, actor: Actor | None, component: Component, status: str) -> None:
    """Set a component's status by hand, outside any incident (as Cachet's API and the
    admin can): an impact of no incident, until the component is set operational again.
    Impacts that incidents hold stay as they are."""
    if status not in ComponentStatus.values:
        raise DomainError("invalid_value", f"Unknown component status {status}", field="status")
    apply_component_statuses(None, {component: status}, timezone.now())
    changed(None)


# --- groups -----------------------------------------------------------------------------------


@transaction.atomic
def save_group(*, group: ComponentGroup | None = None, actor: Actor | None, **fields) -> ComponentGroup:
    """Create a group on a page (``group=None``, with ``status_page``) or change one."""
    if group is None:
        group = ComponentGroup(number=number_for(ComponentGroup))
        if fields.get("position") is None:
            fields["position"] = _next_position(fields["status_page"], None)
    group = save_valid(group, **{k: v for k, v in fields.items() if v is not None})
    changed(group.status_page)
    return group


@transaction.atomic
def delete_group(*, group: ComponentGroup, actor: Actor | None) -> None:
    """Delete a group; its components stay on the page, at the top level."""
    page = group.status_page
    group.delete()
    changed(page)


# --- a page's whole structure -----------------------------------------------------------------


@dataclass(frozen=True)
class GroupLayout:
    """One group of a page as ``arrange_status_page`` sets it: an existing group of the page
    (renamed, moved) or a new one (``group=None``), and the components it shows, in order."""

    name: str
    components: Sequence[Component] = ()
    group: ComponentGroup | None = None


@transaction.atomic
def arrange_status_page(*, actor: Actor | None, status_page: StatusPage, groups: Sequence[GroupLayout]) -> list[ComponentGroup]:
    """Replace a page's structure in one step (as Checkly's API sends it whole): its groups
    in this order, each showing these components in this order. The page's other groups
    are deleted and its other components leave it (they stay the organisation's); a
    component kept on the page keeps whether it is hidden and shows its uptime. A page
    shows a component once."""
    shown = set()
    for layout in groups:
        if layout.group is not None and layout.group.status_page_id != status_page.pk:
            raise DomainError("invalid_value", f"The group {layout.group.name} belongs to another page", field="groups")
        for component in layout.components:
            if component.pk in shown:
                raise DomainError("invalid_value", f"{component.name} is listed twice: a page shows a component once", field="groups")
            shown.add(component.pk)
    kept = [layout.group.pk for layout in groups if layout.group is not None]
    ComponentGroup.objects.filter(status_page=status_page).exclude(pk__in=kept).delete()
    PageComponent.objects.filter(status_page=status_page).exclude(component_id__in=shown).delete()
    placements = {placement.component_id: placement for placement in PageComponent.objects.filter(status_page=status_page)}
    arranged = []
    for position, layout in enumerate(groups):
        group = save_group(group=layout.group, actor=actor, status_page=status_page, name=layout.name, position=position)
        for index, component in enumerate(layout.components):
            placement = placements.get(component.pk)
            place_component(
                actor=actor, component=component, status_page=status_page, group=group, position=index,
                hidden=placement.hidden if placement else False,
                display_uptime=placement.display_uptime if placement else True,
            )
        arranged.append(group)
    changed(status_page)
    return arranged
