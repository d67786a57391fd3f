"""Benchmark Checkly's bulk subscription import: 100,000 addresses in one call.

    .venv/bin/python bench/subscriptions_bench.py [--count 100000] [--database-url postgres://postgres@127.0.0.1:5432]

On a fresh PostgreSQL database (or SQLite with --sqlite), in this process, measures:

- the baseline: ``Subscriber.objects.bulk_create`` of the same number of rows in one
  transaction, in batches of the service's size: what inserting them costs at the least;
- POST /v1/status-pages/{id}/subscriptions/bulk with ``autoVerify: true`` through
  Django's full stack (test client: JSON parsing, the key, validation, the service);
- the same with ``autoVerify: false`` on a new page (confirmation tasks enqueued in bulk
  on an in-memory broker);
- the same with autoVerify again on the first page: every address known, all skipped;
- GET .../subscriptions of the page of ``count`` subscribers (the whole list at once).

Each figure is printed with its ratio to the baseline measured in the same run, and the
queries each call ran.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def log(message):
    print(message, file=sys.stderr, flush=True)


def setup(database_url: str | None):
    if database_url:
        import psycopg

        server, name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = database_url
    else:
        path = ROOT / "var" / "bench-subscriptions.sqlite3"
        path.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["CELERY_BROKER_URL"] = "memory://"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    return seconds, len(queries), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/h_notify_subs_bench")
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    setup(None if args.sqlite else args.database_url)

    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from core import services as core_services
    from notifications.models import Source, Subscriber
    from notifications.services.subscribers import IMPORT_BATCH
    from statuspages import services as pages
    from statuspages.api.checkly.ids import guid

    n = args.count
    log(f"{connection.vendor}, {n:,} addresses")
    _, token = core_services.create_api_key(actor=None, name="bench", roles=["status_page_publisher", "status_page_viewer"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    floor_page = pages.save_status_page(actor=None, name="Floor", slug="floor")
    api_page = pages.save_status_page(actor=None, name="Verified", slug="verified")
    pending_page = pages.save_status_page(actor=None, name="Pending", slug="pending")
    emails = [f"subscriber{i}@example.com" for i in range(n)]

    def baseline():
        now = timezone.now()
        with transaction.atomic():
            Subscriber.objects.bulk_create(
                [Subscriber(status_page=floor_page, email=e, source=Source.API, confirmed_at=now) for e in emails], batch_size=IMPORT_BATCH
            )

    def post(page, auto_verify):
        body = json.dumps({"subscriptions": [{"type": "EMAIL", "config": e} for e in emails], "autoVerify": auto_verify})

        def call():
            response = client.post(f"/v1/status-pages/{guid(page.pk)}/subscriptions/bulk", body, content_type="application/json")
            assert response.status_code == 201, response.content[:500]
            return response.json()

        return call, len(body)

    floor, floor_queries, _ = timed(baseline)
    rows = [("baseline: bulk_create of the rows", floor, floor_queries, "")]
    call, size = post(api_page, True)
    seconds, queries, result = timed(call)
    rows.append((f"POST bulk, autoVerify true ({size / 1e6:.1f} MB body)", seconds, queries, result))
    call, _ = post(pending_page, False)
    seconds, queries, result = timed(call)
    rows.append(("POST bulk, autoVerify false (confirmations enqueued)", seconds, queries, result))
    call, _ = post(api_page, True)
    seconds, queries, result = timed(call)
    rows.append(("POST bulk again: every address known", seconds, queries, result))

    def listing():
        response = client.get(f"/v1/status-pages/{guid(api_page.pk)}/subscriptions")
        assert response.status_code == 200
        return f"{len(response.content) / 1e6:.1f} MB, {len(response.json()):,} entries"

    seconds, queries, result = timed(listing)
    rows.append(("GET the list of every subscription", seconds, queries, result))

    print(f"| {connection.vendor}, {n:,} addresses | seconds | x baseline | queries | answer |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, seconds, queries, result in rows:
        print(f"| {name} | {seconds:.2f} | {seconds / floor:.2f}x | {queries} | {result} |")


if __name__ == "__main__":
    main()
