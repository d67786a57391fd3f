"""What the status page screens share: refusals from the services shown as messages (the
incidents admin's mixin), and the component status choices of an update."""

from django import forms

from incidents.admin.common import DomainErrorsAsMessages  # noqa: F401 (the status page screens use it)
from statuspages.models import ComponentStatus

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
