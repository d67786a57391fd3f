"""Set up the embedded default (SQLite, filesystem broker) and run web and worker (with its
periodic tasks) together."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Migrate, load demo data, create an admin login, then run the web server and a Celery worker."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-run", action="store_true", help="Set up only; start nothing.")

    def handle(self, *args, addrport, no_run, **options):
        if not no_run:
            # A second copy on a busy port would reset the admin password and only then fail
            # to start: check first, so a refusal changes nothing.
            _refuse_busy_port(addrport)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("loaddemo", stdout=self.stdout)
        password = secrets.token_urlsafe(12)
        admin, _ = User.objects.get_or_create(username="admin", defaults={"email": "admin@example.com"})
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
        site_url, env = site_url_for(addrport, os.environ)
        self.stdout.write(self.style.SUCCESS(f"\nAdmin: {site_url}/admin/  user: admin  password: {password}"))
        self.stdout.write(f"Status page: {site_url}/status/  (links in emails and feeds: SITE_URL={site_url})\n")
        if no_run:
            return
        # --insecure: serve the admin's static files without DEBUG, as a newcomer expects.
        manage = [sys.executable, "-m", "django"]
        processes = [
            subprocess.Popen([*manage, "runserver", addrport, "--noreload", "--insecure", "--settings", "config.settings"], env=env),
            subprocess.Popen(
                # --beat: the periodic tasks (maintenance starting and completing by itself) run
                # in the worker, so one process does both on the embedded default.
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--loglevel", "INFO", "--concurrency", "2"],
                env=env,
            ),
        ]
        stop = False

        def _stop(*_):
            nonlocal stop
            stop = True

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        try:
            while not stop and all(p.poll() is None for p in processes):
                time.sleep(0.5)
        finally:
            for p in processes:
                if p.poll() is None:
                    p.terminate()
            for p in processes:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        failed = [p for p in processes if p.returncode not in (0, -signal.SIGTERM, None)]
        if failed and not stop:
            raise SystemExit(1)


def site_url_for(addrport: str, environ) -> tuple[str, dict[str, str]]:
    """The address links are built from, and the environment of the processes the quick
    start runs: ``SITE_URL`` as set, else the address the server listens on (a wildcard
    address as 127.0.0.1), so a confirmation email's link opens where the server is."""
    env = dict(environ)
    given = (env.get("SITE_URL") or "").strip()
    if given:
        return given.rstrip("/"), env
    host, _, port = addrport.rpartition(":")
    host = host or "127.0.0.1"
    if host.strip("[]") in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    env["SITE_URL"] = f"http://{host}:{port}"
    return env["SITE_URL"], env


def _refuse_busy_port(addrport: str) -> None:
    host, _, port = addrport.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit():
        raise CommandError(f"--addrport {addrport!r} is not HOST:PORT (for example 127.0.0.1:8000)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # The server sets SO_REUSEADDR too: a port left in TIME_WAIT by a stopped copy is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, int(port)))
        except OSError as exc:
            raise CommandError(
                f"Cannot listen on {host}:{port} ({exc.strerror}): is another quick start or server running there? "
                f"Stop it, or choose another address with --addrport, e.g. --addrport 127.0.0.1:8001. Nothing was changed."
            ) from exc
