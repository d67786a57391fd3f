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


def test_a_confirmation_token_dies_when_the_address_is_suppressed(page, settings):
    from notifications import services
    from notifications.services.delivery import record_hard_bounce

    ann = subscriber(page, confirmed=False)
    token = make_token(ann, Purpose.CONFIRM)
    assert read_token(token, Purpose.CONFIRM) == ann
    services.unsubscribe(subscriber=ann)
    with pytest.raises(InvalidToken):
        read_token(token, Purpose.CONFIRM)
    bob = subscriber(page, "bob@example.com", confirmed=False)
    token = make_token(bob, Purpose.CONFIRM)
    settings.NOTIFICATIONS_SUPPRESS_AFTER_BOUNCES = 1
    record_hard_bounce(subscriber=bob)
    with pytest.raises(InvalidToken):
        read_token(token, Purpose.CONFIRM)
    # Leaving changes nothing for the unsubscribe and preferences links (RFC 8058).
    assert read_token(make_token(ann, Purpose.MANAGE), Purpose.MANAGE) == ann


def test_a_confirmation_link_from_before_versions_still_confirms_an_address_never_suppressed(page):
    ann = subscriber(page, confirmed=False)
    legacy = signing.dumps(ann.pk, salt="notifications.subscriber.confirm", compress=False)
    assert read_token(legacy, Purpose.CONFIRM) == ann


@pytest.mark.parametrize("payload", [["x", "1"], ["x", True], ["x", 1, 2], {"pk": "x"}, 7, None, [None, 0]])
def test_a_signed_payload_of_another_shape_is_refused(page, payload):
    with pytest.raises(InvalidToken):
        read_token(signing.dumps(payload, salt="notifications.subscriber.confirm"), Purpose.CONFIRM)
