"""Who may see which incident: the one rule, on the querysets of incidents and of every
model that hangs off one (``core.models.restricted``'s ``restrict()``)."""

from django.db import models
from django.db.models import Q

from core.models.restricted import RestrictedQuerySet


class Visibility(models.TextChoices):
    PUBLIC = "public"
    PRIVATE = "private"


def visible_to(viewer, *, via: str = "") -> Q:
    """Which incidents ``viewer`` (an API key) may see: private ones only if it holds
    global access. ``via`` is the path from the model queried to its incident
    (``"incident__"``)."""
    if viewer.sees_private_incidents:
        return Q()
    return Q(**{f"{via}visibility": Visibility.PUBLIC})


class IncidentQuerySet(RestrictedQuerySet):
    #: the path from the model to its incident: "" for incidents, "incident__" for a row
    #: with a foreign key to one
    incident_path = ""

    def visible_rows(self, viewer):
        return self.filter(visible_to(viewer, via=self.incident_path))


class IncidentLinkedQuerySet(IncidentQuerySet):
    """Rows of one incident (its updates, role assignments, values): seen with it."""

    incident_path = "incident__"
