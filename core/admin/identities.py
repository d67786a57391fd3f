"""Who signed in through the company's identity provider, as whom here, and with which of
its groups the last time (docs/sign-in.md). Read-only: the provider decides, at sign-in."""

from django.contrib import admin

from core.models import ProviderIdentity


@admin.register(ProviderIdentity)
class ProviderIdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "subject", "provider_groups", "last_sign_in_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email", "subject")
    ordering = ("-last_sign_in_at",)
    fields = ("user", "issuer", "subject", "provider_groups", "last_sign_in_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
