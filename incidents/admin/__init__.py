"""Staff screens. Forms validate; every save, delete and action calls ``services``.

One module per domain; importing them registers every ``ModelAdmin`` (Django's autodiscover
imports this package):

- ``follow_ups``: follow-ups across incidents, and their priorities;
- ``configuration``: severities, statuses, types, roles, timestamps, custom fields;
- ``incidents``: the incident list and page (``incident_page``: the page's forms and
  timeline; ``display``: badges and durations; ``pagination``: a list that is never
  counted whole; ``console``: what other apps add to "Post an update").
"""

# In the order the screens were registered in before the split.
from .configuration import (
    ConfigurationAdmin,
    CustomFieldAdmin,
    CustomFieldOptionInline,
    IncidentRoleAdmin,
    IncidentStatusAdmin,
    IncidentTimestampAdmin,
    IncidentTypeAdmin,
    SeverityAdmin,
)
from .console import register_update_extension
from .follow_ups import FollowUpAdmin, FollowUpPriorityAdmin
from .incident_page import IncidentDetailsForm, PostUpdateForm
from .incidents import IncidentAddForm, IncidentAdmin, StatusCategoryFilter
from .overview import overview_charts
