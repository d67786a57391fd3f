"""core.services.api_keys: issuing and rotating keys, and finding the key a token opens."""

import pytest
from django.utils import timezone

from core import services
from core.exceptions import DomainError
from core.models import ApiKey
from tests.factories import api_key

pytestmark = pytest.mark.django_db


def test_api_key_token_is_hashed_and_authenticates():
    key, token = api_key(["viewer"])
    assert token not in str(ApiKey.objects.filter(pk=key.pk).values().get())
    assert services.authenticate_token(token) == key
    assert services.authenticate_token(token + "x") is None
    key.refresh_from_db()
    assert key.last_used_at is not None


def test_rotation_invalidates_the_old_token():
    key, old = api_key()
    _, new = services.rotate_api_key(key=key, actor=None)
    assert services.authenticate_token(old) is None
    assert services.authenticate_token(new) == key


def test_a_key_cannot_grant_roles_it_lacks():
    creator, _ = api_key(["api_keys_manage", "viewer"])
    with pytest.raises(DomainError):
        services.create_api_key(actor=creator, name="escalate", roles=["global_access"])
    key, _ = services.create_api_key(actor=creator, name="ok", roles=["viewer"])
    assert key.created_by_api_key == creator


def test_unknown_roles_are_refused():
    with pytest.raises(DomainError):
        api_key(["superuser"])


def test_recording_the_use_of_a_deleted_key_writes_nothing_and_says_so():
    key, _ = api_key(["viewer"])
    services.delete_api_key(key=key, actor=None)
    assert services.record_use(key, timezone.now()) is False
