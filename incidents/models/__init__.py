"""The incident domain, modelled on incident.io's concepts so the API can expose them as-is.

Every table but Django's users is keyed by a ULID: 26 characters, time-ordered, which the
API hands out as ids and pages through as a cursor. Writes go through ``services.py``.

One module per domain, each name re-exported here:

- ``base``: ULID keys, creation and update times, the actor of a change;
- ``configuration``: severities, statuses, types, roles, custom fields, timestamps;
- ``api_keys``: API keys and incident.io's role names;
- ``incidents``: incidents, their role assignments, values and timeline.
"""

# In the order the models were defined in, which is the order the app registry lists them.
from .base import ActorMixin, TimestampedModel, UlidModel, new_ulid
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
from .api_keys import ApiKey, ApiRole
from .incidents import (
    Counter,
    CustomFieldValue,
    ExternalIssueProvider,
    Incident,
    IncidentRoleAssignment,
    IncidentTimestampValue,
    IncidentUpdate,
    Mode,
    Visibility,
)
