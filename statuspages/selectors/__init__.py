"""Reads of status pages several callers share (the public site, the three API dialects,
the admin), each with a constant number of queries."""

from .components import RANKS, UNDER_MAINTENANCE, Availability, Day, availability, component_statuses, worst
from .incidents import components_named_by, named_components
from .pages import (
    Banner,
    ComponentView,
    GroupView,
    PageOverview,
    PastDay,
    banner,
    latest_first_updates,
    page_overview,
    past_incidents,
)
from .visibility import (
    is_public,
    may_open,
    pages_for,
    sees,
    visibilities,
    visible_incidents,
    visible_maintenance,
)
