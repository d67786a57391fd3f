"""The prebuilt path (notifications/accel.py) sends the message the plain path builds,
and steps aside whenever it could not."""

import email
import email.policy

import pytest
from django.core.mail.message import sanitize_address

from notifications.accel import PrebuiltMessages
from notifications.rendering import build_message, render_update
from statuspages import services
from tests.factories import status_page

from .conftest import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    return status_page(name="Acme status", components=["API"])


def publish(page, message="We are **looking** into it.\n\n- one\n- two"):
    return services.publish_incident(
        actor=None, status_page=page, name="Checkout fails", message=message,
        component_statuses={page.test_components["API"]: "partial_outage"}, notify_subscribers=True,
    )


def parsed(data: bytes):
    message = email.message_from_bytes(data, policy=email.policy.default)
    headers = sorted((k, " ".join(str(v).split())) for k, v in message.items() if k not in ("Date", "Content-Type"))
    parts = [(p.get_content_type(), p.get_content()) for p in message.walk() if not p.is_multipart()]
    return headers, parts


@pytest.mark.parametrize("later", [False, True], ids=["first update", "later update"])
def test_a_prebuilt_message_is_the_message_the_plain_path_builds(page, later, settings):
    settings.NOTIFICATIONS_REPLY_TO = ["help@acme.test"]
    incident = publish(page)
    update = incident.updates.get()
    if later:
        update = services.post_incident_update(actor=None, page_incident=incident, message="Fixed", status="resolved", notify_subscribers=True)
    subscriber = subscribe(page, "reader@example.com")
    rendered = render_update(update)
    prebuilt = PrebuiltMessages(rendered)
    data, message_id = prebuilt.payload(subscriber)
    plain = build_message(rendered, subscriber)
    assert parsed(data) == parsed(plain.message().as_bytes(linesep="\r\n"))  # what the SMTP backend sends
    assert message_id == plain.extra_headers["Message-ID"]
    assert prebuilt.sender == sanitize_address(plain.from_email, "utf-8")  # the envelope sender Django's backend uses


def test_a_non_ascii_address_is_built_the_plain_way(page):
    rendered = render_update(publish(page).updates.get())
    assert PrebuiltMessages(rendered).payload(subscribe(page, "josé@exämple.com")) is None


def test_a_body_the_email_package_encodes_is_built_the_plain_way(page):
    # A line past 998 characters makes Django encode the part as quoted-printable.
    rendered = render_update(publish(page, message="word " * 400).updates.get())
    prebuilt = PrebuiltMessages(rendered)
    assert not prebuilt.usable and prebuilt.payload(subscribe(page, "reader@example.com")) is None
