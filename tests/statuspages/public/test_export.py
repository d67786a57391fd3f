"""A page's public site exported as plain files (statuspages/export/): the same bytes the
live site serves, only what an anonymous reader may see, replaced atomically, once per
burst of changes; and ``manage.py exportstatus``."""

import gzip
import os
from datetime import timedelta

import pytest
from celery.signals import after_task_publish
from django.core.management import CommandError, call_command
from django.utils import timezone

from statuspages import export, services, tasks
from statuspages.models import Visibility

from .conftest import component, incident, maintenance

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(page):
    """A page with an incident under way, a resolved one, a staff-only one and maintenance."""
    return {
        "open": incident(page, name="Cards declined", statuses={"Cards": "partial_outage"}),
        "staff-only": incident(page, name="Secret migration trouble", visibility=Visibility.STAFF),
        "maintenance": maintenance(page),
    }


@pytest.fixture
def frozen_now(monkeypatch):
    """The clock stopped from here on: today's availability under an open impact, which
    the plain backend renders afresh for each request, is the same for the export and for
    the live request it is compared with."""
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


def files_of(root):
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*") if path.is_file() and not path.name.endswith(".gz")
    }


def test_every_exported_file_is_what_the_live_site_serves(client, page, site, tmp_path, speed, frozen_now):
    written = export.export_to(page, tmp_path / "acme")
    root = tmp_path / "acme"
    paths = export.site.routes(page)
    assert f"/status/acme/incidents/{site['open'].pk}/" in paths
    for path in paths:
        live = client.get(path)
        assert live.status_code == 200, path
        assert (root / export.site.file_for(path)).read_bytes() == live.content, path
    types = {file.path: file.content_type for file in written}
    assert types["status/acme/index.html"] == "text/html; charset=utf-8"
    assert types["status/acme/api/v2/summary.json"] == "application/json"
    assert types["status/acme/feed.atom"].startswith("application/atom+xml")
    assert (root / "index.html").read_bytes() == client.get("/status/acme/").content
    assert b"Cards declined" in (root / "status/acme/index.html").read_bytes()


def test_the_export_carries_the_styles_its_pages_link_and_gzipped_copies(page, site, tmp_path):
    export.export_to(page, tmp_path / "acme")
    root = tmp_path / "acme"
    front = (root / "index.html").read_bytes()
    assert b'href="/static/statuspages/status.css"' in front
    assert (root / "static/statuspages/status.css").read_bytes().startswith(b"")
    assert (root / "static/statuspages/status.css").stat().st_size > 1000
    assert gzip.decompress((root / "status/acme/index.html.gz").read_bytes()) == (root / "status/acme/index.html").read_bytes()
    assert (root / "404.html").read_bytes().count(b"Acme status") >= 1


def test_staff_only_incidents_are_in_no_exported_file(page, site, tmp_path):
    export.export_to(page, tmp_path / "acme")
    found = files_of(tmp_path / "acme")
    assert not [name for name, body in found.items() if b"Secret migration trouble" in body]
    assert not [name for name in found if site["staff-only"].pk in name]
    assert f"status/acme/incidents/{site['open'].pk}/index.html" in found


def test_a_private_page_is_not_exported(page, tmp_path):
    services.save_status_page(actor=None, page=page, is_public=False)
    with pytest.raises(CommandError, match="only public pages"):
        call_command("exportstatus", "acme", str(tmp_path / "acme"))
    assert not (tmp_path / "acme").exists()


def test_the_history_s_older_pages_are_written_beside_the_first(page, tmp_path, client):
    when = timezone.now() - timedelta(days=200)
    services.publish_retrospective_incident(
        actor=None, status_page=page, name="Long ago", updates=[
            services.PastUpdate("investigating", "Looking.", when),
            services.PastUpdate("resolved", "Fixed.", when + timedelta(hours=1)),
        ],
    )
    export.export_to(page, tmp_path / "acme")
    history = tmp_path / "acme/status/acme/history"
    older = sorted(p.name for p in history.iterdir() if p.name[0].isdigit() and p.suffix == ".html")
    assert older and b"Long ago" in b"".join((history / name).read_bytes() for name in older)
    assert (history / older[0]).read_bytes() == client.get("/status/acme/history/?page=2").content


