"""The incident domain, modelled on incident.io's concepts so the API can expose them as-is.

Every table but Django's users is keyed by a ULID: 26 characters, time-ordered, which the
API hands out as ids and pages through as a cursor. Writes go through ``services.py``.

One module per domain, each name re-exported here:

- ``configuration``: severities, statuses, types, roles, custom fields, timestamps;
- ``incidents``: incidents, their role assignments, values and timeline;
- ``visibility``: who may see which incident, on their querysets (``restrict()``);
- ``memberships``: the staff users who may see a private incident;
- ``follow_ups``: what must be done after an incident, and its priorities;
- ``actions``: what is being done during an incident;
- ``timeline``: what happened when, noted by responders (timeline items);
- ``attachments``: what else an incident touches (external resources, related incidents).
"""

# In the order the models were defined in, which is the order the app registry lists them.
from .configuration import (
    CreateInTriage,
    CustomField,
    CustomFieldOption,
    FieldRequired,
    FieldType,
    IncidentRole,
    IncidentStatus,
    IncidentTimestamp,
    IncidentType,
    RoleType,
    Severity,
    StatusCategory,
)
from .incidents import (
    Counter,
    CustomFieldValue,
    ExternalIssueProvider,
    Incident,
    IncidentRoleAssignment,
    IncidentTimestampValue,
    IncidentUpdate,
    Mode,
)
from .memberships import IncidentMembership
from .follow_ups import FollowUp, FollowUpPriority, FollowUpStatus
from .actions import Action, ActionStatus
from .timeline import TimelineItem
from .attachments import IncidentAttachment, IncidentRelationship, ResourceType
from .visibility import (
    MANAGE_PRIVATE,
    IncidentLinkedQuerySet,
    IncidentQuerySet,
    Visibility,
    published_about,
    sees_every_incident,
    visible_to,
)
