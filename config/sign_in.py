"""Settings for signing in through the company's OpenID Connect provider (core/sign_in/,
docs/sign-in.md), off while OIDC_ISSUER is empty. mozilla-django-oidc reads the OIDC_RP_*
names; its endpoints (OIDC_OP_*) come from the issuer's discovery document at sign-in.
config/settings.py takes them all; tests/config/test_configuration_doc.py reads both."""

from typing import Any


def sign_in_settings(env: dict[str, Any]) -> dict[str, Any]:
    return {
        "OIDC_ISSUER": env["OIDC_ISSUER"],
        "OIDC_PROVIDER_NAME": env["OIDC_PROVIDER_NAME"],
        "OIDC_RP_CLIENT_ID": env["OIDC_CLIENT_ID"],
        "OIDC_RP_CLIENT_SECRET": env["OIDC_CLIENT_SECRET"],
        "OIDC_RP_SCOPES": env["OIDC_SCOPES"],
        "OIDC_RP_SIGN_ALGO": env["OIDC_SIGN_ALGORITHM"],
        # Authorization code with PKCE (S256) as well as the client's secret (RFC 9700, 2.1.1).
        "OIDC_USE_PKCE": True,
        "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
        "OIDC_TIMEOUT": 10,
        "OIDC_ALLOWED_EMAIL_DOMAINS": env["OIDC_ALLOWED_EMAIL_DOMAINS"],
        "OIDC_GROUPS_CLAIM": env["OIDC_GROUPS_CLAIM"],
        # The provider's groups that put someone in each of the staff groups of
        # incidents/services/groups.py (the names are its GROUP_NAMES; a test holds them equal).
        "OIDC_STAFF_GROUPS": {
            "Incident viewers": env["OIDC_VIEWERS_GROUPS"],
            "Incident responders": env["OIDC_RESPONDERS_GROUPS"],
            "Incident managers": env["OIDC_MANAGERS_GROUPS"],
        },
        "OIDC_DOMAIN_GROUP": f"Incident {env['OIDC_DOMAIN_GROUP']}",
        "ADMIN_PASSWORD_LOGIN": env["ADMIN_PASSWORD_LOGIN"],
        "LOGIN_REDIRECT_URL": "/admin/",
        "LOGIN_REDIRECT_URL_FAILURE": "/admin/login/",
    }
