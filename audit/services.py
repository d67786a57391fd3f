"""The audit log's writes beyond what django-auditlog records by itself: refused sign-ins,
reads of private incidents, and the purge of entries past their retention."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from audit.models import AuditEntry
from core import audit


def record_failed_login(*, username: str, request=None) -> AuditEntry:
    """One entry per refused sign-in: the username tried (the user's row when one has
    it), the client's address and user agent. Nobody is signed in: the actor is the
    anonymous visitor who tried."""
    User = get_user_model()
    user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    context = (
        audit.request_context(request, lambda: audit.Actor(audit.ActorKind.ANONYMOUS, name=username))
        if request is not None
        else audit.AuditContext(actor=lambda: audit.Actor(audit.ActorKind.ANONYMOUS, name=username))
    )
    with audit.acting(context):
        return AuditEntry.objects.log_create(
            user or User(**{User.USERNAME_FIELD: username}),
            force_log=True,
            action=AuditEntry.Action.LOGIN_FAILED,
            content_type=ContentType.objects.get_for_model(User),
            object_pk=str(user.pk) if user else "",
            object_id=user.pk if user else None,
            object_repr=username,
            serialized_data=None,
            target_type="user",
            changes={},
        )


def record_access(*, instance) -> AuditEntry:
    """A read of ``instance`` (a private incident opened in the admin), by whoever acts."""
    return AuditEntry.objects.log_create(instance, force_log=True, action=AuditEntry.Action.ACCESS, changes={})


def purge_audit_log(*, now=None) -> int:
    """Entries older than AUDIT_LOG_RETENTION_DAYS go; returns how many did."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_LOG_RETENTION_DAYS)
    deleted, _ = AuditEntry.objects.filter(timestamp__lt=cutoff).delete()
    return deleted
