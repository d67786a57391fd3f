import socket
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from core import services
from core.models import ApiKey
from incidents.models import CustomField, Incident, IncidentUpdate

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_createapikey_prints_the_token_alone_on_the_last_line():
    output = _run("createapikey", "--name", "CI", "--roles", "viewer,incident_creator")
    token = output.strip().splitlines()[-1]
    key = services.authenticate_token(token)
    assert key is not None and key.name == "CI"
    assert key.roles == ["viewer", "incident_creator"]
    assert key.token_hash == ApiKey.hash_token(token)


def test_createapikey_refuses_unknown_roles():
    with pytest.raises(CommandError):
        _run("createapikey", "--name", "bad", "--roles", "root")
    assert not ApiKey.objects.exists()


def _snapshot():
    return (
        sorted(Incident.objects.values_list("id", "name", "status_id", "updated_at")),
        IncidentUpdate.objects.count(),
        CustomField.objects.count(),
        User.objects.count(),
    )


def test_loaddemo_is_idempotent():
    _run("loaddemo")
    first = _snapshot()
    assert len(first[0]) >= 5 and first[1] > len(first[0])
    _run("loaddemo")
    assert _snapshot() == first


def test_loaddemo_includes_a_private_incident_and_a_closed_one():
    _run("loaddemo")
    assert Incident.objects.filter(visibility="private").exists()
    # Its declarer and lead are its members: someone besides the managers sees it.
    assert Incident.objects.get(visibility="private").memberships.count() >= 1
    assert Incident.objects.filter(status__category="closed").exists()


def test_quickstart_without_running_sets_up_and_prints_a_login():
    output = _run("quickstart", "--no-run")
    line = next(line for line in output.splitlines() if "password:" in line)
    password = line.rsplit("password:", 1)[1].strip()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(password)
    assert Incident.objects.exists()


def test_quickstart_on_a_busy_port_refuses_before_changing_anything():
    User.objects.create_superuser("admin", "admin@example.com", "the-old-password")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(CommandError, match="--addrport"):
            _run("quickstart", "--addrport", f"127.0.0.1:{port}")
    assert User.objects.get(username="admin").check_password("the-old-password")
    assert not Incident.objects.exists()


def test_loaddemo_timelines_read_like_real_incidents():
    _run("loaddemo")
    assert Incident.objects.filter(status__category="closed").exclude(postmortem_content="").exists()
    assert Incident.objects.filter(status__category__in=["triage", "live"]).exists()
    spans = []
    for incident in Incident.objects.all():
        times = list(incident.updates.order_by("created_at").values_list("created_at", flat=True))
        # Never two entries of one timeline in the same minute.
        assert all((later - earlier).total_seconds() >= 60 for earlier, later in zip(times, times[1:])), incident.name
        spans.append(times[-1] - times[0])
    assert max(spans).days >= 1
