"""The public site's subscriber forms: subscribing, and a subscriber's components."""

from django import forms
from django.db.models import Case, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from statuspages.models import Component, StatusPage

ALL, SOME = "all", "some"


def shown_components(page: StatusPage):
    """The components the page shows (what a subscriber may choose), in the page's order:
    groups and components outside any group by position (a group first at a tie), and
    within a group by position (as ``selectors.page_overview`` lays them out)."""
    return (
        Component.objects.filter(placements__status_page=page, placements__hidden=False, enabled=True)
        .exclude(placements__group__hidden=True)
        .order_by(
            Coalesce("placements__group__position", "placements__position"),
            Case(When(placements__group__isnull=True, then=Value(1)), default=Value(0)),
            "placements__position",
            "name",
        )
    )


class ComponentsForm(forms.Form):
    scope = forms.ChoiceField(
        choices=[(ALL, _("Every component")), (SOME, _("Only the components I choose"))],
        widget=forms.RadioSelect,
        initial=ALL,
        label=_("What to hear about"),
    )
    components = forms.ModelMultipleChoiceField(
        queryset=Component.objects.none(), widget=forms.CheckboxSelectMultiple, required=False, label=_("Components")
    )

    def __init__(self, *args, page: StatusPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["components"].queryset = shown_components(page)

    def clean(self):
        data = super().clean()
        if data.get("scope") == SOME and not data.get("components"):
            self.add_error("components", _("Choose at least one component, or every component."))
        return data

    def chosen(self):
        """None for every component, else the components chosen."""
        return None if self.cleaned_data["scope"] == ALL else list(self.cleaned_data["components"])


class SubscribeForm(ComponentsForm):
    field_order = ["email", "scope", "components"]

    # Text: the service normalises and checks the address (core.email_addresses), one
    # rule for the form and every API; the browser still offers its email keyboard.
    email = forms.CharField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"}),
    )
