"""The incident domain's demo data (users, custom fields, incidents with timelines), loaded
through the services by ``manage.py loaddemo``. Idempotent: each object is looked up by
its natural name first, so a second run changes nothing."""

import random
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

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

# Minutes after the declaration; "d", "h" and "min" read as the timeline does.
def _after(d=0, h=0, min=0):
    return timedelta(days=d, hours=h, minutes=min)


# name, summary, severity, visibility, declared (how long ago), [(after declaration,
# status, message)], custom field values. Declared in triage, as a page from monitoring
# would be; the first update accepts it.
INCIDENTS = [
    (
        "Checkout payments failing for card customers",
        "Card payments return a **502** from the payment gateway; PayPal is unaffected.",
        "Critical",
        Visibility.PUBLIC,
        _after(d=9, h=6),
        [
            (_after(min=4), "Investigating", "Paged by the checkout error-rate alert: 38% of card payments fail with a 502 from the gateway. PayPal is fine. Looking at the gateway proxy first."),
            (_after(min=41), "Fixing", "Root cause found: the TLS certificate on the gateway proxy expired at 08:00 UTC and the renewal job had been failing silently for a week. Issuing a new certificate by hand."),
            (_after(h=1, min=12), "Monitoring", "New certificate deployed to all three proxy nodes; card payments succeed again and the error rate is back to baseline. Watching, and re-running failed payments from the queue."),
            (_after(h=3, min=5), "Closed", "No errors for two hours and every queued payment went through. Closing; postmortem to follow."),
        ],
        {"Affected services": ["Payments", "API"], "Customer impact": ["Partial outage"], "Affected customers": ["1200"], "Root cause": ["Expired TLS certificate on the payment gateway proxy"], "Tracking ticket": ["https://tracker.example.com/OPS-4107"]},
    ),
    (
        "Dashboard slow to load for EU customers",
        "Dashboard pages take 10–20 s to load in eu-west.",
        "Major",
        Visibility.PUBLIC,
        _after(h=5, min=20),
        [
            (_after(min=9), "Investigating", "Looking into slow dashboard loads in the EU region; p95 is 14 s against 1.2 s normally. US is unaffected."),
            (_after(h=2, min=35), "Fixing", "Found it: last night's migration dropped the index on `reports(account_id, created_at)` in eu-west only. Rebuilding it concurrently; about two hours to go."),
            (_after(h=4, min=30), None, "Index build at 70%. Load times are already improving for smaller accounts."),
        ],
        {"Affected services": ["Dashboard"], "Customer impact": ["Degraded"]},
    ),
    (
        "Delayed email notifications",
        "Notification emails are arriving up to 30 minutes late.",
        "Minor",
        Visibility.PUBLIC,
        _after(d=3, h=4),
        [
            (_after(min=25), "Investigating", "Queue depth is growing on the mail workers; the oldest message is 31 minutes old."),
            (_after(h=1, min=10), "Monitoring", "Scaled the mail workers from 4 to 12; the backlog is draining at about 2,000 messages a minute."),
            (_after(d=1, h=2), "Closed", "The backlog stayed empty overnight. Worker autoscaling now follows queue depth (OPS-4182)."),
        ],
        {"Affected services": ["Notifications"], "Customer impact": ["Degraded"], "Tracking ticket": ["https://tracker.example.com/OPS-4182"]},
    ),
    (
        "Suspicious login attempts on admin accounts",
        "Credential-stuffing attempts against staff accounts; no successful logins so far.",
        "Major",
        Visibility.PRIVATE,
        _after(d=2, h=3),
        [
            (_after(min=15), "Investigating", "About 40,000 failed logins in an hour against 120 staff accounts, from a few hundred residential IPs."),
            (_after(h=3, min=40), "Fixing", "Blocking the source ranges at the edge and forcing password resets for targeted accounts; no successful login found in the audit log."),
            (_after(d=1, h=1), "Monitoring", "Attempts dropped to background levels. Keeping the blocks for a week and watching the audit log."),
        ],
        {"Customer impact": ["None"]},
    ),
    (
        "Search results missing recent documents",
        "Documents created in the last hour don't appear in search.",
        "Minor",
        Visibility.PUBLIC,
        _after(min=35),
        [],
        {"Affected services": ["Search"]},
    ),
]

