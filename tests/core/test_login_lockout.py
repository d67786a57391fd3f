"""Failed admin logins are throttled per (username, address) and per address (django-axes)."""

import math
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from core.login_lockout import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Each login hashes a password; the slow production hasher is not what is under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("boss", "boss@example.com", PASSWORD)


def _log_in(client, username, password, address="192.0.2.10"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def _fail(client, times, username="boss", address="192.0.2.10"):
    return [_log_in(client, username, "wrong", address).status_code for _ in range(times)]


def test_wrong_passwords_below_the_limit_are_answered_with_the_form(client, admin_user):
    assert _fail(client, settings.LOGIN_FAILURE_LIMIT - 1) == [200] * (settings.LOGIN_FAILURE_LIMIT - 1)
    assert _logged_in(_log_in(client, "boss", PASSWORD))


def test_a_locked_out_user_gets_the_lockout_answer(client, admin_user):
    statuses = _fail(client, settings.LOGIN_FAILURE_LIMIT + 2)
    assert statuses[-3:] == [429, 429, 429]
    response = _log_in(client, "boss", "wrong")
    assert response.status_code == 429 and b"too many login attempts" in response.content


def test_the_correct_password_does_not_get_through_while_locked(client, admin_user):
    _fail(client, settings.LOGIN_FAILURE_LIMIT)
    response = _log_in(client, "boss", PASSWORD)
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_a_lockout_holds_one_address_only(client, admin_user):
    _fail(client, settings.LOGIN_FAILURE_LIMIT)
    assert _logged_in(_log_in(client, "boss", PASSWORD, address="198.51.100.7"))


def test_one_address_guessing_many_usernames_is_locked_at_its_larger_limit(client, admin_user):
    per_user = settings.LOGIN_FAILURE_LIMIT - 1  # never enough to lock one username
    for n in range(math.ceil(settings.LOGIN_FAILURE_LIMIT_PER_IP / per_user)):
        _fail(client, per_user, username=f"guess{n}")
    assert _log_in(client, "boss", PASSWORD).status_code == 429
    assert _logged_in(_log_in(client, "boss", PASSWORD, address="198.51.100.7"))


def test_the_address_is_not_locked_before_its_own_limit(client, admin_user):
    for n in range(settings.LOGIN_FAILURE_LIMIT_PER_IP - 1):
        assert _log_in(client, f"guess{n}", "wrong").status_code == 200
    assert _logged_in(_log_in(client, "boss", PASSWORD))


def test_axes_reset_username_lifts_the_lockout(client, admin_user):
    _fail(client, settings.LOGIN_FAILURE_LIMIT)
    call_command("axes_reset_username", "boss")
    assert _logged_in(_log_in(client, "boss", PASSWORD))


def test_axes_reset_ip_lifts_an_address_lockout(client, admin_user):
    for n in range(settings.LOGIN_FAILURE_LIMIT_PER_IP):
        _log_in(client, f"guess{n}", "wrong")
    assert _log_in(client, "boss", PASSWORD).status_code == 429
    call_command("axes_reset_ip", "192.0.2.10")
    assert _logged_in(_log_in(client, "boss", PASSWORD))


def test_the_lockout_ends_after_the_cool_off(client, admin_user):
    _fail(client, settings.LOGIN_FAILURE_LIMIT)
    # the clock moves on past the cool-off since the last failure
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert _logged_in(_log_in(client, "boss", PASSWORD))


def test_the_lockout_counts_the_one_client_address(settings):
    # Axes reads core.net.client_address (its table: tests/core/test_net.py); None, axes'
    # own answer, when there is no address.
    assert settings.AXES_CLIENT_IP_CALLABLE == "core.login_lockout.client_ip"
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert client_ip(request) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) is None
