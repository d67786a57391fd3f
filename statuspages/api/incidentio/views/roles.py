"""Who may call what, with incident.io's roles: ``status_page_viewer`` reads,
``status_page_publisher`` writes (and reads what it writes to), ``global_access`` does
everything (``HasApiRole`` lets it through). The rule is every dialect's
(``core.api.roles``)."""

from core.api import roles

READ = roles.roles_for("status_pages", roles.READ)
WRITE = roles.roles_for("status_pages", roles.WRITE)
TAG = ["Status Pages V2"]
