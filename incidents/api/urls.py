"""Routes of the incident.io-compatible API: paths exactly as the contract spells them
(no trailing slash), one module per group of resources."""

from .v1.views import api_keys as v1_api_keys
from .v1.views import attachments as v1_attachments
from .v1.views import config as v1_config
from .v1.views import incidents as v1_incidents
from .v1.views import memberships as v1_memberships
from .v1.views import utilities as v1_utilities
from .v2.views import actions as v2_actions
from .v2.views import config as v2_config
from .v2.views import follow_ups as v2_follow_ups
from .v2.views import incidents as v2_incidents
from .v2.views import timeline_items as v2_timeline_items
from .v2.views import users as v2_users

# Django tries patterns in order, one regular expression each; the paths are disjoint, so
# the most requested (incidents) go first.
urlpatterns = [
    *v2_incidents.urlpatterns,
    *v1_incidents.urlpatterns,
    *v1_config.urlpatterns,
    *v1_api_keys.urlpatterns,
    *v1_memberships.urlpatterns,
    *v1_utilities.urlpatterns,
    *v2_config.urlpatterns,
    *v2_users.urlpatterns,
    *v2_follow_ups.urlpatterns,
    *v2_actions.urlpatterns,
    *v2_timeline_items.urlpatterns,
    *v1_attachments.urlpatterns,
]