POSTMORTEM = (
    "Postmortem: card payments failing on an expired certificate",
    """## Summary
For 3 hours on the morning of the incident, about 38% of card payments failed with a 502:
the TLS certificate on the payment gateway proxy expired, and the job meant to renew it
had been failing for a week without alerting anyone.

## Impact
- About 1,200 customers saw a failed card payment; PayPal payments were unaffected.
- Every failed payment was retried from the queue once the certificate was replaced; none was lost.

## What went well
- The checkout error-rate alert paged within 4 minutes.
- Re-running the payment queue needed no manual work.

## What went wrong
- The renewal job's failures went to a log nobody reads.
- The proxy has no expiry check of its own.

## Follow-ups
- [ ] Alert on certificate expiry 14 days ahead for every public endpoint (OPS-4110).
- [ ] Send the renewal job's failures to the on-call channel (OPS-4111).
""",
)

# Older incidents, each resolved within hours or days, so the admin's overview has
# weeks of history: name, severity, summary.
PAST = [
    ("Elevated 5xx on the public API", "Major", "About 4% of API requests fail with a 503 after a deploy."),
    ("Webhook deliveries delayed", "Minor", "Webhooks are delivered up to 10 minutes late."),
    ("SSO logins failing for Okta customers", "Critical", "Customers who sign in with Okta get an error page."),
    ("Invoice PDFs not generated", "Minor", "Monthly invoice PDFs fail to render."),
    ("Mobile push notifications delayed", "Minor", "Push notifications arrive minutes late on iOS."),
    ("Background jobs stuck in the EU region", "Major", "Scheduled exports and reports are not running in eu-west."),
    ("Search index lagging behind", "Minor", "New documents take up to an hour to appear in search."),
    ("Database failover during peak traffic", "Critical", "The primary database failed over; writes failed for several minutes."),
    ("API rate limits applied too early", "Minor", "Some customers hit rate limits far below their plan's."),
    ("File uploads failing over 10 MB", "Major", "Uploads of large files stop at 10 MB with an error."),
    ("Status emails sent twice", "Minor", "Some subscribers got each status email twice."),
    ("Login page not loading in Safari", "Major", "The login page stays blank in Safari 17."),
]


def load(stdout) -> None:
    users = _users()
    fields = _fields()
    created = 0
    lead = IncidentRole.objects.get(role_type="lead")
    reporter = IncidentRole.objects.get(role_type="reporter")
    statuses = {status.name: status for status in IncidentStatus.objects.all()}
    now = timezone.now()
    for n, (name, summary, severity, visibility, ago, timeline, values) in enumerate(INCIDENTS):
        if Incident.objects.filter(name=name).exists():
            continue
        actor, responder = users[n % len(users)], users[(n + 1) % len(users)]
        declared_at = now - ago
        incident = services.record_past_incident(
            actor=actor,
            declared_at=declared_at,
            name=name,
            summary=summary,
            severity=Severity.objects.get(name=severity),
            visibility=visibility,
            triage=True,
            role_assignments={lead: responder, reporter: actor},
            custom_field_values=[
                services.clean_field_values(fields[field], [_value(fields[field], v) for v in field_values])
                for field, field_values in values.items()
            ],
            updates=[
                services.PastUpdate(declared_at + after, message, statuses[status] if status else None, actor=responder)
                for after, status, message in timeline
            ],
        )
        if n == 0:
            services.import_postmortem_document(incident=incident, actor=responder, title=POSTMORTEM[0], content=POSTMORTEM[1])
        created += 1
    created += _past(users, statuses, now)
    stdout.write(f"Incidents: {created} added, {Incident.objects.count()} in all.")


def _past(users, statuses, now) -> int:
    """A dozen incidents over the last twelve weeks, resolved in minutes to a day."""
    rng = random.Random(11)  # the same history on every machine
    lead = IncidentRole.objects.get(role_type="lead")
    created = 0
    for n, (name, severity, summary) in enumerate(PAST):
        days_ago = 80 - n * 6 - rng.randint(0, 3)
        if Incident.objects.filter(name=name).exists():
            continue
        declared_at = (now - timedelta(days=days_ago)).replace(hour=rng.randint(7, 20), minute=rng.randint(0, 59))
        found = declared_at + timedelta(minutes=rng.randint(5, 30))
        fixed = found + timedelta(minutes=rng.randint(20, 240))
        closed = fixed + timedelta(hours=rng.randint(1, 20))
        responder = users[n % len(users)]
        services.record_past_incident(
            actor=users[(n + 1) % len(users)],
            declared_at=declared_at,
            name=name,
            summary=summary,
            severity=Severity.objects.get(name=severity),
            triage=True,
            role_assignments={lead: responder},
            updates=[
                services.PastUpdate(found, "Confirmed and investigating.", statuses["Investigating"], actor=responder),
                services.PastUpdate(fixed, "A fix is out; watching the error rates.", statuses["Monitoring"], actor=responder),
                services.PastUpdate(closed, "Stable since the fix. Closing.", statuses["Closed"], actor=responder),
            ],
        )
        created += 1
    return created


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

