"""Who may see which incident: the one rule, on the querysets of incidents and of every
model that hangs off one (``core.models.restricted``'s ``restrict()``), for API keys and
staff users alike."""

from django.apps import apps
from django.db import models
from django.db.models import Q

from core.models.api_keys import ApiKey
from core.models.restricted import RestrictedQuerySet

#: the permission that shows every private incident to a staff user
MANAGE_PRIVATE = "incidents.manage_private_incidents"


class Visibility(models.TextChoices):
    PUBLIC = "public"
    PRIVATE = "private"


def sees_every_incident(viewer) -> bool:
    """An API key with global access; an active superuser, or a staff user allowed to
    manage private incidents (the ``Incident managers`` group)."""
    if viewer is None:  # an API request with no key (Cachet's guests)
        return False
    if isinstance(viewer, ApiKey):
        return viewer.sees_private_incidents
    return bool(viewer.is_active and (viewer.is_superuser or viewer.has_perm(MANAGE_PRIVATE)))


def visible_to(viewer, *, via: str = "") -> Q:
    """Which incidents ``viewer`` may see: every public one; a private one only if
    ``viewer`` sees every incident (``sees_every_incident``) or, for a staff user, is one
    of its members. ``via`` is the path from the model queried to its incident
    (``"incident__"``)."""
    if sees_every_incident(viewer):
        return Q()
    public = Q(**{f"{via}visibility": Visibility.PUBLIC})
    if viewer is None or isinstance(viewer, ApiKey) or not viewer.is_authenticated:
        return public
    # A subquery rather than a join: a join would repeat rows for nothing.
    memberships = apps.get_model("incidents", "IncidentMembership").objects.filter(user=viewer).values("incident_id")
    return public | Q(**{f"{via}pk__in": memberships})


class IncidentQuerySet(RestrictedQuerySet):
    #: the path from the model to its incident: "" for incidents, "incident__" for a row
    #: with a foreign key to one
    incident_path = ""

    def visible_rows(self, viewer):
        return self.filter(visible_to(viewer, via=self.incident_path))


class IncidentLinkedQuerySet(IncidentQuerySet):
    """Rows of one incident (its updates, role assignments, values): seen with it."""

    incident_path = "incident__"


class PublishedAboutIncidentQuerySet(RestrictedQuerySet):
    """Rows written for the public, maybe about an internal incident (status page
    incidents, their updates, the emails sent about them). Every API reader (a key, or
    none for Cachet's guests) sees them all: they are public words, and no dialect renders the incident they
    are about. A staff user sees those about no incident or about one they may see: that
    a private incident was published about is private too."""

    #: the path from the model to the (nullable) internal incident
    incident_path = "incident__"

    def visible_rows(self, viewer):
        if viewer is None or isinstance(viewer, ApiKey) or sees_every_incident(viewer):
            return self.all()  # an API reader, with a key or none (Cachet's guests)
        path = self.incident_path
        return self.filter(Q(**{f"{path}isnull": True}) | visible_to(viewer, via=path))


def published_about(path: str):
    """A manager for rows published about an incident, whose ``restrict()`` follows
    ``path`` to it (``PublishedAboutIncidentQuerySet``)."""
    name = "".join(part.title() for part in path.split("__") if part)
    return type(f"Via{name}QuerySet", (PublishedAboutIncidentQuerySet,), {"incident_path": path}).as_manager()
