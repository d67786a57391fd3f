"""The public site: a page's front, its incidents, maintenance and history (``pages``),
served through one path (``serving``) that versions, revalidates and caches every
response."""

from .pages import default_page, front_page, history_page, incident_page, maintenance_page
