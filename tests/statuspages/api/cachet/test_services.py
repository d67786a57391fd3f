"""The services this dialect added: correcting and deleting a maintenance's updates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import DomainError
from statuspages import services
from statuspages.services.maintenance import delete_maintenance_update, edit_maintenance_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def maintenance(site):
    starts_at = timezone.now() + timedelta(days=1)
    return services.schedule_maintenance(
        actor=None, status_page=site, name="Upgrade", message="Planned", starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
    )


def test_an_update_is_corrected_and_announced(maintenance):
    from statuspages.signals import page_changed

    seen = []
    page_changed.connect(lambda sender, status_page_ids, **kw: seen.append(status_page_ids), weak=False, dispatch_uid="cachet-test")
    try:
        update = maintenance.updates.get()
        edit_maintenance_update(actor=None, update=update, message="Planned for Friday")
    finally:
        page_changed.disconnect(dispatch_uid="cachet-test")
    update.refresh_from_db()
    assert update.message == "Planned for Friday"
    assert seen == [[maintenance.status_page_id]]


def test_a_maintenance_keeps_at_least_one_update(maintenance):
    later = services.post_maintenance_update(actor=None, maintenance=maintenance, message="Still on")
    delete_maintenance_update(actor=None, update=later)
    with pytest.raises(DomainError) as refused:
        delete_maintenance_update(actor=None, update=maintenance.updates.get())
    assert refused.value.code == "last_update"
    assert maintenance.updates.count() == 1
