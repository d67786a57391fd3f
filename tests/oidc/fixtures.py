"""The OpenID provider's fixtures, imported by tests/browser/test_sign_in_with_provider.py
(a conftest here would define the browser fixtures a second time: two Playwrights in one
process)."""

import pytest

from tests.oidc import provider as oidc

#: the provider's groups and the staff groups they map to (settings.OIDC_STAFF_GROUPS)
GROUPS = {
    "Incident viewers": ["incident-viewers"],
    "Incident responders": ["sre", "on-call"],
    "Incident managers": ["incident-managers"],
}


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The real provider, with this site's live server as its client's redirect URI."""
    started = oidc.start(redirect_uri=f"{live_server.url}/oidc/callback/",
                         directory=tmp_path_factory.mktemp("oidc-provider"))
    yield started
    oidc.stop(started)


@pytest.fixture
def signs_in_with_provider(settings, oidc_provider):
    """The site configured as docs/sign-in.md shows, against the test's provider."""
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_PROVIDER_NAME = "Example SSO"
    settings.OIDC_RP_CLIENT_ID = oidc.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = oidc.CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_ALLOWED_EMAIL_DOMAINS = ["example.com"]
    settings.OIDC_STAFF_GROUPS = GROUPS
    settings.ADMIN_PASSWORD_LOGIN = "superusers"
    return oidc_provider
