"""A private incident in a real browser: its lead adds a colleague from the Members card,
the colleague then sees it; once removed, the colleague's link answers 404. Screenshots
under test-artifacts/screenshots/."""

import pytest
from django.contrib.auth.models import Group

from incidents.models import IncidentRole, RoleType, Visibility
from incidents.services.groups import RESPONDERS, VIEWERS
from tests.browser.conftest import horizontal_overflow, log_in, screenshot
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-browser-123"


def _user(username, group_name, first_name, last_name):
    user = UserFactory(username=username, first_name=first_name, last_name=last_name)
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_a_member_adds_a_colleague_who_sees_it_until_removed(open_page, live_server):
    lead = _user("grace", RESPONDERS, "Grace", "Hopper")
    colleague = _user("ada", VIEWERS, "Ada", "Byron")
    incident = declare(
        "Suspicious login attempts on admin accounts",
        visibility=Visibility.PRIVATE,
        role_assignments={IncidentRole.objects.get(role_type=RoleType.LEAD): lead},
    )
    change = f"{live_server.url}/admin/incidents/incident/{incident.pk}/change/"

    theirs = open_page("/admin/login/")
    log_in(theirs, live_server, "ada", PASSWORD)
    assert theirs.goto(change).status == 404  # not a member yet: it does not exist
    theirs.goto(f"{live_server.url}/admin/incidents/incident/")
    assert "Suspicious login" not in theirs.content()

    mine = open_page("/admin/login/")
    log_in(mine, live_server, "grace", PASSWORD)
    mine.goto(change)
    members = mine.locator("#members")
    assert "Grace Hopper" in members.inner_text()
    mine.select_option("#members select[name=user]", label="Ada Byron")
    mine.click("#members input[type=submit]")
    mine.wait_for_selector("text=Ada Byron is now a member.")
    assert "Ada Byron" in mine.locator("#members").inner_text()
    assert horizontal_overflow(mine) == 0
    screenshot(mine, "admin-private-incident-members-1366")

    assert theirs.goto(change).status == 200
    assert "Suspicious login attempts" in theirs.locator(".inc-header").inner_text()
    screenshot(theirs, "admin-private-incident-seen-by-member-1366")

    mine.goto(change)
    mine.click("#members button[aria-label='Remove Ada Byron']")
    mine.wait_for_selector("text=Ada Byron is no longer a member.")
    assert theirs.goto(change).status == 404
    screenshot(theirs, "admin-private-incident-404-after-revoke-1366")
