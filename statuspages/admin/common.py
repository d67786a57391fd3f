"""What the status page screens share: refusals from the services shown as messages, and
the component status choices of an update."""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect

from incidents.exceptions import DomainError
from statuspages.models import ComponentStatus

NO_CHANGE = ""
COMPONENT_STATUS_CHOICES = [(NO_CHANGE, "(no change)"), *ComponentStatus.choices]


class DomainErrorsAsMessages:
    """A service may refuse a change the form could not foresee: the refusal is shown as an
    error message instead of a server error (the transaction is rolled back)."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


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
