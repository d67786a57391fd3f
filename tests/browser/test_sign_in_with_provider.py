"""Signing in to the admin through a real OpenID provider (tests/oidc/provider/), driven in
Debian's Chromium: the authorization code flow with PKCE, the group mapping, access ending
with the provider's say, and an ID token for another audience refused."""

import base64

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model

from core.models import ProviderIdentity
from tests.browser.conftest import horizontal_overflow, screenshot
from tests.oidc.fixtures import oidc_provider, signs_in_with_provider  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def _new_tab(browser, width=1366, height=900):
    context = browser.new_context(viewport={"width": width, "height": height})
    # The provider's own pages import a web font; nothing here goes outside the machine.
    context.route("https://fonts.googleapis.com/**", lambda route: route.abort())
    return context, context.new_page()


def _sign_in(tab, live_server, login: str) -> None:
    """From the admin's login page, through the provider's login (and consent) pages, back."""
    tab.goto(f"{live_server.url}/admin/login/?next=/admin/")
    tab.get_by_role("link", name="Sign in with Example SSO").click()
    tab.wait_for_selector("input[name=login]")
    tab.fill("input[name=login]", login)
    tab.fill("input[name=password]", "anything")
    tab.click("button[type=submit]")
    for _ in range(3):  # the consent page, the first time a person signs in to this client
        tab.wait_for_load_state()
        if tab.url.startswith(live_server.url):
            break
        tab.click("button[autofocus]")
    tab.wait_for_url(f"{live_server.url}/admin/**")


def _refusal(tab) -> str:
    return tab.locator(".messagelist .error").inner_text()


@pytest.fixture
def tabs(browser):
    contexts = []

    def new(**kwargs):
        context, tab = _new_tab(browser, **kwargs)
        contexts.append(context)
        return tab

    yield new
    for context in contexts:
        context.close()


def test_a_new_person_signs_in_and_lands_in_the_admin_as_staff_in_their_mapped_group(
        tabs, live_server, signs_in_with_provider):
    signs_in_with_provider.set_accounts({"alice": {
        "email": "alice@example.com", "email_verified": True, "given_name": "Alice", "family_name": "Ops",
        "groups": ["sre", "marketing"],
    }})
    tab = tabs()
    _sign_in(tab, live_server, "alice")
    assert tab.url == f"{live_server.url}/admin/"
    assert "Run incidents" in tab.content()
    user = get_user_model().objects.get(email="alice@example.com")
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert [group.name for group in user.groups.all()] == ["Incident responders"]
    assert (user.first_name, user.last_name) == ("Alice", "Ops")
    identity = ProviderIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (signs_in_with_provider.issuer, "alice")


def test_the_code_challenge_reaches_the_provider_which_requires_it(tabs, live_server, signs_in_with_provider):
    signs_in_with_provider.set_accounts({"dana": {"email": "dana@example.com", "groups": ["incident-viewers"]}})
    _sign_in(tabs(), live_server, "dana")
    params = signs_in_with_provider.authorization_requests()[-1]
    assert params["client_id"] == "incident-tracker" and params["response_type"] == "code"
    assert params["code_challenge_method"] == "S256"
    # a SHA-256 digest, base64url without padding (RFC 7636, 4.2)
    assert len(base64.urlsafe_b64decode(params["code_challenge"] + "=")) == 32
    assert get_user_model().objects.get(email="dana@example.com").groups.get().name == "Incident viewers"


def test_without_pkce_the_provider_refuses_the_sign_in(tabs, live_server, signs_in_with_provider, settings):
    settings.OIDC_USE_PKCE = False
    signs_in_with_provider.set_accounts({"erin": {"email": "erin@example.com", "groups": ["sre"]}})
    tab = tabs()
    tab.goto(f"{live_server.url}/admin/login/")
    tab.get_by_role("link", name="Sign in with Example SSO").click()
    tab.wait_for_url(f"{live_server.url}/admin/login/")
    assert "did not sign you in" in _refusal(tab)
    assert not get_user_model().objects.filter(email="erin@example.com").exists()


def test_someone_removed_from_the_group_is_refused_at_next_sign_in_and_loses_the_admin(
        tabs, live_server, signs_in_with_provider):
    bob = {"email": "bob@example.com", "email_verified": True, "groups": ["incident-managers"]}
    signs_in_with_provider.set_accounts({"bob": bob})
    first = tabs()
    _sign_in(first, live_server, "bob")
    assert get_user_model().objects.get(email="bob@example.com").groups.get().name == "Incident managers"

    signs_in_with_provider.set_accounts({"bob": {**bob, "groups": ["marketing"]}})
    second = tabs()
    _sign_in(second, live_server, "bob")
    assert second.url.startswith(f"{live_server.url}/admin/login/")
    assert "none of the provider's groups" in _refusal(second)
    user = get_user_model().objects.get(email="bob@example.com")
    assert not user.is_staff and not user.groups.exists()
    # The session bob still had elsewhere no longer opens the admin either.
    first.goto(f"{live_server.url}/admin/")
    assert first.url.startswith(f"{live_server.url}/admin/login/")


def test_an_id_token_for_another_audience_is_refused_and_counted_as_a_failed_login(
        tabs, live_server, signs_in_with_provider):
    signs_in_with_provider.set_accounts({"mallory": {
        "email": "mallory@example.com", "email_verified": True, "groups": ["incident-managers"], "wrong_audience": True,
    }})
    tab = tabs()
    _sign_in(tab, live_server, "mallory")
    assert tab.url.startswith(f"{live_server.url}/admin/login/")
    assert "could not be verified" in _refusal(tab)
    assert not get_user_model().objects.filter(email="mallory@example.com").exists()
    # django-axes counted it, like a wrong password (core/login_lockout.py).
    assert AccessAttempt.objects.filter(failures_since_start__gte=1).exists()


@pytest.mark.parametrize("width", [1366, 768])
def test_the_login_page_offers_the_provider_without_horizontal_scroll(tabs, live_server, signs_in_with_provider, width):
    tab = tabs(width=width, height=800)
    tab.goto(f"{live_server.url}/admin/login/")
    button = tab.get_by_role("link", name="Sign in with Example SSO")
    assert button.is_visible()
    assert "break-glass superuser" in tab.content()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"sign-in-login-page-{width}")


def test_an_address_locked_out_by_wrong_passwords_cannot_sign_in_through_the_provider_either(
        tabs, live_server, signs_in_with_provider, settings, client):
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 2
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for username in ("boss", "root"):  # the browser reaches the live server from 127.0.0.1
        client.post("/admin/login/", {"username": username, "password": "guess"}, REMOTE_ADDR="127.0.0.1")
    signs_in_with_provider.set_accounts({"frank": {"email": "frank@example.com", "groups": ["sre"]}})
    tab = tabs()
    tab.goto(f"{live_server.url}/admin/login/")
    tab.get_by_role("link", name="Sign in with Example SSO").click()
    tab.fill("input[name=login]", "frank")
    tab.fill("input[name=password]", "anything")
    tab.click("button[type=submit]")
    tab.click("button[autofocus]")
    tab.wait_for_url(f"{live_server.url}/oidc/callback/**")
    assert "too many login attempts" in tab.content()
    assert not get_user_model().objects.filter(email="frank@example.com").exists()
