"""Facts the status pages announce.

``page_changed`` (``status_page_ids``: the pages whose public face changed, or None for
every page, as when a shared component changes): the public site's caches follow it.
``update_published`` (``update``: a PageIncidentUpdate or MaintenanceUpdate whose
``notify_subscribers`` is set): notifications picks it up, on commit, and a periodic
sweep catches whatever was missed (``notified_at`` is the outbox's mark).
"""

from django.dispatch import Signal

page_changed = Signal()
update_published = Signal()
