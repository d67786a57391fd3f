"""Who may see a private incident besides those allowed to manage private incidents: its
members (staff users), as incident.io's incident memberships."""

from django.conf import settings
from django.db import models

from core.models.api_keys import ApiKey
from core.models.base import TimestampedModel

from .incidents import Incident
from .visibility import IncidentLinkedQuerySet


class IncidentMembership(TimestampedModel):
    """A user made a member of a private incident: by declaring it, leading it, holding a
    role on it, or added by a member (from the console) or an API key."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="incident_memberships")
    added_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by_api_key = models.ForeignKey(ApiKey, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = IncidentLinkedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["incident", "user"], name="one_membership_per_user")]

    def __str__(self):
        return f"{self.user} on {self.incident.reference}"
