"""The audit log's one table: django-auditlog's entry (its AUDITLOG_LOGENTRY_MODEL) with what
this project adds: who acted when it is no user (an API key, a task), the user agent, the
incident an entry belongs to (for who may read it) and incident.io's name for the target."""

from contextvars import ContextVar

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from core import audit
from core.models.restricted import RestrictedQuerySet
from incidents.models.visibility import sees_every_incident, visible_to


class AuditEntryQuerySet(RestrictedQuerySet):
    def visible_rows(self, viewer):
        """Entries about no incident, and those about an incident ``viewer`` may see
        (incidents.models.visibility, read now: an incident made private hides its past
        entries too). An incident deleted since is seen only by those who see every
        incident."""
        if sees_every_incident(viewer):
            return self.all()
        return self.filter(Q(incident__isnull=True) | visible_to(viewer, via="incident__"))


#: entries being gathered for one insert (AuditEntryManager.log_create_many), else None
_gathering: ContextVar[list | None] = ContextVar("audit_gathering", default=None)


class AuditEntryManager(LogEntryManager.from_queryset(AuditEntryQuerySet)):
    def log_create_many(self, rows) -> list:
        """One entry per ``(instance, action, changes)``, written in one insert: a bulk
        write or an update of many rows costs one query more, whatever their number."""
        gathered: list = []
        token = _gathering.set(gathered)
        try:
            for instance, action, changes in rows:
                self.log_create(instance, action=action, changes=changes)
        finally:
            _gathering.reset(token)
        return self.bulk_create(gathered) if gathered else []

    def create(self, **kwargs):
        gathered = _gathering.get()
        if gathered is None:
            return super().create(**kwargs)
        entry = self.model(**kwargs)
        gathered.append(entry)
        return entry

    def log_create(self, instance, force_log: bool = False, **kwargs):
        """auditlog's entry, with the acting context (core/audit.py) filled in."""
        from audit import registry

        context = audit.current()
        actor = audit.current_actor()
        kwargs.setdefault("actor_kind", actor.kind)
        if actor.user is not None:
            kwargs.setdefault("actor", actor.user)
            kwargs.setdefault("actor_email", getattr(actor.user, "email", "") or None)
        kwargs.setdefault("api_key", actor.api_key)
        kwargs.setdefault("actor_name", _actor_name(actor))
        if context is not None:
            kwargs.setdefault("remote_addr", context.remote_addr or None)
            kwargs.setdefault("user_agent", context.user_agent)
            kwargs.setdefault("task", context.task)
        # Every tracked model's content type in one query the first time (then from
        # Django's cache): a write costs the same whichever models it touched before.
        kwargs.setdefault("content_type", ContentType.objects.get_for_models(type(instance), *registry.BY_MODEL)[type(instance)])
        spec = registry.tracked(type(instance))
        kwargs.setdefault("target_type", spec.type if spec else instance._meta.model_name)
        kwargs.setdefault("incident_id", registry.incident_id_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)


def _actor_name(actor: audit.Actor) -> str:
    if actor.user is not None:
        return actor.user.get_username()
    if actor.api_key is not None:
        return actor.api_key.name
    return actor.name


class AuditEntry(AbstractLogEntry):
    class Action(AbstractLogEntry.Action):
        #: a sign-in refused (a wrong password, a locked-out address)
        LOGIN_FAILED = 10
        choices = (*AbstractLogEntry.Action.choices, (LOGIN_FAILED, "login failed"))

    action = models.PositiveSmallIntegerField(choices=Action.choices, verbose_name="action", db_index=True)
    actor_kind = models.CharField(max_length=16, default=audit.ActorKind.SYSTEM, db_index=True)
    #: the actor as named when it acted (a user's username, a key's name, a task's name)
    actor_name = models.CharField(max_length=200, blank=True, db_index=True)
    api_key = models.ForeignKey("core.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    user_agent = models.CharField(max_length=512, blank=True)
    #: the Celery task the change was made in, when one was
    task = models.CharField(max_length=200, blank=True)
    #: incident.io's name for the target (audit.registry)
    target_type = models.CharField(max_length=64, db_index=True)
    #: the incident the target belongs to. No constraint: the entry outlives the incident
    #: and keeps its id (the entry is then hidden from those who may not see every incident).
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"
        indexes = [models.Index(fields=["-timestamp", "-id"], name="audit_entry_recent")]
