"""Sensible defaults, so a fresh install can declare an incident straight away."""

from django.db import migrations
from ulid import ULID

STATUSES = [
    ("Triage", "We're not yet sure this is an incident.", "triage", 0),
    ("Investigating", "We're looking into what is happening.", "live", 10),
    ("Fixing", "We know the cause and are fixing it.", "live", 20),
    ("Monitoring", "A fix is in place and we're watching it.", "live", 30),
    ("Closed", "The incident is over.", "closed", 40),
    ("Declined", "This turned out not to be an incident.", "declined", 50),
]
SEVERITIES = [
    ("Minor", "Issues with low impact: a small part of the product, a few customers, a workaround exists.", 1),
    ("Major", "Issues causing significant impact: a core feature is degraded for many customers.", 2),
    ("Critical", "Issues causing very high impact: the product is down or data is at risk.", 3),
]
ROLES = [
    (
        "Incident Lead",
        "lead",
        "The person currently coordinating the incident",
        "Coordinate the response: set the severity, make sure the right people are involved and post regular updates.",
        "lead",
        True,
    ),
    (
        "Reporter",
        "reporter",
        "The person who reported the incident",
        "Share what you saw and when, then hand over to the incident lead.",
        "reporter",
        False,
    ),
]
TIMESTAMPS = [
    ("Reported at", "reported", 0),
    ("Accepted at", "accepted", 10),
    ("Impact started at", None, 20),
    ("Resolved at", "resolved", 30),
    ("Closed at", "closed", 40),
    ("Declined at", "declined", 50),
]


def create_defaults(apps, schema_editor):
    IncidentStatus = apps.get_model("incidents", "IncidentStatus")
    Severity = apps.get_model("incidents", "Severity")
    IncidentRole = apps.get_model("incidents", "IncidentRole")
    IncidentType = apps.get_model("incidents", "IncidentType")
    IncidentTimestamp = apps.get_model("incidents", "IncidentTimestamp")
    for name, description, category, rank in STATUSES:
        IncidentStatus.objects.get_or_create(
            name=name, defaults={"id": str(ULID()), "description": description, "category": category, "rank": rank}
        )
    for name, description, rank in SEVERITIES:
        Severity.objects.get_or_create(name=name, defaults={"id": str(ULID()), "description": description, "rank": rank})
    for name, shortform, description, instructions, role_type, required in ROLES:
        IncidentRole.objects.get_or_create(
            name=name,
            defaults={
                "id": str(ULID()),
                "shortform": shortform,
                "description": description,
                "instructions": instructions,
                "role_type": role_type,
                "required": required,
            },
        )
    IncidentType.objects.get_or_create(
        name="Default",
        defaults={
            "id": str(ULID()),
            "description": "Any incident that doesn't fit a more specific type.",
            "is_default": True,
            "create_in_triage": "optional",
        },
    )
    for name, slug, rank in TIMESTAMPS:
        IncidentTimestamp.objects.get_or_create(name=name, defaults={"id": str(ULID()), "slug": slug, "rank": rank})


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
