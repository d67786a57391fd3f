"""A realistic status page for the demo (``manage.py loaddemo``): groups and components,
two years of incidents and maintenance published with back-dated updates, an incident
under way (published from an internal demo incident, in words written for the public) and
one maintenance to come. Idempotent: nothing is added when the page exists."""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from incidents.models import Incident

from . import services
from .models import MaintenanceStatus, StatusPage

SLUG = "acme"
GROUPS = {
    "Core platform": ["API", "Dashboard", "Authentication"],
    "Payments": ["Card payments", "Invoicing"],
    "Notifications": ["Email", "Webhooks"],
}
LOOSE = ["Search", "Documentation"]

@dataclass(frozen=True)
class Story:
    """A past incident: what it was called, the components it hurt and how badly at first,
    and what was said as it went (investigating, identified, monitoring, resolved; a
    blank step is skipped, as a real team skips what it had nothing to say at)."""

    name: str
    hurt: dict[str, str]
    investigating: str
    identified: str
    monitoring: str
    resolved: str
    #: how long it lasted, in minutes, from and to
    minutes: tuple[int, int] = (30, 180)


STORIES = [
    Story("Elevated error rates on the API", {"API": "partial_outage"},
          "We're investigating an increase in 5xx responses from the API, affecting about 8% of requests.",
          "We've traced the errors to a deploy made shortly before they began and are rolling it back.",
          "The rollback is complete and error rates are back to their usual level. We're monitoring.",
          "Error rates have stayed normal for an hour. Requests that failed can be retried safely."),
    Story("Slow dashboard loads", {"Dashboard": "degraded_performance"},
          "Some customers see the dashboard take over 10 seconds to load. We're looking into it.",
          "A database query regressed in this morning's release; a fix is being deployed.",
          "",
          "Dashboard load times are back to normal."),
    Story("Card payments failing for some customers", {"Card payments": "partial_outage"},
          "Some card payments are being declined with a processing error. We're investigating with our payment provider.",
          "Our provider's primary endpoint in Frankfurt is timing out; we've switched traffic to the secondary route.",
          "Payments have been succeeding on the secondary route for 20 minutes.",
          "Card payments have succeeded normally for an hour. Declined payments were not charged and can be retried.",
          (20, 120)),
    Story("Delayed email notifications", {"Email": "degraded_performance"},
          "Notification emails are arriving up to 30 minutes late.",
          "Our email queue is backed up after a spike in volume; we've added capacity to drain it.",
          "The backlog is draining; new emails go out within a minute.",
          "The backlog has cleared and emails are delivered on time. No emails were lost.",
          (45, 240)),
    Story("Webhook deliveries delayed", {"Webhooks": "degraded_performance"},
          "Webhook deliveries are delayed by several minutes.",
          "A delivery worker pool ran out of memory; it has been restarted with more.",
          "Delayed webhooks are being retried in order.",
          "Webhooks are delivered in real time again, and every delayed one has been retried."),
    Story("Sign-in failures", {"Authentication": "full_outage", "Dashboard": "partial_outage"},
          "Customers can't sign in to the dashboard. API keys are not affected.",
          "An expired certificate on our identity provider integration is the cause; it is being renewed.",
          "",
          "Sign-ins work again for everyone. We're adding monitoring of certificate expiry.",
          (15, 75)),
    Story("Search results out of date", {"Search": "degraded_performance"},
          "New documents take a long time to appear in search results.",
          "The indexing job is stuck on a malformed document; we're skipping it and reindexing.",
          "Reindexing is under way; recent documents are appearing.",
          "Search is up to date again.",
          (60, 360)),
    Story("Invoices not generated on the 1st", {"Invoicing": "partial_outage"},
          "This month's invoices were not generated on schedule. Payments are not affected.",
          "The scheduled job failed on a database timeout; we're running it by hand.",
          "",
          "All invoices have been generated and emailed.",
          (120, 480)),
    Story("API unavailable in eu-west-1", {"API": "full_outage", "Dashboard": "partial_outage", "Webhooks": "degraded_performance"},
          "The API is not responding for customers served from our EU region. We're investigating urgently.",
          "A network change at our cloud provider cut our load balancers off from the application servers; "
          "we're working with them on it.",
          "Traffic is flowing again. Webhooks queued during the outage are being delivered.",
          "All services in the EU region have been working normally for an hour. We'll publish a postmortem.",
          (25, 110)),
    Story("Documentation site unavailable", {"Documentation": "full_outage"},
          "docs.acme.example returns errors. The product itself is not affected.",
          "Our documentation host had an outage; we're serving the site from a backup.",
          "",
          "The documentation site is back.",
          (10, 60)),
    Story("Intermittent timeouts on file uploads", {"API": "degraded_performance"},
          "Some uploads through the API time out after 30 seconds.",
          "Uploads larger than 50 MB hit a proxy limit lowered by yesterday's configuration change; we're raising it again.",
          "",
          "Uploads of every size complete normally."),
    Story("Payment confirmations delayed", {"Card payments": "degraded_performance", "Email": "degraded_performance"},
          "Payments succeed, but confirmations to customers and their receipts are delayed.",
          "An event consumer fell behind after a restart; it is catching up.",
          "The consumer has caught up; confirmations are sent within seconds.",
          "Everything is back to normal, and every delayed receipt has been sent."),
]


