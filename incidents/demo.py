"""The incident domain's demo data (users, custom fields, incidents with timelines), loaded
through the services by ``manage.py loaddemo``. Idempotent: each object is looked up by
its natural name first, so a second run changes nothing."""

from django.contrib.auth.models import User

from incidents import services
from incidents.models import (
    CustomField,
    CustomFieldOption,
    FieldType,
    Incident,
    IncidentRole,
    IncidentStatus,
    Severity,
    Visibility,
)

USERS = [
    ("alice", "Alice", "Nguyen", "alice@example.com"),
    ("bob", "Bob", "Okafor", "bob@example.com"),
    ("carol", "Carol", "Schmidt", "carol@example.com"),
]

FIELDS = [
    ("Affected services", "Which of our services are affected", FieldType.MULTI_SELECT, ["API", "Dashboard", "Payments", "Notifications", "Search"]),
    ("Customer impact", "How customers experience the incident", FieldType.SINGLE_SELECT, ["None", "Degraded", "Partial outage", "Full outage"]),
    ("Tracking ticket", "Link to the ticket tracking follow-up work", FieldType.LINK, []),
    ("Affected customers", "Roughly how many customers are affected", FieldType.NUMERIC, []),
    ("Root cause", "One line on what caused it", FieldType.TEXT, []),
]

# name, summary, severity, visibility, [(status, message)], custom field values
INCIDENTS = [
    (
        "Checkout payments failing for card customers",
        "Card payments return a **502** from the payment gateway; PayPal is unaffected.",
        "Critical",
        Visibility.PUBLIC,
        [
            ("Investigating", "We're seeing elevated 502s from the gateway and are investigating."),
            ("Fixing", "Root cause found: an expired TLS certificate on the gateway proxy. Rolling a new one."),
            ("Monitoring", "New certificate deployed; error rate back to baseline. Watching."),
            ("Closed", "No errors for two hours. Closing; postmortem to follow."),
        ],
        {"Affected services": ["Payments", "API"], "Customer impact": ["Partial outage"], "Affected customers": ["1200"], "Root cause": ["Expired TLS certificate on the payment gateway proxy"]},
    ),
    (
        "Dashboard slow to load for EU customers",
        "Dashboard pages take 10–20 s to load in eu-west.",
        "Major",
        Visibility.PUBLIC,
        [
            ("Investigating", "Looking into slow dashboard loads in the EU region."),
            ("Fixing", "A missing index on the reports table after last night's migration. Adding it concurrently."),
        ],
        {"Affected services": ["Dashboard"], "Customer impact": ["Degraded"]},
    ),
    (
        "Delayed email notifications",
        "Notification emails are arriving up to 30 minutes late.",
        "Minor",
        Visibility.PUBLIC,
        [("Investigating", "Queue depth is growing on the mail workers; scaling them up.")],
        {"Affected services": ["Notifications"], "Customer impact": ["Degraded"], "Tracking ticket": ["https://tracker.example.com/OPS-4182"]},
    ),
    (
        "Suspicious login attempts on admin accounts",
        "Credential-stuffing attempts against staff accounts; no successful logins so far.",
        "Major",
        Visibility.PRIVATE,
        [("Investigating", "Blocking the source ranges and forcing password resets for targeted accounts.")],
        {"Customer impact": ["None"]},
    ),
    (
        "Search results missing recent documents",
        "Documents created in the last hour don't appear in search.",
        "Minor",
        Visibility.PUBLIC,
        [],
        {"Affected services": ["Search"]},
    ),
]


def load(stdout) -> None:
    users = _users()
    fields = _fields()
    created = 0
    lead = IncidentRole.objects.get(role_type="lead")
    reporter = IncidentRole.objects.get(role_type="reporter")
    for n, (name, summary, severity, visibility, timeline, values) in enumerate(INCIDENTS):
        if Incident.objects.filter(name=name).exists():
            continue
        actor = users[n % len(users)]
        incident = services.declare_incident(
            actor=actor,
            name=name,
            summary=summary,
            severity=Severity.objects.get(name=severity),
            visibility=visibility,
            triage=True,
            role_assignments={lead: users[(n + 1) % len(users)], reporter: actor},
            custom_field_values=[
                services.clean_field_values(fields[field], [_value(fields[field], v) for v in field_values])
                for field, field_values in values.items()
            ],
        )
        for status_name, message in timeline:
            services.post_incident_update(
                incident=incident,
                actor=users[(n + 1) % len(users)],
                message=message,
                new_status=IncidentStatus.objects.get(name=status_name),
            )
        created += 1
    stdout.write(f"Incidents: {created} added, {Incident.objects.count()} in all.")


def _users():
    users = []
    for username, first, last, email in USERS:
        user, made = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": email, "is_staff": True},
        )
        if made:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)
    return users


def _fields():
    fields = {}
    for name, description, field_type, options in FIELDS:
        field = CustomField.objects.filter(name=name).first() or services.create_custom_field(
            actor=None, name=name, description=description, field_type=field_type
        )
        for sort_key, value in enumerate(options):
            if not field.options.filter(value=value).exists():
                services.create_custom_field_option(actor=None, custom_field=field, value=value, sort_key=(sort_key + 1) * 10)
        fields[name] = field
    return fields


def _value(field, raw):
    if field.is_select:
        return services.FieldValue(option=CustomFieldOption.objects.get(custom_field=field, value=raw))
    return services.FieldValue(text=raw)

