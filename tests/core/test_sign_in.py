"""Who may sign in through the company's identity provider, into which staff group, and
the password login that ADMIN_PASSWORD_LOGIN keeps (core/services/sign_in.py,
core/sign_in/). The whole flow against a real provider is in tests/oidc/."""

import re
import threading

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.test import Client

from config.environment import load
from core.models import ProviderIdentity
from core.services.sign_in import sign_in_through_provider, staff_groups_for
from incidents.services.groups import GROUP_NAMES, MANAGERS, RESPONDERS, VIEWERS

pytestmark = pytest.mark.django_db

ISSUER = "https://sso.example.com/realms/staff"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def configured(settings):
    settings.OIDC_ISSUER = ISSUER
    settings.OIDC_PROVIDER_NAME = "Keycloak"
    settings.OIDC_RP_CLIENT_ID = "incident-tracker"
    settings.OIDC_ALLOWED_EMAIL_DOMAINS = ["example.com"]
    settings.OIDC_STAFF_GROUPS = {VIEWERS: ["viewers"], RESPONDERS: ["sre", "on-call"], MANAGERS: ["leads"]}
    settings.ADMIN_PASSWORD_LOGIN = "superusers"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def _sign_in(subject="p1", email="pat@example.com", groups=("sre",), **claims):
    return sign_in_through_provider(issuer=ISSUER, subject=subject, email=email, provider_groups=list(groups),
                                    email_verified=claims.pop("email_verified", True), **claims)


def test_the_settings_map_to_the_projects_three_staff_groups():
    assert tuple(django_settings.OIDC_STAFF_GROUPS) == GROUP_NAMES


@pytest.mark.parametrize("email, verified, groups, expected, refusal", [
    ("pat@example.com", True, ["sre"], [RESPONDERS], ""),
    ("pat@example.com", None, ["on-call", "leads", "other"], [RESPONDERS, MANAGERS], ""),
    ("pat@example.com", True, ["other"], [], "none of the provider's groups"),
    ("pat@example.com", True, [], [], "none of the provider's groups"),
    ("pat@elsewhere.org", True, ["sre"], [], "addresses at elsewhere.org may not sign in"),
    ("pat@example.com", False, ["sre"], [], "not verified"),
    ("", True, ["sre"], [], "no email address"),
])
def test_staff_groups_follow_the_domain_and_the_mapped_groups(configured, email, verified, groups, expected, refusal):
    groups, refused_because = staff_groups_for(email=email, email_verified=verified, provider_groups=groups)
    assert groups == expected and (refusal in refused_because if refusal else refused_because == "")


def test_with_no_groups_mapped_an_allowed_domain_gets_the_domain_group(configured):
    configured.OIDC_STAFF_GROUPS = {VIEWERS: [], RESPONDERS: [], MANAGERS: []}
    configured.OIDC_DOMAIN_GROUP = VIEWERS
    assert staff_groups_for(email="pat@example.com", email_verified=True, provider_groups=[]) == ([VIEWERS], "")


def test_a_first_sign_in_creates_staff_with_no_password_in_the_mapped_group(configured):
    user = _sign_in(groups=["leads"], first_name="Pat", last_name="Lee").user
    assert user.username == "pat@example.com" and user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [MANAGERS]
    assert ProviderIdentity.objects.get(user=user).provider_groups == ["leads"]


def test_the_staff_groups_follow_the_provider_at_every_sign_in_and_others_are_kept(configured):
    user = _sign_in(groups=["leads"]).user
    user.groups.add(Group.objects.create(name="Hand-made"))
    assert _sign_in(groups=["viewers"]).user == user
    assert sorted(user.groups.values_list("name", flat=True)) == ["Hand-made", VIEWERS]


def test_someone_refused_later_loses_the_admin_and_the_staff_groups(configured):
    user = _sign_in(groups=["sre"]).user
    outcome = _sign_in(groups=["marketing"])
    assert outcome.user is None and "none of the provider's groups" in outcome.refused_because
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.exists()


def test_someone_refused_the_first_time_gets_no_user(configured, django_user_model):
    assert _sign_in(email="pat@elsewhere.org").user is None
    assert not django_user_model.objects.exists()


def test_existing_staff_keep_their_account_but_a_superuser_is_never_taken_over(configured, django_user_model):
    staff = django_user_model.objects.create_user("pat", "Pat@example.com", PASSWORD, is_staff=True)
    boss = django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    assert _sign_in(subject="p1", email="pat@example.com").user == staff
    other = _sign_in(subject="p2", email="boss@example.com").user
    assert other != boss and other.username == "boss@example.com" and not other.is_superuser


@pytest.mark.parametrize("mode, superuser_in, staff_in", [("all", True, True), ("superusers", True, False),
                                                           ("off", False, False)])
