"""Actions and the timeline from the incident console in a real browser, at 1366 and
768 px: a responder adds an action and ticks it done; notes a back-dated item that lands
between the updates, in the order things happened. No horizontal scroll. Screenshots
under test-artifacts/screenshots/."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from incidents import services
from incidents.models import Action, TimelineItem
from incidents.services.groups import RESPONDERS
from tests.browser.conftest import horizontal_overflow, log_in, screenshot
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-browser-123"


def _responder():
    responder = UserFactory(username="grace", first_name="Grace", last_name="Hopper")
    responder.set_password(PASSWORD)
    responder.save()
    responder.groups.add(Group.objects.get(name=RESPONDERS))
    return responder


@pytest.mark.parametrize("width", [1366, 768])
def test_a_responder_adds_an_action_and_ticks_it_done(open_page, live_server, width):
    responder = _responder()
    UserFactory(first_name="Ada", last_name="Byron", is_staff=True)
    incident = declare("Checkout fails for card payments")

    tab = open_page("/admin/login/", width=width)
    log_in(tab, live_server, "grace", PASSWORD)
    tab.goto(f"{live_server.url}/admin/incidents/incident/{incident.pk}/change/")
    assert "No actions yet." in tab.locator("#actions").inner_text()
    tab.fill("#actions input[name=action-description]", "Roll back payments-api to v411")
    tab.select_option("#actions select[name=action-assignee]", label="Ada Byron")
    tab.click("#actions input[type=submit]")
    tab.wait_for_selector("text=Action added.")
    assert "Roll back payments-api to v411 · Ada Byron · Outstanding" in tab.locator("#actions").inner_text()
    assert horizontal_overflow(tab) == 0
    screenshot(tab, f"admin-actions-added-{width}")

    tab.click("#actions button[aria-label='Mark action Roll back payments-api to v411 completed']")
    tab.wait_for_selector("text=is completed.")
    assert "0 outstanding of 1" in tab.locator("#actions").inner_text()
    screenshot(tab, f"admin-actions-ticked-{width}")
    action = Action.objects.get()
    assert (action.status, action.actor) == ("completed", responder)


@pytest.mark.parametrize("width", [1366, 768])
def test_the_timeline_interleaves_notes_and_updates_by_when_they_happened(open_page, live_server, width):
    _responder()
    incident = declare("Checkout fails for card payments")
    declared = incident.updates.get().created_at
    services.create_timeline_item(
        incident=incident, actor=None, title="Error rate started rising", occurred_at=declared - timedelta(minutes=30),
        idempotency_key="rise",
    )
    services.post_incident_update(incident=incident, actor=None, message="Rolling back payments-api")

    tab = open_page("/admin/login/", width=width)
    log_in(tab, live_server, "grace", PASSWORD)
    tab.goto(f"{live_server.url}/admin/incidents/incident/{incident.pk}/change/")
    # Back-dated to between the declaration and the rollback update.
    earlier = timezone.localtime(declared) - timedelta(minutes=10)
    tab.fill("#timeline input[name=note-title]", "Deploy 412 shipped")
    tab.fill("#timeline input[name=note-occurred_at]", earlier.strftime("%Y-%m-%dT%H:%M"))
    tab.click("#timeline input[type=submit]")
    tab.wait_for_selector("text=Noted on the timeline.")
    entries = [text for text in tab.locator("#timeline li.inc-entry").all_inner_texts()]
    order = [next(k for k in ("Rolling back", "Deploy 412", "Error rate", "") if k in text) for text in entries]
    # Newest first: the update, then the declaration, the back-dated note, the earliest note.
    assert order == ["Rolling back", "", "Deploy 412", "Error rate"], entries
    assert TimelineItem.objects.count() == 2
    assert horizontal_overflow(tab) == 0
    tab.locator("#timeline").scroll_into_view_if_needed()
    screenshot(tab, f"admin-timeline-interleaved-{width}")
