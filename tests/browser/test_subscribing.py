"""A customer subscribes from the public page, confirms through the link in the email they
were sent, then unsubscribes, in a real browser, on a phone (375 px) and a laptop
(1366 px), with nothing scrolling sideways."""

import re

import pytest

from notifications.models import Subscriber, Suppression
from tests.browser.conftest import horizontal_overflow, screenshot
from tests.factories import status_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def eager():
    """The confirmation email is sent by a Celery task: run it in the server's thread."""
    from config.celery import app

    before = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


def fits(tab, name: str) -> None:
    assert horizontal_overflow(tab) == 0, name
    screenshot(tab, name)


@pytest.mark.parametrize("width", [375, 1366])
def test_subscribe_confirm_from_the_email_then_unsubscribe(open_page, live_server, mailoutbox, eager, width):
    status_page("Acme status", "acme", components=["API", "Dashboard"], groups={"Payments": ["Cards", "Bank transfers"]})
    tab = open_page("/status/acme/", width=width)
    tab.locator(".subscribe-cta a").click()
    tab.wait_for_url(re.compile(r"/status/acme/subscribe/$"))
    tab.get_by_label("Email address").fill("ann.customer@example.com")
    tab.get_by_label("Only the components I choose").check()
    tab.get_by_label("Cards").check()
    fits(tab, f"subscribe-form-{width}")
    tab.get_by_role("button", name="Subscribe").click()
    assert "Check your inbox" in tab.locator("h1").inner_text()
    fits(tab, f"subscribe-sent-{width}")

    [mail] = mailoutbox
    assert mail.to == ["ann.customer@example.com"]
    link = re.search(r"https?://\S+/subscribe/confirm/\S+/", mail.body)[0]
    tab.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link))
    fits(tab, f"subscribe-confirm-{width}")
    assert not Subscriber.objects.get().is_confirmed  # opening the link is not enough
    tab.get_by_role("button", name="Confirm my subscription").click()
    assert "You are subscribed" in tab.locator("h1").inner_text()
    fits(tab, f"subscribe-confirmed-{width}")
    ann = Subscriber.objects.get()
    assert ann.is_notifiable and not ann.all_components and [c.name for c in ann.components.all()] == ["Cards"]

    tab.get_by_role("link", name="change your preferences now").click()
    assert tab.get_by_label("Cards").is_checked() and not tab.get_by_label("API").is_checked()
    fits(tab, f"subscribe-preferences-{width}")
    tab.get_by_role("button", name="Unsubscribe").click()
    assert "You are unsubscribed" in tab.locator("h1").inner_text()
    fits(tab, f"subscribe-unsubscribed-{width}")
    assert Subscriber.objects.get().suppression == Suppression.UNSUBSCRIBED