def test_the_password_login_admits_whom_the_setting_says(settings, django_user_model, mode, superuser_in, staff_in):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ADMIN_PASSWORD_LOGIN = mode
    django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)
    django_user_model.objects.create_user("pat", "pat@example.com", PASSWORD, is_staff=True)
    for username, expected in (("boss", superuser_in), ("pat", staff_in)):
        response = Client().post("/admin/login/?next=/admin/", {"username": username, "password": PASSWORD})
        assert (response.status_code == 302 and response["Location"] == "/admin/") == expected, username


def test_a_password_session_ends_when_the_setting_stops_allowing_it(settings, django_user_model):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_user_model.objects.create_user("pat", "pat@example.com", PASSWORD, is_staff=True)
    client = Client()
    assert client.post("/admin/login/?next=/admin/", {"username": "pat", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/").status_code == 200
    settings.ADMIN_PASSWORD_LOGIN = "superusers"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_without_an_issuer_the_login_page_is_as_before_and_the_flow_is_404(client):
    page = client.get("/admin/login/").content.decode()
    assert 'id="login-form"' in page and "Sign in with" not in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_the_login_page_offers_the_provider_and_hides_the_password_form_when_it_is_off(configured, client):
    page = client.get("/admin/login/?next=/admin/incidents/").content.decode()
    assert 'href="/oidc/authenticate/?next=/admin/incidents/"' in page and "Sign in with Keycloak" in page
    assert 'id="login-form"' in page
    configured.ADMIN_PASSWORD_LOGIN = "off"
    page = client.get("/admin/login/").content.decode()
    assert "Sign in with Keycloak" in page and 'id="login-form"' not in page


def test_the_password_form_still_needs_its_csrf_token(configured):
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "boss", "password": PASSWORD})
    assert response.status_code == 403


def test_a_provider_that_cannot_be_reached_sends_back_to_the_login_page_with_a_message(configured, client):
    configured.OIDC_ISSUER = "http://127.0.0.1:9"  # discard: nothing listens
    response = client.get("/oidc/authenticate/", follow=True)
    assert response.redirect_chain[-1][0] == "/admin/login/"
    assert "Keycloak cannot be reached" in response.content.decode()


SIGN_IN = {"OIDC_ISSUER": ISSUER, "OIDC_CLIENT_ID": "incident-tracker", "OIDC_CLIENT_SECRET": "s3cret",
           "OIDC_RESPONDERS_GROUPS": "sre"}


def test_the_settings_take_a_complete_sign_in_configuration_and_default_to_superuser_passwords():
    values = load(SIGN_IN)
    assert values["OIDC_ISSUER"] == ISSUER and values["OIDC_RESPONDERS_GROUPS"] == ["sre"]
    assert values["ADMIN_PASSWORD_LOGIN"] == "superusers"
    assert load({})["ADMIN_PASSWORD_LOGIN"] == "all" and load({})["OIDC_ISSUER"] == ""


@pytest.mark.parametrize("missing, says", [("OIDC_CLIENT_ID", "OIDC_CLIENT_ID (unset"),
                                           ("OIDC_CLIENT_SECRET", "OIDC_CLIENT_SECRET (unset")])
def test_the_settings_refuse_an_issuer_without_its_client(missing, says):
    source = {name: value for name, value in SIGN_IN.items() if name != missing}
    with pytest.raises(ImproperlyConfigured, match=re.escape(says)):
        load(source)


def test_staff_see_who_signed_in_through_the_provider_read_only(configured, staff_client):
    _sign_in(groups=["sre", "other"])
    page = staff_client.get("/admin/core/provideridentity/")
    assert page.status_code == 200 and "pat@example.com" in page.content.decode()
    assert staff_client.get("/admin/core/provideridentity/add/").status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_first_sign_ins_at_once_make_one_user(configured, django_user_model):
    # Four tabs finishing a first sign-in at the same moment, each with its own connection.
    barrier = threading.Barrier(4)
    users, errors = [], []

    def worker():
        try:
            barrier.wait()
            users.append(_sign_in(subject="p-race", email="race@example.com").user.pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(set(users)) == 1 and len(users) == 4
    assert django_user_model.objects.filter(email="race@example.com").count() == 1
    assert connection.vendor == "postgresql"


def test_a_provider_session_ends_when_the_user_is_deactivated(configured, client):
    user = _sign_in(groups=["leads"]).user
    client.force_login(user, backend="core.sign_in.backends.ProviderBackend")
    assert client.get("/admin/").status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get("/admin/")
    assert response.status_code == 302 and response.wsgi_request.user.is_anonymous


def test_only_managers_see_the_provider_identities(configured, client, django_user_model):
    _sign_in(subject="lead", email="lead@example.com", groups=["leads"])
    _sign_in(subject="viewer", email="viewer@example.com", groups=["viewers"])
    for email, status in (("lead@example.com", 200), ("viewer@example.com", 403)):
        client.force_login(django_user_model.objects.get(email=email), backend="core.sign_in.backends.ProviderBackend")
        assert client.get("/admin/core/provideridentity/").status_code == status, email
