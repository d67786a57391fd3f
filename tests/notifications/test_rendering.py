"""An update's email: plain text and HTML from templates, the subscriber's own links, the
RFC 8058 headers, and one thread per incident and subscriber."""

import pytest

from notifications.rendering import build_message, render_update
from statuspages import services
from tests.factories import status_page

from .conftest import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    return status_page(name="Acme & Co status", components=["API", "Dashboard"])


@pytest.fixture
def published(page):
    return services.publish_incident(
        actor=None, status_page=page, name="Checkout <fails>", message="We are **looking** <script>alert(1)</script>",
        component_statuses={page.test_components["API"]: "partial_outage"}, notify_subscribers=True,
    )


def message_for(update, subscriber):
    return build_message(render_update(update), subscriber).message()


def parts(message):
    return {part.get_content_type(): part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart()}


def test_the_subject_names_the_page_the_incident_and_its_new_status(page, published):
    message = message_for(published.updates.get(), subscribe(page, "a@example.com"))
    assert message["Subject"] == "[Acme & Co status] Checkout <fails>: Investigating"


def test_the_email_has_text_and_html_with_the_update_its_components_and_links(page, published, settings):
    subscriber = subscribe(page, "a@example.com")
    body = parts(message_for(published.updates.get(), subscriber))
    text, html = body["text/plain"], body["text/html"]
    incident_url = f"{settings.SITE_URL}/status/{page.slug}/incidents/{published.pk}/"
    assert "We are looking" in text and "- API: Partial outage" in text and incident_url in text
    assert "**" not in text and "alert(1)" not in text and "<script>" not in text  # plain text, not markdown
    assert "<strong>looking</strong>" in html and "<script>" not in html and "Checkout &lt;fails&gt;" in html
    assert "Partial outage" in html and f'href="{incident_url}"' in html
    from notifications.links import preferences_url, unsubscribe_url

    assert unsubscribe_url(subscriber) in text and preferences_url(subscriber) in text
    assert unsubscribe_url(subscriber) in html


def test_each_email_carries_one_click_unsubscribe_headers_and_the_configured_sender(page, published, settings):
    settings.NOTIFICATIONS_FROM_EMAIL = "Acme Status <status@acme.test>"
    settings.NOTIFICATIONS_REPLY_TO = ["support@acme.test"]
    subscriber = subscribe(page, "a@example.com")
    message = message_for(published.updates.get(), subscriber)
    from notifications.links import unsubscribe_url

    assert message["List-Unsubscribe"] == f"<{unsubscribe_url(subscriber)}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["From"] == "Acme Status <status@acme.test>" and message["Reply-To"] == "support@acme.test"
    assert message["To"] == "a@example.com"


def test_every_email_about_one_incident_threads_under_its_first(page, published, settings):
    settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN = "status.acme.test"
    subscriber = subscribe(page, "a@example.com")
    later = services.post_incident_update(actor=None, page_incident=published, message="Fixed", status="resolved", notify_subscribers=True)
    first, second = message_for(published.updates.get(pk=published.updates.last().pk), subscriber), message_for(later, subscriber)
    root = f"<incident-{published.pk}.{subscriber.pk}@status.acme.test>"
    assert first["Message-ID"] == root and first["In-Reply-To"] is None
    assert second["Message-ID"] == f"<incident-{published.pk}.u{later.pk}.{subscriber.pk}@status.acme.test>"
    assert second["In-Reply-To"] == root and second["References"] == root
    assert second["Subject"] == "[Acme & Co status] Checkout <fails>: Resolved"


def test_message_ids_differ_per_subscriber_and_stay_the_same_when_sent_again(page, published):
    one, two = subscribe(page, "a@example.com"), subscribe(page, "b@example.com")
    update = published.updates.get()
    assert message_for(update, one)["Message-ID"] == message_for(update, one)["Message-ID"] != message_for(update, two)["Message-ID"]


def test_a_maintenance_email_names_its_window_and_components(page):
    from datetime import datetime, timezone as tz

    start = datetime(2030, 5, 1, 22, 0, tzinfo=tz.utc)
    maintenance = services.schedule_maintenance(
        actor=None, status_page=page, name="Database upgrade", message="Short pause", starts_at=start,
        ends_at=start.replace(hour=23), components=[page.test_components["Dashboard"]], notify_subscribers=True,
    )
    message = message_for(maintenance.updates.get(), subscribe(page, "a@example.com"))
    assert message["Subject"] == "[Acme & Co status] Maintenance: Database upgrade: Scheduled"
    text = parts(message)["text/plain"]
    assert "2030-05-01 22:00" in text and "- Dashboard" in text and f"/maintenance/{maintenance.pk}/" in text


def test_the_subject_drops_line_breaks_and_control_characters_of_names(page, published):
    page.name = "Acme\r\nBcc: all@example.com"
    page.save()
    published.name = "Down\x1b\x0c\u2028again"
    published.save()
    message = message_for(published.updates.get(), subscribe(page, "a@example.com"))
    assert message["Subject"] == "[Acme Bcc: all@example.com] Down again: Investigating"


def test_the_text_part_is_the_markdown_read_as_text(page):
    update = services.publish_incident(
        actor=None, status_page=page, name="Slow API", notify_subscribers=True,
        message="**Root cause**: a [bad deploy](https://example.com/d/1).\n\n- rolled back\n- _watching_ `p99`\n\n"
        "<script>steal()</script><style>p{}</style>Done & dusted.",
    ).updates.get()
    text = parts(message_for(update, subscribe(page, "a@example.com")))["text/plain"]
    assert "Root cause: a bad deploy (https://example.com/d/1).\n\n- rolled back\n- watching p99\n\nDone & dusted." in text
    assert not any(mark in text for mark in ("**", "](", "_watching_", "`", "steal()", "p{}", "&amp;"))
