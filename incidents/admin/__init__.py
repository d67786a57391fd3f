"""Staff screens. Forms validate; every save, delete and action calls ``services``.

One module per domain; importing them registers every ``ModelAdmin`` (Django's autodiscover
imports this package):

- ``common``: turning a service's refusal into a form error or an error message;
- ``configuration``: severities, statuses, types, roles, timestamps, custom fields;
- ``incidents`` and ``incident_inlines``: the incident list and page;
- ``api_keys``: issuing and rotating API keys.
"""

# In the order the screens were registered in before the split.
from .common import DomainErrorsAsMessages
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
from .incident_inlines import (
    CustomFieldValueForm,
    CustomFieldValueFormSet,
    CustomFieldValueInline,
    RoleAssignmentInline,
    TimestampValueInline,
    UpdateForm,
    UpdateInline,
)
from .incidents import IncidentAddForm, IncidentAdmin, StatusCategoryFilter
from .api_keys import ApiKeyAdmin, ApiKeyForm
