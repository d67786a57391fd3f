from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from statuspages import export
from statuspages.models import StatusPage


class Command(BaseCommand):
    help = (
        "Write a public status page's site (pages, feeds, JSON, badges, styles) to DIR as plain files for any "
        "static server, replacing an earlier export atomically: DIR becomes a symlink to a sibling .DIR.<id> "
        "(docs/status-pages.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("directory", type=Path)

    def handle(self, *args, slug, directory, **options):
        page = StatusPage.objects.filter(slug=slug).first()
        if page is None:
            raise CommandError(f"No status page with the slug {slug!r}")
        try:
            written = export.export_to(page, directory)
        except export.ExportError as exc:
            raise CommandError(str(exc)) from None
        size = sum(file.size for file in written)
        self.stdout.write(f"Exported {page.name!r} to {directory}: {len(written)} files, {size // 1024} kB")
