"""Webhook endpoints from the command line:

    manage.py webhooks add URL [--event TYPE ...] [--private] [--description TEXT]
    manage.py webhooks list
    manage.py webhooks rotate ID
    manage.py webhooks replay ID --since 2h|30m|2d|2026-12-07T10:00:00Z [--until ...]

``add`` and ``rotate`` print the secret: the only time it is shown."""

import re
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.exceptions import DomainError
from notifications import services
from notifications.models import EVENT_TYPES, WebhookEndpoint

_RELATIVE = re.compile(r"^(\d+)([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def when(text: str):
    """``2h`` (ago), or an ISO 8601 date-time (UTC unless it says otherwise)."""
    match = _RELATIVE.match(text.strip())
    if match:
        return timezone.now() - timedelta(**{_UNITS[match[2]]: int(match[1])})
    parsed = parse_datetime(text.strip())
    if parsed is None:
        raise CommandError(f"Not a time: {text!r} (give 2h, 30m, 2d or an ISO 8601 date-time)")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


class Command(BaseCommand):
    help = "Add, list, rotate and replay webhook endpoints."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        add = commands.add_parser("add", help="register an endpoint; prints its id and secret")
        add.add_argument("url")
        add.add_argument("--event", action="append", default=[], choices=EVENT_TYPES, help="an event type (repeat; none: all)")
        add.add_argument("--private", action="store_true", help="also send private_incident.* events")
        add.add_argument("--description", default="")
        commands.add_parser("list", help="every endpoint")
        rotate = commands.add_parser("rotate", help="a new secret; the old one signs for the grace period")
        rotate.add_argument("id")
        replay = commands.add_parser("replay", help="send an endpoint's events since a time again")
        replay.add_argument("id")
        replay.add_argument("--since", required=True, type=when)
        replay.add_argument("--until", type=when)

    def _endpoint(self, pk: str) -> WebhookEndpoint:
        endpoint = WebhookEndpoint.objects.filter(pk=pk).first()
        if endpoint is None:
            raise CommandError(f"No webhook endpoint {pk}")
        return endpoint

    def handle(self, *args, command, **options):
        try:
            getattr(self, f"_{command}")(**options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def _add(self, url, event, private, description, **options):
        endpoint = services.webhooks.create_endpoint(url=url, event_types=event, private_events=private, description=description)
        self.stdout.write(f"id: {endpoint.pk}\nsecret: {endpoint.secret}")

    def _list(self, **options):
        for endpoint in WebhookEndpoint.objects.all():
            state = "enabled" if endpoint.enabled else f"disabled ({endpoint.disabled_reason or 'by staff'})"
            events = ",".join(endpoint.event_types) or "all"
            private = " +private" if endpoint.private_events else ""
            kind = f"[{endpoint.kind}]  " if endpoint.is_chat else ""
            self.stdout.write(f"{endpoint.pk}  {kind}{endpoint.url}  {state}  {events}{private}  {endpoint.description}")

    def _rotate(self, id, **options):
        secret = services.webhooks.rotate_secret(endpoint=self._endpoint(id))
        self.stdout.write(f"id: {id}\nsecret: {secret}")

    def _replay(self, id, since, until, **options):
        ids = services.webhooks.replay(endpoint=self._endpoint(id), since=since, until=until)
        self.stdout.write(f"{len(ids)} deliveries queued again")
