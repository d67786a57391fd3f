"""What the status page screens share: refusals from the services shown as messages (the
incidents admin's mixin), and the component status choices of an update."""

from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.utils.module_loading import import_string

from core.admin.common import DomainErrorsAsMessages  # noqa: F401 (the status page screens use it)
from statuspages.models import Component, ComponentStatus, StatusPage

NO_CHANGE = ""
COMPONENT_STATUS_CHOICES = [(NO_CHANGE, "(no change)"), *ComponentStatus.choices]


def component_status_fields(components, current=None, *, prefix="component_") -> dict[str, forms.ChoiceField]:
    """One select per component, named ``<prefix><id>``: at the status ``current`` (the
    incident's latest word on each component, by id) gives it, else "no change"."""
    current = current or {}
    return {
        f"{prefix}{component.pk}": forms.ChoiceField(
            label=component.name, choices=COMPONENT_STATUS_CHOICES, required=False, initial=current.get(component.pk, NO_CHANGE)
        )
        for component in components
    }


def moved_components(components, data, current=None, *, prefix="component_") -> dict:
    """{Component: status} of the selects an update moves: set, and not left at the
    status ``current`` gives it (a form that shows the incident's statuses posts them all,
    and an update names only what it changes)."""
    current = current or {}
    moved = {}
    for component in components:
        value = data.get(f"{prefix}{component.pk}") or NO_CHANGE
        if value != NO_CHANGE and value != current.get(component.pk):
            moved[component] = value
    return moved


class ComponentStatusesMixin(forms.Form):
    """One select per component the page shows, named ``component_<id>``, at the status
    ``current`` gives it ("no change" for the others); ``component_statuses()`` gives
    {Component: status} for those moved from it."""

    def add_component_fields(self, placements, current=None):
        self.placed = [placement.component for placement in placements]
        self.current = dict(current or {})
        self.fields.update(component_status_fields(self.placed, self.current))

    def component_fields(self):
        return [self[f"component_{component.pk}"] for component in self.placed]

    def component_statuses(self) -> dict:
        return moved_components(self.placed, self.cleaned_data, self.current)


def subscriber_reach(status_page: StatusPage, components: Iterable[Component] = ()) -> int | None:
    """How many subscribers an update of ``status_page`` naming ``components`` (none: the
    whole page) would email, by the counter ``settings.STATUSPAGES_REACH_COUNTER`` names
    (the notifications app's; statuspages does not import the app above it). None
    without one."""
    path = getattr(settings, "STATUSPAGES_REACH_COUNTER", "")
    if not path:
        return None
    return import_string(path)(status_page=status_page, components=list(components))


def _subscribers(count: int) -> str:
    return f"{count:,} confirmed subscriber{'' if count == 1 else 's'}"


def notify_help(status_page: StatusPage, components: Iterable[Component] = ()) -> str:
    """The "notify subscribers" checkbox's help: who ticking it emails, counted now."""
    named = list(components)
    count = subscriber_reach(status_page, named)
    if count is None:
        return "Email the page's subscribers about this update."
    if not named:
        return f"Emails {_subscribers(count)} of {status_page.name} (an update naming no component goes to every subscriber)."
    names = ", ".join(component.name for component in named)
    return f"Emails {_subscribers(count)} of {status_page.name}: those following every component or one of {names}."
