"""Every state change of the incident domain. The admin, the API, the commands and the
tasks call these; nothing else saves incident models. One module per domain:

- ``incidents``: declaring and editing incidents, role assignments, external issues,
  postmortems;
- ``lifecycle``: the timeline, status and severity changes, lifecycle timestamps;
- ``custom_fields``: the rules values must meet, values on incidents, fields and options;
- ``configuration``: severities, statuses, types, roles, timestamps;
- ``counters``: numbers handed out without gaps or repeats (incident references);
- ``history``: incidents that ran before they were entered here (demo data, imports);
- ``groups``: the staff groups (viewers, responders, managers) and their permissions;
- ``memberships``: who may see a private incident (its members);
- ``follow_ups``: what must be done after an incident;
- ``actions``: what is being done during an incident;
- ``timeline``: timeline items, noted by responders;
- ``attachments``: external resources attached to incidents, related incidents.
"""

from .actions import create_action, delete_action, update_action
from .attachments import attach_resource, detach_resource, relate_incidents, unrelate_incidents
from .configuration import (
    create_incident_role,
    create_incident_status,
    create_incident_type,
    create_severity,
    delete_configuration,
    delete_incident_role,
    delete_incident_status,
    delete_incident_type,
    delete_severity,
    save_configuration,
    update_incident_role,
    update_incident_status,
    update_incident_type,
    update_severity,
)
from .counters import next_value
from .custom_fields import (
    CleanValues,
    FieldValue,
    InvalidFieldValue,
    clean_field_values,
    create_custom_field,
    create_custom_field_option,
    delete_custom_field,
    delete_custom_field_option,
    set_custom_field_value,
    update_custom_field,
    update_custom_field_option,
)
from .follow_ups import (
    connect_follow_up_issue,
    create_follow_up,
    create_follow_up_from_link,
    delete_follow_up,
    update_follow_up,
)
from .groups import sync_staff_groups
from .history import PastUpdate, record_past_incident
from .incidents import (
    assign_role,
    connect_external_issue,
    declare_incident,
    edit_incident,
    find_idempotent_incident,
    import_postmortem_document,
)
from .lifecycle import (
    TIMESTAMPS_ON_ENTERING,
    change_severity,
    change_status,
    close_incident,
    default_status,
    post_incident_update,
    set_timestamp_values,
)
from .memberships import add_incident_member, revoke_incident_membership
from .timeline import create_timeline_item, delete_timeline_item, update_timeline_item
