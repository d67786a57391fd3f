"""``manage.py exportauditlog [--since 2026-01-01] [--until ...] [--output FILE]``: the audit
log as incident.io's audit records, one JSON object a line (audit/export.py), oldest first.
Run by an operator: every entry, private incidents' included."""

from datetime import UTC, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from audit.export import for_export, json_lines
from audit.models import AuditEntry


def _moment(text: str) -> datetime:
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(f"{text!r} is no date (2026-01-31) or time (2026-01-31T12:00:00Z)")
        moment = datetime.combine(day, time.min)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


class Command(BaseCommand):
    help = "Write the audit log as incident.io audit records, one JSON object a line."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="from this date or time on (inclusive)")
        parser.add_argument("--until", help="before this date or time")
        parser.add_argument("--output", help="a file to write (default: standard output)")

    def handle(self, *args, since=None, until=None, output=None, **options):
        entries = AuditEntry.objects.all()
        if since:
            entries = entries.filter(timestamp__gte=_moment(since))
        if until:
            entries = entries.filter(timestamp__lt=_moment(until))
        count = 0
        if output:
            with open(output, "wb") as sink:
                for line in json_lines(for_export(entries)):
                    sink.write(line)
                    count += 1
            self.stderr.write(f"{count} entries written to {output}")
        else:
            for line in json_lines(for_export(entries)):
                self.stdout.write(line.decode(), ending="")
