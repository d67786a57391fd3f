"""Who may call what, with incident.io's roles: ``status_page_viewer`` reads,
``status_page_publisher`` writes (and reads what it writes to), ``global_access`` does
everything (``HasApiRole`` lets it through)."""

from core.models import ApiRole

READ = (ApiRole.STATUS_PAGE_VIEWER, ApiRole.STATUS_PAGE_PUBLISHER)
WRITE = (ApiRole.STATUS_PAGE_PUBLISHER,)
TAG = ["Status Pages V2"]