def test_an_export_replaces_the_last_one_atomically_and_leaves_nothing_behind(page, tmp_path):
    target = tmp_path / "acme"
    call_command("exportstatus", "acme", str(target))
    first = os.readlink(target)
    incident(page, name="Second thoughts")
    call_command("exportstatus", "acme", str(target))
    assert target.is_symlink() and os.readlink(target) != first
    assert b"Second thoughts" in (target / "index.html").read_bytes()
    trees = [p.name for p in tmp_path.iterdir() if p.is_dir() and not p.is_symlink()]
    assert trees == [os.readlink(target)]  # the old tree is gone


def test_a_directory_that_is_not_an_export_is_never_overwritten(page, tmp_path):
    precious = tmp_path / "site"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="not an export"):
        call_command("exportstatus", "acme", str(precious))
    assert (precious / "keep.txt").read_text() == "mine"
    pointer = tmp_path / "pointer"  # a symlink an export did not make: its target is not ours
    pointer.symlink_to(precious)
    with pytest.raises(CommandError, match="not an export"):
        call_command("exportstatus", "acme", str(pointer))
    assert (precious / "keep.txt").read_text() == "mine" and os.readlink(pointer) == str(precious)
    empty = tmp_path / "empty"
    empty.mkdir()
    call_command("exportstatus", "acme", str(empty))
    assert empty.is_symlink() and (empty / "index.html").exists()


@pytest.fixture
def published():
    """The tasks sent to the broker (kombu's in-memory transport, no worker), by name."""
    from tests.notifications.conftest import use_broker

    before = use_broker("memory://")
    sent = []

    def seen(sender=None, headers=None, **kwargs):
        sent.append((sender, headers.get("eta") is not None, headers["argsrepr"]))

    after_task_publish.connect(seen, weak=False, dispatch_uid="export-test")
    yield sent
    after_task_publish.disconnect(dispatch_uid="export-test")
    use_broker(before)


def test_a_burst_of_changes_is_exported_once_after_a_delay(page, settings, tmp_path, published, django_capture_on_commit_callbacks):
    settings.STATUSPAGES_EXPORT_DIR = tmp_path
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            incident(page, name=f"Burst {n}")
    assert published == [("statuspages.tasks.export_page", True, f"('{page.pk}',)")]
    tasks.export_page(page.pk)  # the worker runs it
    assert b"Burst 4" in (tmp_path / "acme/index.html").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        incident(page, name="After the burst")
    assert len(published) == 2  # a change once the export began asks for another


def test_a_shared_component_s_change_exports_every_page(page, settings, tmp_path, published, django_capture_on_commit_callbacks):
    settings.STATUSPAGES_EXPORT_DIR = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        services.update_component(actor=None, component=component(page, "API"), name="Public API")
    assert [name for name, _, _ in published] == ["statuspages.tasks.export_every_page"]
    tasks.export_every_page()
    assert b"Public API" in (tmp_path / "acme/index.html").read_bytes()


def test_nothing_is_sent_while_exports_are_off(page, settings, published, django_capture_on_commit_callbacks):
    settings.STATUSPAGES_EXPORT_DIR = None
    with django_capture_on_commit_callbacks(execute=True):
        incident(page)
    assert published == []


def test_a_page_gone_private_is_taken_down_and_the_sweep_catches_what_was_missed(page, settings, tmp_path):
    settings.STATUSPAGES_EXPORT_DIR = tmp_path
    assert tasks.sweep_exports() == 1  # never exported
    assert (tmp_path / "acme/index.html").exists()
    assert tasks.sweep_exports() == 0  # nothing changed since
    services.save_status_page(actor=None, page=page, is_public=False)
    tasks.sweep_exports()
    assert not (tmp_path / "acme").exists() and list(tmp_path.iterdir()) == [tmp_path / ".acme.lock"]
