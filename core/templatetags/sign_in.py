from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sign_in_options() -> dict:
    """What the admin's login page offers: the provider's button (when OIDC_ISSUER is
    set) and the password form (unless ADMIN_PASSWORD_LOGIN is off)."""
    return {
        "provider": settings.OIDC_PROVIDER_NAME if settings.OIDC_ISSUER else "",
        "password": settings.ADMIN_PASSWORD_LOGIN != "off",
        "superusers_only": settings.ADMIN_PASSWORD_LOGIN == "superusers",
    }
