"""Private incidents stay private in the admin: a staff user who is neither a member nor
allowed to manage private incidents finds no trace of one on any screen. The walk covers
every registered admin, so a screen added later cannot forget the rule."""

import logging

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from core.admin import RestrictedAdmin
from incidents import services
from incidents.models import Incident, Visibility
from incidents.services.groups import MANAGERS, RESPONDERS, VIEWERS
from notifications import services as notifications
from statuspages import services as pages
from tests.factories import UserFactory, declare, status_page
from tests.notifications.conftest import subscribe

pytestmark = pytest.mark.django_db

SECRET = "Vault breach 7f3a"
PUBLISHED = "Login trouble 5e1"
HIDDEN_FROM = ["viewer", "responder", "outsider"]
SEES = ["member", "manager"]


def incident_path(model, depth=0) -> str | None:
    """The lookup path from ``model`` to its incident through foreign keys ("" for
    incidents), or None if it hangs off none."""
    if model is Incident:
        return ""
    if depth == 4:
        return None
    for field in model._meta.get_fields():
        if field.many_to_one and field.concrete:
            rest = incident_path(field.related_model, depth + 1)
            if rest is not None:
                return f"{field.name}__{rest}"
    return None


def _in(group_name, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def world():
    """A private incident with an update, a page incident published about it with a
    notified update and its email; a public incident beside it; and one user of each kind."""
    secret = declare(SECRET, visibility=Visibility.PRIVATE)
    services.post_incident_update(incident=secret, actor=None, message="Door found open")
    services.create_follow_up(incident=secret, actor=None, title="Change the vault's lock")
    declare("Slow dashboard")
    page = status_page(components=["API"])
    subscribe(page, "reader@example.com")
    published = pages.publish_incident(
        actor=None, status_page=page, name=PUBLISHED, message="Looking into it.", incident=secret, notify_subscribers=True
    )
    notifications.fan_out(kind="incident", update_id=published.updates.get().pk)
    users = {
        "viewer": _in(VIEWERS, "viewer"),
        "responder": _in(RESPONDERS, "responder"),
        "outsider": _in(RESPONDERS, "outsider"),  # a responder on other incidents
        "member": _in(VIEWERS, "member"),
        "manager": _in(MANAGERS, "manager"),
    }
    services.add_incident_member(incident=secret, user=users["member"], actor=None)
    return secret, users


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def linked_admins():
    found = [(model, model_admin, incident_path(model)) for model, model_admin in admin.site._registry.items()]
    return [(model, model_admin, path) for model, model_admin, path in found if path is not None]


def test_every_admin_of_incident_linked_rows_applies_the_rule():
    linked = linked_admins()
    assert {model._meta.model_name for model, _, _ in linked} >= {
        "incident",
        "pageincident",
        "delivery",
        "notifiedincidentupdate",
    }
    for model, model_admin, _ in linked:
        assert isinstance(model_admin, RestrictedAdmin), f"{type(model_admin).__name__} shows {model.__name__} without the rule"


@pytest.mark.parametrize("who", HIDDEN_FROM + SEES)
def test_each_admin_shows_the_private_incidents_rows_to_members_and_managers_only(client, world, who):
    secret, users = world
    user = users[who]
    client.force_login(user)
    for model, model_admin, path in linked_admins():
        rows = model_admin.get_queryset(_request(user))
        everything = model._default_manager.all()
        secret_rows = everything.filter(**{f"{path}pk": secret.pk}).values_list("pk", flat=True)
        assert secret_rows, f"the fixture makes no {model.__name__} about the secret"
        shown = rows.filter(pk__in=list(secret_rows)).count()
        assert shown == (len(secret_rows) if who in SEES else 0), (model.__name__, who)
        if not model_admin.has_view_permission(_request(user)):
            continue
        opts = model._meta
        changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert changelist.status_code == 200
        # The count leaves out what is hidden.
        assert (
            changelist.context["cl"].result_count == rows.count() == everything.count() - (0 if who in SEES else len(secret_rows))
        )
        change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[secret_rows[0]]))
        assert change.status_code == (200 if who in SEES else 404), (model.__name__, who)
        history = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[secret_rows[0]]))
        assert history.status_code == (200 if who in SEES else 404), (model.__name__, who)


@pytest.mark.parametrize("who", HIDDEN_FROM)
def test_no_screen_names_a_private_incident_to_those_it_is_hidden_from(client, world, who):
    secret, users = world
    client.force_login(users[who])
    pages_seen = [reverse("admin:index"), reverse("admin:incidents_incident_changelist") + "?q=vault"]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        try:
            pages_seen.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        except NoReverseMatch:
            continue
    pages_seen.append(reverse("admin:statuspages_pageincident_publish") + f"?incident={secret.pk}")
    for url in pages_seen:
        body = client.get(url).content.decode()
        assert SECRET not in body and PUBLISHED not in body and secret.pk not in body, url


def test_the_front_pages_counts_leave_out_hidden_incidents(client, world):
    secret, users = world
    client.force_login(users["viewer"])
    hidden = client.get(reverse("admin:index")).context["charts"]["active_total"]
    client.force_login(users["manager"])
    assert client.get(reverse("admin:index")).context["charts"]["active_total"] == hidden + 1


def test_a_member_removed_loses_the_incident_and_its_trace_at_once(client, world):
    secret, users = world
    member = users["member"]
    member.groups.add(Group.objects.get(name=RESPONDERS))
    client.force_login(member)
    change_url = reverse("admin:incidents_incident_change", args=[secret.pk])
    posted = client.post(reverse("admin:incidents_incident_post_update", args=[secret.pk]), {"message": "Looking"})
    assert posted.status_code == 302
    assert SECRET in client.get(reverse("admin:index")).content.decode()  # in "Recent actions"
    services.revoke_incident_membership(incident=secret, user=member, actor=None)
    assert client.get(change_url).status_code == 404
    assert SECRET not in client.get(reverse("admin:index")).content.decode()


def test_a_refused_look_at_a_private_incident_is_audited(client, world, caplog):
    secret, users = world
    client.force_login(users["viewer"])
    with caplog.at_level(logging.WARNING, logger="audit"):
        assert client.get(reverse("admin:incidents_incident_change", args=[secret.pk])).status_code == 404
    assert f"user viewer was refused incident {secret.pk}" in caplog.text


def test_a_bulk_action_leaves_a_hidden_incident_alone(client, world):
    secret, users = world
    client.force_login(users["outsider"])
    response = client.post(
        reverse("admin:incidents_incident_changelist"), {"action": "close_incidents", "_selected_action": [secret.pk]}
    )
    assert response.status_code == 302
    secret.refresh_from_db()
    assert secret.status.category != "closed"
