"""Timeline items: what happened when, noted by responders.

Rules enforced here:
- an item has a title and the moment it happened, which may be in the past (back-dated)
  but not in the future;
- a create repeated with the same idempotency key for the same incident answers the
  first item and changes nothing, concurrent repeats included (a unique constraint).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import DomainError
from core.services.actors import Actor, actor_fields
from incidents.models import Incident, TimelineItem

#: the fields ``update_timeline_item`` may change
EDITABLE = frozenset({"title", "description", "occurred_at"})
#: clocks drift: a moment this far ahead of ours still counts as now
CLOCK_SKEW = timedelta(minutes=5)


def _clean(fields: dict) -> dict:
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"Unknown timeline item fields: {sorted(unknown)}")
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            raise DomainError("missing_title", "A timeline item needs a title", field="title")
    if "occurred_at" in fields and fields["occurred_at"] > timezone.now() + CLOCK_SKEW:
        raise DomainError("invalid_value", "A timeline item cannot happen in the future", field="timestamp")
    return fields


def create_timeline_item(
    *, incident: Incident, actor: Actor | None, title: str, occurred_at: datetime, idempotency_key: str, description: str = ""
) -> tuple[TimelineItem, bool]:
    """The item, and whether this call created it (False: a repeat of ``idempotency_key``)."""
    if not idempotency_key.strip():
        raise DomainError("missing_idempotency_key", "A timeline item needs an idempotency key", field="idempotency_key")
    first = TimelineItem.objects.filter(incident=incident, idempotency_key=idempotency_key).first()
    if first is not None:
        return first, False
    fields = _clean({"title": title, "description": description, "occurred_at": occurred_at})
    item = TimelineItem(incident=incident, idempotency_key=idempotency_key, **fields, **actor_fields(actor, "actor"))
    item.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            item.save(force_insert=True)
    except IntegrityError:
        # A concurrent repeat inserted first.
        return TimelineItem.objects.get(incident=incident, idempotency_key=idempotency_key), False
    return item, True


def update_timeline_item(*, item: TimelineItem, actor: Actor | None, **fields) -> TimelineItem:
    for name, value in _clean(fields).items():
        setattr(item, name, value)
    item.full_clean(validate_constraints=False)
    item.save()
    return item


def delete_timeline_item(*, item: TimelineItem, actor: Actor | None) -> None:
    """Take a mistaken note off the timeline (the admin's delete; the API has no delete)."""
    item.delete()
