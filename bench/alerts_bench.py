"""Benchmark alert events in: ``POST /v2/alert_events/http/{id}`` against the bare write,
served the same way, and an alert storm.

    .venv/bin/python bench/alerts_bench.py [--seconds 10] [--storm 10000] [--keys 200] [--big 1000000] [--resolve]

Builds a fresh PostgreSQL database, serves the project with gunicorn (bench.settings: the
real settings plus the bare views and an X-Query-Count header) and measures, each in
one-second slices alternating with the bare write's (bench/api_bench.py explains why):

- POST /bench/bare-write            the baseline: one row inserted and committed, no
                                    authentication, validation or rendering
- POST /v2/alert_events/http/{id}   repeats: events for 200 keys, each folding into its
                                    firing alert (the steady state of a noisy monitor)
- POST /v2/alert_events/http/{id}   new keys: each event opens an alert

Then the storm: ``--storm`` events over ``--keys`` keys (in 20 groups, ``metadata.group``),
sent by 20 client threads as fast as the server takes them, through an alert route made
for the storm (bench/alerts_storm.py: grouping by that field, an incident per group),
first with ``--stored`` resolved alerts in the table and, with ``--big``, again after the
table is grown to that many: alerts made, events lost (sent 2xx but not stored), 5xx
answers, the latency's p50/p99; incidents made (one per group) and alerts attached to
them. With ``--resolve``, every key is then resolved (one event each) and the incidents
the route closed are counted.
"""

import argparse
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.alerts_storm import GROUPS, event, print_tables, run_storm  # noqa: E402
from bench.api_bench import _copy, log, measure, measure_against, recreate_database, setup_django, start_gunicorn  # noqa: E402

#: the floor the events URL holds against the bare write (issue 18)
FLOOR = 0.25


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_resolved_alerts(source_id: str, count: int, prefix: str):
    """COPY ``count`` resolved alerts (distinct keys) into the source: the history a
    long-lived source piles up, which the event path's lookup must not notice."""
    from django.db import connection
    from ulid import ULID

    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(time.time() - 86400)) + "+00"
    columns = ["id", "source_id", "dedup_key", "status", "title", "description", "source_url", "severity", "metadata",
               "event_count", "created_at", "updated_at", "last_seen_at", "resolved_at"]
    with connection.cursor() as cursor:
        raw = cursor.connection
        rows = []
        for n in range(count):
            rows.append((str(ULID()), source_id, f"{prefix}-{n}", "resolved", f"Old alert {n}", "", "", "critical", "{}", 2,
                         stamp, stamp, stamp, stamp))
            if len(rows) >= 50_000 or n == count - 1:
                _copy(raw, "alerts_alert", columns, rows)
                rows = []
        cursor.execute("ANALYZE alerts_alert")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="bench_alerts")
    parser.add_argument("--cache", default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14"))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--storm", type=int, default=10_000, help="events in the storm (0: no storm)")
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--stored", type=int, default=10_000, help="resolved alerts in the table for the first storm")
    parser.add_argument("--big", type=int, default=0, help="grow the table to this many alerts and storm again")
    parser.add_argument("--resolve", action="store_true", help="after each storm, resolve every alert (one event per key)")
    args = parser.parse_args()

    database_url = recreate_database(args.server, args.database)
    os.environ["CACHE_URL"] = args.cache
    setup_django(database_url)
    from django.core.cache import cache

    from alerts import services
    from alerts.models import Alert

    cache.clear()
    source, secret = services.create_alert_source(name="Bench", source_type="http")
    path = f"/v2/alert_events/http/{source.pk}"
    rng = random.Random(1)
    port = free_port()
    server = start_gunicorn(database_url, args.cache, port, args.workers)
    results, ok = {}, True
    try:
        def repeat_body():
            k = rng.randrange(args.keys)
            return event(f"repeat-{k}", k % GROUPS)

        def new_body():
            return event(f"new-{uuid.uuid4()}", 0)

        baseline = ("POST", lambda: "/bench/bare-write", repeat_body)
        for name, body in (("events, repeats (200 keys)", repeat_body), ("events, new keys", new_body)):
            scenario = ("POST", lambda: path, body)
            measure(port, "POST", lambda: path, body=body, token=secret, seconds=min(2, args.seconds), concurrency=args.concurrency)  # warm up
            results[name] = measure_against(
                port, baseline, scenario, token=secret, seconds=args.seconds, concurrency=args.concurrency
            )
            base, figures = results[name]
            log(f"{name}: {figures['rps']:.0f} ev/s, {figures['rps'] / base['rps']:.2f}x the bare write ({base['rps']:.0f}/s)")

        storms = []
        if args.storm:
            load_resolved_alerts(source.pk, args.stored, "old")
            log(f"{Alert.objects.count()} alerts stored; storm of {args.storm} events through an alert route")
            storms.append(run_storm(port, path, secret, source, name=f"{Alert.objects.count():,} alerts stored",
                                    events=args.storm, keys=args.keys, prefix="storm1", resolve=args.resolve))
            if args.big > Alert.objects.count():
                started = time.perf_counter()
                load_resolved_alerts(source.pk, args.big - Alert.objects.count(), "older")
                log(f"grew to {Alert.objects.count()} alerts in {time.perf_counter() - started:.0f}s")
                storms.append(run_storm(port, path, secret, source, name=f"{Alert.objects.count():,} alerts stored",
                                        events=args.storm, keys=args.keys, prefix="storm2", resolve=args.resolve,
                                        previous=storms[0]["route"]))
    finally:
        server.terminate()
        server.wait()

    from django.conf import settings

    print(f"\nPostgreSQL, API_ACCELERATION={'on' if getattr(settings, 'API_ACCELERATION', True) else 'off'}, "
          f"gunicorn --workers {args.workers}, {args.concurrency} client threads, {args.seconds:.0f}s per scenario "
          f"alternating with the bare write\n")
    print("| scenario | events/s | bare write/s | ratio | floor | p50 ms | p95 ms | queries | statuses |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, (base, figures) in results.items():
        ratio = figures["rps"] / base["rps"]
        passed = ratio >= FLOOR and all(200 <= s < 300 for s in figures["statuses"])
        ok &= passed
        print(f"| {name} | {figures['rps']:.0f} | {base['rps']:.0f} | {ratio:.2f}x | >= {FLOOR}x {'' if passed else 'MISSED'} | "
              f"{figures['p50_ms']:.1f} | {figures['p95_ms']:.1f} | {figures['max_queries']} | {figures['statuses']} |")
    if storms:
        ok &= print_tables(storms, events=args.storm, keys=args.keys)
    print(f"\n{'All targets met.' if ok else 'Some targets missed.'}")


if __name__ == "__main__":
    main()
