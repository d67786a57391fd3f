"""Confirmation emails: text and HTML, temporary SMTP failures retried, permanent ones not."""

import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend

from notifications.tasks import send_confirmation, send_confirmations
from notifications.tasks.confirmation import backoff, is_permanent

from ..conftest import subscriber

pytestmark = pytest.mark.django_db


class Flaky(EmailBackend):
    """Fails the first ``failures`` sends with ``error``, then delivers to the outbox."""

    failures = 0
    error: Exception = smtplib.SMTPServerDisconnected("gone")
    attempts = 0

    def send_messages(self, messages):
        type(self).attempts += 1
        if type(self).attempts <= type(self).failures:
            raise type(self).error
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.Flaky"
    Flaky.attempts = 0
    return Flaky


def test_a_temporary_failure_is_retried_until_the_mail_goes(page, flaky, mailoutbox):
    flaky.failures, flaky.error = 2, smtplib.SMTPResponseException(451, b"try later")
    ann = subscriber(page, confirmed=False)
    # Run in the test process, Celery runs each retry at once rather than after its countdown.
    assert send_confirmation.apply(args=[ann.pk]).state == "SUCCESS"
    assert flaky.attempts == 3 and [m.to for m in mailoutbox] == [["ann@example.com"]]


def test_a_permanent_refusal_is_not_retried(page, flaky, mailoutbox):
    flaky.failures, flaky.error = 5, smtplib.SMTPRecipientsRefused({"ann@example.com": (550, b"no such user")})
    assert send_confirmation.apply(args=[subscriber(page, confirmed=False).pk]).state == "SUCCESS"
    assert flaky.attempts == 1 and mailoutbox == []


def test_a_batch_retries_only_the_addresses_not_yet_sent(page, flaky, mailoutbox, monkeypatch):
    ids = [subscriber(page, f"u{n}@example.com", confirmed=False).pk for n in range(3)]
    sent = []
    original = Flaky.send_messages

    def fail_once_on_the_second(self, messages):
        if messages[0].to == ["u1@example.com"] and not getattr(Flaky, "failed", False):
            Flaky.failed = True
            raise smtplib.SMTPServerDisconnected("gone")
        sent.extend(m.to[0] for m in messages)
        return original(self, messages)

    monkeypatch.setattr(Flaky, "send_messages", fail_once_on_the_second)
    monkeypatch.setattr(Flaky, "failed", False, raising=False)
    # The retry (run at once, in the test process) carries the addresses not yet sent.
    assert send_confirmations.apply(args=[ids]).state == "SUCCESS"
    assert sent == ["u0@example.com", "u1@example.com", "u2@example.com"]


def test_a_deleted_subscriber_is_sent_nothing(page, mailoutbox):
    ann = subscriber(page, confirmed=False)
    pk = ann.pk
    ann.delete()
    assert send_confirmation.apply(args=[pk]).state == "SUCCESS" and mailoutbox == []


def test_5xx_is_permanent_and_4xx_or_a_lost_connection_is_not():
    assert is_permanent(smtplib.SMTPResponseException(554, b"no"))
    assert not is_permanent(smtplib.SMTPResponseException(421, b"busy"))
    assert not is_permanent(ConnectionRefusedError())


def test_backoff_grows_and_stays_bounded():
    assert all(1 <= backoff(0) <= 30 for _ in range(20))
    assert all(1 <= backoff(20) <= 3600 for _ in range(20))


@pytest.mark.parametrize("kind", ["confirm", "already_subscribed"])
def test_subjects_are_plain_text_escaped_nowhere_and_on_one_line(page, kind):
    """A subject is a header, not HTML: the page's name as written, with no line break or
    control character that could start another header."""
    from notifications.tasks.confirmation import confirmation_message

    page.name = "Acme & Co <Cloud>\r\nBcc: everyone@example.com\x0b\x00"
    page.save()
    ann = subscriber(page, confirmed=kind == "already_subscribed")
    subject = confirmation_message(ann).message()["Subject"]
    expected = {"confirm": "Confirm your subscription to", "already_subscribed": "You already follow"}[kind]
    assert subject == f"{expected} Acme & Co <Cloud> Bcc: everyone@example.com"
