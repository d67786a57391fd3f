"""Every change to status pages. The admin, the three API dialects (incident.io, Cachet,
Checkly), the commands and the tasks call these; nothing else saves status page models.

- ``pages``: pages, components, groups, where each page shows each component, and a
  component's status set by hand;
- ``incidents``: publishing incidents (also after the fact), their updates, templates;
- ``maintenance``: scheduled maintenance, its updates, and moving it on by itself.
"""

from .common import number_for
from .incidents import (
    PastUpdate,
    delete_incident_template,
    delete_page_incident,
    delete_page_incident_update,
    edit_page_incident,
    edit_page_incident_update,
    post_incident_update,
    publish_incident,
    publish_retrospective_incident,
    revise_page_incident,
    save_incident_template,
)
from .maintenance import (
    advance_due_maintenance,
    delete_maintenance,
    delete_maintenance_update,
    edit_maintenance,
    edit_maintenance_update,
    post_maintenance_update,
    schedule_maintenance,
)
from .pages import (
    KEEP,
    GroupLayout,
    arrange_status_page,
    create_component,
    delete_component,
    delete_group,
    delete_status_page,
    move_component,
    place_component,
    remove_component,
    save_group,
    save_status_page,
    set_component_status,
    update_component,
)
