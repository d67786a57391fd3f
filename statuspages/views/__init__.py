"""The public site: a page's front, its incidents, maintenance and history (``pages``),
Atlassian Statuspage's JSON (``statuspage_api``), SVG badges (``badges``), served through
one path (``serving``) that versions, revalidates and caches every response; the feeds
are ``statuspages.feeds``."""

from .badges import component_badge, page_badge
from .pages import default_page, front_page, history_page, incident_page, maintenance_page