def load(stdout) -> None:
    if StatusPage.objects.filter(slug=SLUG).exists():
        stdout.write("Status page: already there.")
        return
    page = services.save_status_page(
        actor=None, name="Acme Cloud status", slug=SLUG, is_default=True,
        description="The current status of Acme Cloud's services, and their history.",
        support_url="https://support.example.com", time_zone="Europe/London",
    )
    components = {}
    for group_name, names in GROUPS.items():
        group = services.save_group(actor=None, status_page=page, name=group_name)
        for name in names:
            components[name] = services.create_component(actor=None, name=name, group=group, description=f"Acme's {name.lower()}")
    for name in LOOSE:
        components[name] = services.create_component(actor=None, name=name, status_page=page)
    rng = random.Random(2024)  # the same history on every machine
    now = timezone.now()
    _history(page, components, rng, now)
    _maintenance(page, components, rng, now)
    _under_way(page, components, now)
    stdout.write(f"Status page: /status/{SLUG}/ with {len(components)} components and two years of history.")


def _history(page, components, rng, now) -> None:
    """About forty incidents over two years, each hurting only the components it is about,
    resolved within hours, no story twice in a row."""
    day = now - timedelta(days=730)
    last = None
    while True:
        day += timedelta(days=rng.randint(5, 30), hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
        if day > now - timedelta(days=2):
            break
        story = rng.choice([s for s in STORIES if s is not last])
        last = story
        hurt = {components[name]: level for name, level in story.hurt.items()}
        duration = timedelta(minutes=rng.randint(*story.minutes))
        updates = [services.PastUpdate("investigating", story.investigating, day, hurt)]
        if story.identified:
            updates.append(services.PastUpdate("identified", story.identified, day + duration * rng.uniform(0.2, 0.4)))
        if story.monitoring:
            # Better, not yet over: whatever was worse than degraded is degraded now.
            easing = {c: "degraded_performance" for c, level in hurt.items() if level != "degraded_performance"}
            updates.append(services.PastUpdate("monitoring", story.monitoring, day + duration * rng.uniform(0.6, 0.85), easing))
        updates.append(services.PastUpdate("resolved", story.resolved, day + duration))
        services.publish_retrospective_incident(actor=None, status_page=page, name=story.name, updates=updates)


#: planned work: its name, the announcement, and the components it takes down for a while
MAINTENANCE = [
    ("Database upgrade", "We'll upgrade our primary database to a new major version. The API and dashboard may be "
     "read-only for up to 10 minutes.", ["API", "Dashboard"]),
    ("Payment provider migration", "We'll move card processing to our provider's new platform. Payments may fail for "
     "up to 5 minutes and can be retried.", ["Card payments"]),
    ("Email infrastructure upgrade", "We'll move our outbound email to new servers. Emails may be delayed by a few "
     "minutes.", ["Email"]),
    ("Search cluster upgrade", "We'll upgrade our search cluster. Search results may be incomplete for up to 30 "
     "minutes.", ["Search"]),
    ("Identity provider maintenance", "Our identity provider will apply security updates. Signing in may fail for a "
     "few minutes; existing sessions are not affected.", ["Authentication"]),
]


def _maintenance(page, components, rng, now) -> None:
    """A maintenance every two months or so in the past, completed, and one to come."""
    start = now - timedelta(days=720)
    while start < now - timedelta(days=7):
        start = start.replace(hour=2, minute=0, second=0, microsecond=0)
        end = start + timedelta(hours=2)
        name, message, names = rng.choice(MAINTENANCE)
        maintenance = services.schedule_maintenance(
            actor=None, status_page=page, name=name, message=message,
            starts_at=start, ends_at=end, components=[components[c] for c in names], published_at=start - timedelta(days=7),
        )
        services.post_maintenance_update(actor=None, maintenance=maintenance, message="The maintenance has started.", status=MaintenanceStatus.IN_PROGRESS, at=start)
        services.post_maintenance_update(actor=None, maintenance=maintenance, message="The maintenance is complete.", status=MaintenanceStatus.COMPLETE, at=end)
        start += timedelta(days=rng.randint(50, 70))
    upcoming = (now + timedelta(days=3)).replace(hour=2, minute=0, second=0, microsecond=0)
    services.schedule_maintenance(
        actor=None, status_page=page, name="Network upgrade", message="We'll upgrade our load balancers. The API may be unavailable for up to 5 minutes.",
        starts_at=upcoming, ends_at=upcoming + timedelta(hours=1), components=[components["API"], components["Dashboard"]],
    )


def _under_way(page, components, now) -> None:
    """An incident under way, published about an internal one in words for the public."""
    internal = Incident.objects.filter(name="Dashboard slow to load for EU customers").first()
    incident = services.publish_incident(
        actor=None, status_page=page, name="Slow dashboard for some European customers",
        message="Some customers in Europe see the dashboard load slowly. We're investigating.",
        component_statuses={components["Dashboard"]: "degraded_performance"}, incident=internal,
        published_at=now - timedelta(minutes=40),
    )
    services.post_incident_update(
        actor=None, page_incident=incident, status="identified", published_at=now - timedelta(minutes=15),
        message="We've found the cause, a slow database query, and a fix is being deployed.",
    )
