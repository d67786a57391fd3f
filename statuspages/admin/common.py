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


class ComponentStatusesMixin(forms.Form):
    """One select per component the page shows ("no change" by default), named
    ``component_<id>``; ``component_statuses()`` gives {Component: status} for those set."""

    def add_component_fields(self, placements):
        self.placed = [placement.component for placement in placements]
        for component in self.placed:
            self.fields[f"component_{component.pk}"] = forms.ChoiceField(
                label=component.name, choices=COMPONENT_STATUS_CHOICES, required=False
            )

    def component_fields(self):
        return [self[f"component_{component.pk}"] for component in self.placed]

    def component_statuses(self) -> dict:
        return {
            component: self.cleaned_data[f"component_{component.pk}"]
            for component in self.placed
            if self.cleaned_data.get(f"component_{component.pk}")
        }


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
