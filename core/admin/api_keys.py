"""API key screens: issuing, editing, rotating and deleting keys; a new token is shown once."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from core import services
from core.admin.common import DomainErrorsAsMessages
from core.models import ApiKey, ApiRole

# The roles that gate something in this tracker, by what they open; the API's views name
# no other (tests/incidents/admin/test_api_keys.py checks). The rest of incident.io's role
# names are accepted and kept so keys round-trip, and folded away on the form.
ROLE_GROUPS = [
    (
        "Incidents",
        [ApiRole.VIEWER, ApiRole.INCIDENT_CREATOR, ApiRole.INCIDENT_EDITOR, ApiRole.INCIDENT_MEMBERSHIPS_EDITOR, ApiRole.GLOBAL_ACCESS],
    ),
    ("Configuration", [ApiRole.MANAGE_SETTINGS]),
    ("API keys", [ApiRole.API_KEYS_MANAGE]),
    ("Status pages", [ApiRole.STATUS_PAGE_VIEWER, ApiRole.STATUS_PAGE_PUBLISHER]),
]
GATING_ROLES = [role for _, roles in ROLE_GROUPS for role in roles]
OTHER_ROLES = "Other incident.io roles (accepted and kept, they open nothing here)"


def role_choices():
    groups = [(name, [(role.value, role.label) for role in roles]) for name, roles in ROLE_GROUPS]
    others = [(role.value, role.label) for role in ApiRole if role not in GATING_ROLES]
    return [*groups, (OTHER_ROLES, others)]


class GroupedRolesWidget(forms.CheckboxSelectMultiple):
    """Checkboxes under a heading per group, each with incident.io's role name; the roles
    that open nothing here in a closed <details> (open when the key holds one)."""

    template_name = "admin/core/apikey/roles_widget.html"

    class Media:
        css = {"all": ["incidents/admin/api_keys.css"]}

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["folded_group"] = OTHER_ROLES
        context["widget"]["folded_open"] = any(
            option["selected"] for group, options, _ in context["widget"]["optgroups"] if group == OTHER_ROLES for option in options
        )
        return context


class ApiKeyForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(choices=role_choices, widget=GroupedRolesWidget)

    class Meta:
        model = ApiKey
        fields = ["name", "roles", "comments"]


@admin.register(ApiKey)
class ApiKeyAdmin(DomainErrorsAsMessages, admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ["name", "role_list", "token_hint_display", "created_at", "last_used_at", "token_last_issued_at"]
    search_fields = ["name"]
    readonly_fields = [
        "token_hint_display", "created_by", "created_at", "last_used_at", "token_last_issued_at", "previous_token_display"
    ]
    actions = ["rotate_keys"]

    @admin.display(description="Roles")
    def role_list(self, obj):
        return ", ".join(obj.roles)

    @admin.display(description="Token")
    def token_hint_display(self, obj):
        return f"{ApiKey.TOKEN_PREFIX}…{obj.token_hint}" if obj.token_hint else "—"

    @admin.display(description="Previous token")
    def previous_token_display(self, obj):
        # A token replaced by an API rotation keeps working for its grace period.
        if obj.previous_token_expires_at is None or obj.previous_token_expires_at <= timezone.now():
            return "—"
        return f"still accepted until {date_format(timezone.localtime(obj.previous_token_expires_at), 'DATETIME_FORMAT')}"

    @admin.display(description="Created by")
    def created_by(self, obj):
        return obj.created_by_user or obj.created_by_api_key or "—"

    def save_model(self, request, obj, form, change):
        roles = form.cleaned_data["roles"]
        if change:
            services.update_api_key(key=obj, actor=request.user, name=obj.name, roles=roles, comments=obj.comments)
            return
        key, token = services.create_api_key(actor=request.user, name=obj.name, roles=roles, comments=obj.comments)
        obj.__dict__.update({k: v for k, v in key.__dict__.items() if k != "_state"})
        obj._state.adding = False
        self._show_token_once(request, key, token)

    def _show_token_once(self, request, key, token):
        # The token exists only in this message: it is not stored and cannot be shown again.
        self.message_user(
            request,
            format_html(
                "Token for “{}”: <code>{}</code> — copy it now, it will not be shown again.", key.name, token
            ),
            messages.WARNING,
        )

    def delete_model(self, request, obj):
        services.delete_api_key(key=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for key in queryset:
            services.delete_api_key(key=key, actor=request.user)

    @admin.action(description="Rotate token (the old token stops working)", permissions=["change"])
    def rotate_keys(self, request, queryset):
        for key in queryset:
            key, token = services.rotate_api_key(key=key, actor=request.user)
            self._show_token_once(request, key, token)
