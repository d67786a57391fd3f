"""Writes that bypass model signals, audited all the same.

django-auditlog (docs/audit-log.md) records what ``save()`` and ``delete()`` do through
model signals; ``QuerySet.update()`` and ``bulk_create()`` send none, and the services use
both (a conditional update that claims a row, role assignments made in bulk). The
managers of audited models are built from this queryset, which writes the same entries
for those two: one per row, with the row's before and after.

A model auditlog does not track (deliveries, counters) takes the plain path at the cost
of one registry lookup.
"""

from auditlog import get_logentry_model
from auditlog.context import auditlog_disabled
from auditlog.diff import model_instance_diff
from auditlog.registry import auditlog
from django.db import models

#: keys per existence check after a bulk insert that ignored conflicts (SQLite's limit on
#: a statement's parameters is far above it)
_CHECK_BATCH = 5000


def _audited(model) -> bool:
    return auditlog.contains(model) and not auditlog_disabled.get()


def _tracked(model, names) -> list[str]:
    """Of the fields ``names`` an update writes, those the model's entries record: an
    update of untracked fields alone (an API key's ``last_used_at``) costs nothing more."""
    fields = [model._meta.get_field(name).name for name in names]
    registered = auditlog.get_model_fields(model)
    if registered["include_fields"]:
        fields = [name for name in fields if name in registered["include_fields"]]
    return [name for name in fields if name not in registered["exclude_fields"]]


def _action(name: str) -> int:
    return getattr(get_logentry_model().Action, name)


def _log(rows) -> None:
    """Entries for ``(instance, action, changes)`` rows: in one insert where the entry
    model's manager can (audit.models.AuditEntryManager.log_create_many)."""
    entries = get_logentry_model().objects
    if not rows:
        return
    if hasattr(entries, "log_create_many"):
        entries.log_create_many(rows)
        return
    for instance, action, changes in rows:
        entries.log_create(instance, action=action, changes=changes)


class AuditedQuerySet(models.QuerySet):
    def update(self, **kwargs):
        fields = _tracked(self.model, kwargs) if _audited(self.model) else []
        if not fields:
            return super().update(**kwargs)
        # The rows as they were (one query), the update as the caller wrote it (its
        # conditions decide what it changes and the count it returns), then the rows as
        # they are: expressions (F("attempts") + 1) are recorded by their outcome.
        base = self.model._base_manager
        before = {row.pk: row for row in base.filter(pk__in=self.values("pk"))}
        count = super().update(**kwargs)
        if before:
            rows = []
            for row in base.filter(pk__in=list(before)):
                changes = model_instance_diff(before[row.pk], row, fields_to_check=fields, use_json_for_changes=True)
                if changes:
                    rows.append((row, _action("UPDATE"), changes))
            _log(rows)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if _audited(self.model):
            made = [row for row in created if row.pk is not None]
            if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
                # A ULID key is set before the insert: only rows now there were made.
                there = set()
                for start in range(0, len(made), _CHECK_BATCH):
                    chunk = [row.pk for row in made[start : start + _CHECK_BATCH]]
                    there.update(self.model._base_manager.filter(pk__in=chunk).values_list("pk", flat=True))
                made = [row for row in made if row.pk in there]
            _log([(row, _action("CREATE"), model_instance_diff(None, row, use_json_for_changes=True)) for row in made])
        return created
