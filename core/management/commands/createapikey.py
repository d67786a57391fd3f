from django.core.management.base import BaseCommand, CommandError

from core import services
from core.exceptions import DomainError
from core.models import ApiRole


class Command(BaseCommand):
    help = "Create an API key and print its token (alone, on the last line). The token is not stored."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--roles",
            default="viewer",
            help=f"Comma-separated incident.io role names, e.g. viewer,incident_creator. Known: {', '.join(ApiRole.values)}",
        )
        parser.add_argument("--comments", default="")

    def handle(self, *args, name, roles, comments, **options):
        role_names = [r.strip() for r in roles.split(",") if r.strip()]
        try:
            key, token = services.create_api_key(actor=None, name=name, roles=role_names, comments=comments)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Created API key {key.name!r} ({key.pk}) with roles: {', '.join(key.roles)}")
        self.stdout.write("Copy the token now; only its hash is kept:")
        self.stdout.write(token)
