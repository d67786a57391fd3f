"""Status pages, the organisation's components, the groups a page arranges them in, and
where each page shows them.

Rules enforced here: one default page; a component's status is set by incidents (or by
hand, ``set_component_status``), never stored on the component; deleting a component
or group keeps the history of incidents that named it only as long as the component
exists (its impacts go with it).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from django.db import transaction
from django.utils import timezone

from core.exceptions import DomainError
from core.services import Actor
from statuspages.models import Component, ComponentGroup, ComponentStatus, PageComponent, StatusPage

from .common import apply_component_statuses, changed, number_for, save_valid


class _Keep(enum.Enum):
    KEEP = "keep"


#: a placement's group left as the page has it (None is the page's top level)
KEEP = _Keep.KEEP
Keep = Literal[_Keep.KEEP]

# --- pages ------------------------------------------------------------------------------------


@transaction.atomic
def save_status_page(
    *, page: StatusPage | None = None, actor: Actor | None, groups: Sequence[GroupLayout] | None = None, **fields
) -> StatusPage:
    """Create a page (``page=None``) or change one; a page made the default takes over
    from the one before. Given ``groups``, its whole structure is set too, in the same
    step (``arrange_status_page``: as Checkly's API sends a page, cards included)."""
    page = page or StatusPage()
    # Whether a page is public decides whether its incidents move components for the public.
    turned = page.pk is not None and "is_public" in fields and fields["is_public"] != page.is_public
    if fields.get("is_default"):
        StatusPage.objects.filter(is_default=True).exclude(pk=page.pk).update(is_default=False)
    page = save_valid(page, **fields)
    if groups is not None:
        arrange_status_page(actor=actor, status_page=page, groups=groups)
    changed(None if turned else page)
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
    status: str | None = None,
) -> Component:
    """Create a component and, given a page (or a group, whose page it is), show it there;
    given a ``status``, it is set by hand at once (``set_component_status``)."""
    component = save_valid(Component(number=number_for(Component)), name=name.strip(), description=description, link=link, enabled=enabled)
    if group is not None or status_page is not None:
        place_component(actor=actor, component=component, status_page=status_page or group.status_page, group=group, position=position)
    if status is not None:
        set_component_status(actor=actor, component=component, status=status)
    changed(None)
    return component


@transaction.atomic
def update_component(
    *,
    component: Component,
    actor: Actor | None,
    status: str | None = None,
    status_page: StatusPage | None = None,
    group: ComponentGroup | None | Keep = KEEP,
    position: int | None = None,
    **fields,
) -> Component:
    """Change a component in one step (as Cachet's update sends it): its own ``fields``
    (saved only when some are given); given ``status_page`` and a ``group`` or a
    ``position``, where that page shows it (``move_component``); given ``status``, its
    status set by hand (``set_component_status``)."""
    if fields:
        component = save_valid(component, **fields)
    if status_page is not None and (group is not KEEP or position is not None):
        move_component(actor=actor, component=component, status_page=status_page, group=group, position=position)
    if status is not None:
        set_component_status(actor=actor, component=component, status=status)
    if fields or status is not None:
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


@transaction.atomic
def move_component(
    *,
    actor: Actor | None,
    component: Component,
    status_page: StatusPage,
    group: ComponentGroup | None | Keep = KEEP,
    position: int | None = None,
) -> PageComponent:
    """Show a component on a page in ``group`` (None: at the top level) and at
    ``position``, each left as the page has it when not given (a component the page does
    not show yet goes to its top level, last); whether the page hides it and shows its
    uptime stays as it was."""
    placement = PageComponent.objects.filter(status_page=status_page, component=component).select_related("group").first()
    return place_component(
        actor=actor,
        component=component,
        status_page=status_page,
        group=(placement.group if placement else None) if group is KEEP else group,
        position=position,
        hidden=placement.hidden if placement else False,
        display_uptime=placement.display_uptime if placement else True,
    )


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
def save_group(
    *, group: ComponentGroup | None = None, actor: Actor | None, components: Sequence[Component] = (), **fields
) -> ComponentGroup:
    """Create a group on a page (``group=None``, with ``status_page``) or change the
    ``fields`` given (None leaves one as it is), and move ``components`` into it, in
    the same step (``move_component``: each keeps how the page shows it otherwise)."""
    fields = {k: v for k, v in fields.items() if v is not None}
    if group is None:
        group = ComponentGroup(number=number_for(ComponentGroup))
        if fields.get("position") is None:
            fields["position"] = _next_position(fields["status_page"], None)
    elif not fields and not components:
        return group
    if fields:
        group = save_valid(group, **fields)
    for component in components:
        move_component(actor=actor, component=component, status_page=group.status_page, group=group)
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
