"""Atom and RSS feeds of a page's incidents and maintenance (Django's syndication
framework): one entry per incident or maintenance, linking to its page, its whole
timeline as the entry's content. Text is stripped of the control characters XML 1.0
cannot carry (``core.text``): the rule refuses them where text enters, and a row stored
before it held must not make the feed fail for every reader. Served through ``views.serving.public_view`` like every
public response (versioned, conditional, rendered once). Links are absolute, from
``SITE_URL``, so a body is the same whatever host it was asked through. Titles, statuses
and dates are in the reader's language (``statuspages.languages``), which the feed names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext

from core.text import strip_controls
from statuspages.models import StatusPage
from statuspages.views import reads
from statuspages.views.serving import public_state, public_view

#: entries in a feed: the latest incidents and maintenance together
ENTRIES = 50


@dataclass
class Entry:
    kind: str  # incident, maintenance
    item: object
    link: str
    published: datetime
    updated: datetime


def entries(page: StatusPage, *, staff: bool) -> list[Entry]:
    """The latest incidents and maintenance, by when they were last updated (4 queries)."""
    found = []
    for incident in reads.recent_incidents(page, staff=staff, limit=ENTRIES):
        link = settings.SITE_URL + reverse("statuspages:incident", args=[page.slug, incident.pk])
        latest = incident.timeline[0].published_at if incident.timeline else incident.published_at
        found.append(Entry("incident", incident, link, incident.published_at, latest))
    for maintenance in reads.recent_maintenance(page, limit=ENTRIES):
        link = settings.SITE_URL + reverse("statuspages:maintenance", args=[page.slug, maintenance.pk])
        latest = maintenance.timeline[0].published_at if maintenance.timeline else maintenance.published_at
        found.append(Entry("maintenance", maintenance, link, maintenance.published_at, latest))
    found.sort(key=lambda entry: (entry.updated, entry.item.pk), reverse=True)
    return found[:ENTRIES]


class IncidentsFeed(Feed):
    feed_type = Atom1Feed
    #: None: the reader's, active while ``public_view`` renders (Django's default)
    language = None

    def get_object(self, request, page: StatusPage):
        return page

    def title(self, page):
        return strip_controls(gettext("%(name)s: incidents and maintenance") % {"name": page.name}, multi_line=False)

    def link(self, page):
        return settings.SITE_URL + reverse("statuspages:page", args=[page.slug])

    def feed_url(self, page):
        name = "statuspages:feed-atom" if self.feed_type is Atom1Feed else "statuspages:feed-rss"
        return settings.SITE_URL + reverse(name, args=[page.slug])

    def subtitle(self, page):
        return strip_controls(page.description or gettext("Incidents and maintenance on %(name)s") % {"name": page.name})

    description = subtitle

    def feed_guid(self, page):
        return self.link(page)

    def items(self, page):
        return entries(page, staff=public_state(self.request).staff)

    def item_title(self, entry: Entry):
        title = gettext("Maintenance: %(name)s") % {"name": entry.item.name} if entry.kind == "maintenance" else entry.item.name
        return strip_controls(title, multi_line=False)

    def item_description(self, entry: Entry):
        return strip_controls(render_to_string("statuspages/feed_entry.html", {"entry": entry}))

    def item_link(self, entry: Entry):
        return entry.link

    def item_guid(self, entry: Entry):
        return entry.link

    def item_pubdate(self, entry: Entry):
        return entry.published

    def item_updateddate(self, entry: Entry):
        return entry.updated

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)


class RssIncidentsFeed(IncidentsFeed):
    feed_type = Rss201rev2Feed


@public_view("feed:atom")
def atom_feed(request, page: StatusPage):
    return IncidentsFeed()(request, page=page)


@public_view("feed:rss")
def rss_feed(request, page: StatusPage):
    return RssIncidentsFeed()(request, page=page)
