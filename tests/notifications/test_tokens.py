"""Signed links: valid, forged, expired, of another purpose, of a subscriber gone."""

from datetime import timedelta

import pytest
from django.core import signing

from notifications.tokens import CONFIRM_MAX_AGE, InvalidToken, Purpose, make_token, read_token

from .conftest import subscriber

pytestmark = pytest.mark.django_db


def test_a_token_names_its_subscriber(page):
    ann = subscriber(page)
    assert read_token(make_token(ann, Purpose.MANAGE), Purpose.MANAGE) == ann


def test_a_forged_token_is_refused(page):
    ann = subscriber(page)
    token = make_token(ann, Purpose.MANAGE)
    with pytest.raises(InvalidToken):
        read_token(token[:-2] + ("AA" if not token.endswith("AA") else "BB"), Purpose.MANAGE)
    with pytest.raises(InvalidToken):
        read_token(signing.dumps(ann.pk, salt="something else"), Purpose.MANAGE)


def test_a_token_of_another_purpose_is_refused(page):
    ann = subscriber(page)
    with pytest.raises(InvalidToken):
        read_token(make_token(ann, Purpose.CONFIRM), Purpose.MANAGE)


def test_a_confirmation_token_expires_and_a_manage_token_does_not(page, monkeypatch):
    ann = subscriber(page, confirmed=False)
    confirm, manage = make_token(ann, Purpose.CONFIRM), make_token(ann, Purpose.MANAGE)
    later = signing.time.time() + (CONFIRM_MAX_AGE + timedelta(minutes=1)).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(InvalidToken):
        read_token(confirm, Purpose.CONFIRM)
    assert read_token(manage, Purpose.MANAGE) == ann


def test_a_token_dies_with_its_subscriber_even_if_the_address_comes_back(page):
    ann = subscriber(page)
    token = make_token(ann, Purpose.MANAGE)
    ann.delete()
    subscriber(page, "ann@example.com")
    with pytest.raises(InvalidToken):
        read_token(token, Purpose.MANAGE)
