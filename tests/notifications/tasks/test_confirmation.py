"""Confirmation emails, sent from their outbox rows: text and HTML, temporary SMTP
failures retried, permanent ones not, each row sent once however often its task comes."""

import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend

from notifications.models import Confirmation, DeliveryState
from notifications.services.confirmations import owe_confirmations
from notifications.tasks import send_confirmation, send_confirmations

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
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 0  # a retry run at once finds its rows due
    Flaky.attempts = 0
    return Flaky


def owed(page, email="ann@example.com", **fields):
    """An unconfirmed subscriber with its confirmation owed (the outbox row, no task yet)."""
    ann = subscriber(page, email, confirmed=False, **fields)
    owe_confirmations([ann.pk])
    return ann


def test_a_temporary_failure_is_retried_until_the_mail_goes(page, flaky, mailoutbox):
    flaky.failures, flaky.error = 2, smtplib.SMTPResponseException(451, b"try later")
    ann = owed(page)
    # Run in the test process, Celery runs each retry at once rather than after its countdown.
    assert send_confirmation.apply(args=[ann.pk]).state == "SUCCESS"
    assert flaky.attempts == 3 and [m.to for m in mailoutbox] == [["ann@example.com"]]
    row = Confirmation.objects.get()
    assert row.state == DeliveryState.SENT and row.attempts == 3 and row.sent_at is not None


def test_a_permanent_refusal_is_not_retried_and_fails_the_row(page, flaky, mailoutbox):
    flaky.failures, flaky.error = 5, smtplib.SMTPRecipientsRefused({"ann@example.com": (550, b"no such user")})
    assert send_confirmation.apply(args=[owed(page).pk]).state == "SUCCESS"
    assert flaky.attempts == 1 and mailoutbox == []
    row = Confirmation.objects.get()
    assert row.state == DeliveryState.FAILED and row.error.startswith("550")


def test_a_batch_retries_only_the_addresses_not_yet_sent(page, flaky, mailoutbox, monkeypatch):
    ids = [owed(page, f"u{n}@example.com").pk for n in range(3)]
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
    assert send_confirmations.apply(args=[ids]).state == "SUCCESS"
    assert sent == ["u0@example.com", "u1@example.com", "u2@example.com"]


def test_a_task_that_comes_twice_sends_once(page, mailoutbox):
    ann = owed(page)
    send_confirmation.apply(args=[ann.pk])
    send_confirmation.apply(args=[ann.pk])
    send_confirmations.apply(args=[[ann.pk]])
    assert [m.to for m in mailoutbox] == [["ann@example.com"]]


def test_a_subscriber_owed_nothing_is_sent_nothing(page, mailoutbox):
    assert send_confirmation.apply(args=[subscriber(page, confirmed=False).pk]).state == "SUCCESS" and mailoutbox == []


def test_a_deleted_subscriber_is_sent_nothing(page, mailoutbox):
    ann = owed(page)
    pk = ann.pk
    ann.delete()
    assert send_confirmation.apply(args=[pk]).state == "SUCCESS" and mailoutbox == []


@pytest.mark.parametrize("kind", ["confirm", "already_subscribed"])
def test_subjects_are_plain_text_escaped_nowhere_and_on_one_line(page, kind):
    """A subject is a header, not HTML: the page's name as written, with no line break or
    control character that could start another header."""
    from notifications.rendering import confirmation_message

    page.name = "Acme & Co <Cloud>\r\nBcc: everyone@example.com\x0b\x1b"
    page.save()
    ann = subscriber(page, confirmed=kind == "already_subscribed")
    subject = confirmation_message(ann).message()["Subject"]
    expected = {"confirm": "Confirm your subscription to", "already_subscribed": "You already follow"}[kind]
    assert subject == f"{expected} Acme & Co <Cloud> Bcc: everyone@example.com"
