"""Who reads the audit log, and what they find: entries about a private incident only for
those who may see it; refused sign-ins and reads of private incidents recorded; the
screen read-only and filtered by actor, target and time."""

import pytest
from django.contrib.auth.models import Group

from audit.models import AuditEntry
from core import audit
from core.audit import ActorKind
from incidents import services
from incidents.models import Incident, Visibility
from incidents.services.groups import MANAGERS, RESPONDERS
from tests.factories import UserFactory, declare

pytestmark = pytest.mark.django_db

SECRET = "Vault breach 7f3a"


def _staff(group, username):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    user.user_permissions.add(*Group.objects.get(name=MANAGERS).permissions.filter(codename="view_auditentry"))
    return user


@pytest.fixture
def secret():
    incident = declare(SECRET, visibility=Visibility.PRIVATE)
    services.post_incident_update(incident=incident, actor=None, message="Door found open")
    return incident


def test_entries_of_a_private_incident_are_only_for_those_who_may_see_it(secret, client):
    public = declare("Slow dashboard")
    outsider = _staff(RESPONDERS, "outsider")
    member = _staff(RESPONDERS, "member")
    services.add_incident_member(incident=secret, user=member, actor=None)
    manager = _staff(MANAGERS, "manager")
    about_secret = AuditEntry.objects.filter(incident=secret)
    assert about_secret.count() >= 2  # the incident and its update at least

    def incident_ids(user):
        return set(AuditEntry.objects.restrict(user).exclude(incident=None).values_list("incident_id", flat=True))

    assert incident_ids(outsider) == {public.pk}
    assert incident_ids(manager) == {public.pk, secret.pk}
    assert incident_ids(member) == {public.pk, secret.pk}

    client.force_login(outsider)
    listing = client.get("/admin/audit/auditentry/", {"q": "Vault"})
    assert listing.status_code == 200 and SECRET not in listing.content.decode()
    entry = about_secret.first()
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code in (302, 404)
    client.force_login(manager)
    assert SECRET in client.get("/admin/audit/auditentry/", {"q": "Vault"}).content.decode()


def test_an_incident_made_private_hides_its_past_entries(client):
    incident = declare("Was public")
    outsider = _staff(RESPONDERS, "outsider")
    assert AuditEntry.objects.restrict(outsider).filter(incident=incident).exists()
    Incident.objects.filter(pk=incident.pk).update(visibility=Visibility.PRIVATE)
    assert not AuditEntry.objects.restrict(outsider).filter(incident=incident).exists()


def test_a_deleted_incidents_entries_stay_for_those_who_see_every_incident(secret):
    manager, outsider = _staff(MANAGERS, "manager"), _staff(RESPONDERS, "outsider")
    incident_id = secret.pk
    secret.delete()  # as the admin deletes one
    assert AuditEntry.objects.filter(incident_id=incident_id, action=AuditEntry.Action.DELETE, target_type="incident").exists()
    assert AuditEntry.objects.restrict(manager).filter(incident_id=incident_id).count() >= 3
    assert not AuditEntry.objects.restrict(outsider).filter(incident_id=incident_id).exists()


def test_reading_a_private_incident_in_the_admin_is_recorded(secret, client):
    manager = _staff(MANAGERS, "manager")
    client.force_login(manager)
    assert client.get(f"/admin/incidents/incident/{secret.pk}/change/", REMOTE_ADDR="198.51.100.4").status_code == 200
    (entry,) = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS)
    assert (entry.actor, entry.incident_id, entry.remote_addr) == (manager, secret.pk, "198.51.100.4")
    assert entry.additional_data == {"outcome": "granted"}


def test_a_refused_read_of_a_private_incident_is_recorded_and_hidden_from_the_one_refused(secret, client):
    outsider = _staff(RESPONDERS, "outsider")
    client.force_login(outsider)
    assert client.get(f"/admin/incidents/incident/{secret.pk}/change/").status_code == 404
    (entry,) = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS)
    assert (entry.actor, entry.additional_data) == (outsider, {"outcome": "denied"})
    assert not AuditEntry.objects.restrict(outsider).filter(pk=entry.pk).exists()


def test_a_public_incident_read_is_not_recorded(client, staff):
    incident = declare("Public")
    client.force_login(staff)
    assert client.get(f"/admin/incidents/incident/{incident.pk}/change/").status_code == 200
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).exists()


def test_a_failed_sign_in_is_recorded_with_the_address_and_user_agent(client, staff):
    response = client.post(
        "/admin/login/", {"username": "staff", "password": "wrong"}, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="curl/8"
    )
    assert response.status_code == 200
    (entry,) = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED)
    assert (entry.actor_kind, entry.actor_name, entry.object_pk) == (ActorKind.ANONYMOUS, "staff", str(staff.pk))
    assert (entry.remote_addr, entry.user_agent, entry.target_type) == ("203.0.113.9", "curl/8", "user")


def test_a_sign_in_for_no_such_user_is_recorded_too(client):
    client.post("/admin/login/", {"username": "ghost", "password": "wrong"})
    (entry,) = AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED)
    assert (entry.actor_name, entry.object_pk, entry.object_repr) == ("ghost", "", "ghost")


def test_the_audit_screen_is_read_only(staff_client):
    declare("Something")
    entry = AuditEntry.objects.first()
    assert staff_client.get("/admin/audit/auditentry/add/").status_code == 403
    assert staff_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    page = staff_client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert page.status_code == 200 and b'type="submit" value="Save"' not in page.content


def test_the_audit_screen_filters_by_actor_target_and_time(staff_client, staff):
    declare("By the system")
    with audit.acting(audit.AuditContext(actor=lambda: audit.Actor(ActorKind.USER, user=staff))):
        declare("By staff", actor=staff)
    by_staff = staff_client.get("/admin/audit/auditentry/", {"actor__id__exact": staff.pk, "target_type": "incident"})
    assert by_staff.status_code == 200
    shown = by_staff.context["cl"].queryset
    assert {entry.object_repr.split(" ", 1)[-1] for entry in shown} == {"By staff"}
    system = staff_client.get("/admin/audit/auditentry/", {"actor_kind": "system", "target_type": "incident"}).context["cl"].queryset
    assert all(entry.actor_kind == "system" for entry in system) and system.count() == 1
    later = staff_client.get("/admin/audit/auditentry/", {"timestamp__gte": "2999-01-01T00:00:00Z"}).context["cl"].queryset
    assert later.count() == 0


def test_every_refused_sign_in_is_recorded_also_once_locked_out(client, staff, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    tries = settings.LOGIN_FAILURE_LIMIT + 2
    statuses = [client.post("/admin/login/", {"username": "staff", "password": "wrong"}).status_code for _ in range(tries)]
    assert statuses[-1] == 429  # locked out (core/login_lockout.py)
    # the right password while locked out is refused, and recorded, too
    assert client.post("/admin/login/", {"username": "staff", "password": "pw-staff-123"}).status_code == 429
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, actor_name="staff").count() == tries + 1
