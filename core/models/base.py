"""What every model here builds on: ULID primary keys, creation and update times, and the
actor (a staff user or an API key) behind a recorded change."""

from django.db import models
from ulid import ULID

from core.models.audited import AuditedQuerySet


def new_ulid() -> str:
    return str(ULID())


class UlidModel(models.Model):
    id = models.CharField(primary_key=True, max_length=26, default=new_ulid, editable=False)

    #: update() and bulk_create() audited like save() (core.models.audited)
    objects = AuditedQuerySet.as_manager()

    class Meta:
        abstract = True


class TimestampedModel(UlidModel):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ActorMixin(models.Model):
    """Who did something: a staff user or an API key (never both)."""

    class Meta:
        abstract = True

    @property
    def actor(self):
        return self.actor_user if self.actor_user_id else self.actor_api_key
