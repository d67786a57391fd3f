"""A realistic status page for the demo (``manage.py loaddemo``): groups and components,
two years of incidents and maintenance published with back-dated updates, an incident
under way (published from an internal demo incident, in words written for the public) and
one maintenance to come. Idempotent: nothing is added when the page exists."""

import random
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

# name, the first message, the message once understood, the closing message
STORIES = [
    ("Elevated error rates on the API", "We're investigating increased 5xx responses from the API.",
     "A faulty deploy is the cause; we're rolling it back.", "The rollback is complete and error rates are back to normal."),
    ("Slow dashboard loads", "Some customers see the dashboard load slowly. We're looking into it.",
     "A database query regressed after this morning's release; a fix is being deployed.", "Dashboard load times are back to normal."),
    ("Card payments failing for some customers", "Some card payments are being declined with an error. We're investigating.",
     "Our payment provider's endpoint is timing out; we've switched to the secondary route.", "Card payments have been succeeding normally for an hour."),
    ("Delayed email notifications", "Notification emails are arriving late.",
     "Our email queue is backed up; we've added capacity to drain it.", "The backlog has cleared and emails are delivered on time."),
    ("Webhook deliveries delayed", "Webhook deliveries are delayed by several minutes.",
     "A worker pool ran out of memory; it has been restarted with more.", "Webhooks are delivered in real time again; delayed ones were retried."),
    ("Login failures", "Some customers can't sign in.",
     "An expired certificate on the identity provider integration; it is being renewed.", "Sign-ins work again for everyone."),
    ("Search results out of date", "New documents take a long time to appear in search.",
     "The indexing job is stuck on a malformed document; it is being skipped.", "Search is up to date again."),
    ("Invoices not generated", "Monthly invoices were not generated on time.",
     "A scheduled job failed; we're running it by hand.", "All invoices have been generated and sent."),
]
LEVELS = ["degraded_performance", "degraded_performance", "partial_outage", "partial_outage", "full_outage"]


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
    """About forty incidents over two years, each resolved within hours."""
    day = now - timedelta(days=730)
    while True:
        day += timedelta(days=rng.randint(5, 30), hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
        if day > now - timedelta(days=2):
            break
        name, first, understood, closing = rng.choice(STORIES)
        hit = rng.sample(sorted(components), rng.randint(1, 2))
        level = rng.choice(LEVELS)
        understood_at = day + timedelta(minutes=rng.randint(10, 90))
        resolved_at = understood_at + timedelta(minutes=rng.randint(15, 300))
        services.publish_retrospective_incident(
            actor=None, status_page=page, name=name,
            updates=[
                services.PastUpdate("investigating", first, day, {components[c]: level for c in hit}),
                services.PastUpdate("identified", understood, understood_at),
                services.PastUpdate("monitoring", "A fix is in place and we're watching the results.", resolved_at - timedelta(minutes=10),
                                    {components[c]: "degraded_performance" for c in hit}),
                services.PastUpdate("resolved", closing, resolved_at),
            ],
        )


def _maintenance(page, components, rng, now) -> None:
    """A maintenance every two months or so in the past, completed, and one to come."""
    start = now - timedelta(days=720)
    while start < now - timedelta(days=7):
        start = start.replace(hour=2, minute=0, second=0, microsecond=0)
        end = start + timedelta(hours=2)
        affected = [components[c] for c in rng.sample(sorted(components), 2)]
        maintenance = services.schedule_maintenance(
            actor=None, status_page=page, name="Database maintenance", message="We'll upgrade our primary databases; short interruptions are possible.",
            starts_at=start, ends_at=end, components=affected, published_at=start - timedelta(days=7),
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
