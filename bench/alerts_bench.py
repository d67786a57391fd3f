"""Benchmark alert events in: ``POST /v2/alert_events/http/{id}`` against the bare write,
served the same way, and an alert storm.

    .venv/bin/python bench/alerts_bench.py [--seconds 10] [--storm 10000] [--keys 200] [--big 1000000]

Builds a fresh PostgreSQL database, serves the project with gunicorn (bench.settings: the
real settings plus the bare views and an X-Query-Count header) and measures, each in
one-second slices alternating with the bare write's (bench/api_bench.py explains why):

- POST /bench/bare-write            the baseline: one row inserted and committed, no
                                    authentication, validation or rendering
- POST /v2/alert_events/http/{id}   repeats: events for 200 keys, each folding into its
                                    firing alert (the steady state of a noisy monitor)
- POST /v2/alert_events/http/{id}   new keys: each event opens an alert

Then the storm: ``--storm`` events over ``--keys`` keys (in 20 groups), sent by 20 client
threads as fast as the server takes them, first with ``--stored`` resolved alerts in the
table and, with ``--big``, again after the table is grown to that many: alerts made,
events lost (sent 2xx but not stored), 5xx answers, and the latency's p50/p99.
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api_bench import _copy, log, measure, measure_against, recreate_database, setup_django, start_gunicorn  # noqa: E402

#: the floor the events URL holds against the bare write (issue 18)
FLOOR = 0.25
GROUPS = 20


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def event(key: str, group: int) -> dict:
    return {
        "title": f"High error rate on {key}",
        "status": "firing",
        "deduplication_key": key,
        "description": "5xx above 2% for 5 minutes",
        "source_url": "https://grafana.example.com/d/abc",
        "metadata": {"service": f"service-{group}", "group": f"group-{group}", "severity": "critical"},
    }


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


def storm(port: int, path: str, secret: str, *, events: int, keys: int, prefix: str, concurrency: int = 20) -> dict:
    """Send ``events`` firing events over ``keys`` keys from ``concurrency`` threads as
    fast as they are answered; figures of the whole."""
    counter = iter(range(events))
    lock = threading.Lock()
    latencies, statuses, queries, errors = [], {}, [], []
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    import json

    def worker():
        mine_lat, mine_status, mine_queries = [], {}, []
        conn = HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            k = n % keys
            body = json.dumps(event(f"{prefix}-{k}", k % GROUPS))
            started = time.perf_counter()
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except OSError as failed:  # a connection the server dropped: counted, then a new one
                errors.append(repr(failed))
                conn = HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine_lat.append(time.perf_counter() - started)
            mine_status[response.status] = mine_status.get(response.status, 0) + 1
            mine_queries.append(int(response.getheader("X-Query-Count", "0")))
        conn.close()
        with lock:
            latencies.extend(mine_lat)
            queries.extend(mine_queries)
            for status, count in mine_status.items():
                statuses[status] = statuses.get(status, 0) + count

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "elapsed": elapsed,
        "rate": len(latencies) / elapsed,
        "statuses": statuses,
        "errors": errors,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "queries": (min(queries), max(queries)),
    }


def storm_report(name: str, figures: dict, source, prefix: str, sent: int, keys: int) -> bool:
    from django.db.models import Sum

    from alerts.models import Alert, AlertEvent

    made = Alert.objects.filter(source=source, dedup_key__startswith=f"{prefix}-")
    alerts = made.count()
    folded = made.aggregate(total=Sum("event_count"))["total"] or 0
    # Raw events: identical repeats are one row with a count (alerts/services/raw.py).
    stored = (
        AlertEvent.objects.filter(source=source, dedup_key__startswith=f"{prefix}-").aggregate(total=Sum("repeat_count"))["total"]
        or 0
    )
    accepted = sum(v for k, v in figures["statuses"].items() if 200 <= k < 300)
    server_errors = sum(v for k, v in figures["statuses"].items() if k >= 500)
    lost = accepted - min(stored, folded)
    ok = alerts == keys and lost == 0 and server_errors == 0 and not figures["errors"] and accepted == sent
    print(
        f"| {name} | {sent} | {figures['elapsed']:.1f} | {figures['rate']:.0f} | {alerts} | {accepted} | {lost} | "
        f"{server_errors} | {len(figures['errors'])} | {figures['p50_ms']:.1f} | {figures['p99_ms']:.1f} | "
        f"{figures['queries'][0]}-{figures['queries'][1]} | {'' if ok else 'MISSED'} |"
    )
    return ok


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
            log(f"{Alert.objects.count()} alerts stored; storm of {args.storm} events")
            storms.append((f"{Alert.objects.count():,} alerts stored", storm(
                port, path, secret, events=args.storm, keys=args.keys, prefix="storm1"), "storm1"))
            if args.big > Alert.objects.count():
                started = time.perf_counter()
                load_resolved_alerts(source.pk, args.big - Alert.objects.count(), "older")
                log(f"grew to {Alert.objects.count()} alerts in {time.perf_counter() - started:.0f}s")
                storms.append((f"{Alert.objects.count():,} alerts stored", storm(
                    port, path, secret, events=args.storm, keys=args.keys, prefix="storm2"), "storm2"))
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
        print(f"\nStorm: {args.storm} events over {args.keys} keys in {GROUPS} groups, 20 client threads "
              "(alerts only: grouping into incidents is not on this branch)\n")
        print("| table | events | seconds | events/s | alerts made | 2xx | lost | 5xx | dropped connections | p50 ms | p99 ms | queries | |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for name, figures, prefix in storms:
            ok &= storm_report(name, figures, source, prefix, args.storm, args.keys)
        if len(storms) == 2:
            growth = storms[1][1]["p99_ms"] / storms[0][1]["p99_ms"]
            print(f"\np99 with the big table against the small: {growth:.2f}x")
    print(f"\n{'All targets met.' if ok else 'Some targets missed.'}")


if __name__ == "__main__":
    main()
