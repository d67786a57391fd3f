"""Benchmark the incident admin against a bare Django view, served the same way.

    .venv/bin/python bench/admin_bench.py [--incidents 10000] [--big 300000] [--seconds 6]

Builds a fresh PostgreSQL database (``h_admin_bench``), loads incidents with COPY as
bench/api_bench.py does (each with role assignments, custom field values, timestamps and
a first update; one in a hundred named "Primary database disk full on db-<n>"), logs a
superuser in (a session row, its cookie sent with every request), serves bench.settings
with gunicorn, and measures, in one-second slices alternating with the bare view's:

- the incident list (first page), its page 500 (the last, 200, at 10,000), a search by
  name ("database disk");
- one incident's page (a random one of 200, each with its roles, fields and timestamps).

Then grows the table to ``--big`` incidents (timing the load) and measures again. Figures
are ratios of requests per second to the bare view's, with each scenario's median
latency and its queries per request (X-Query-Count).
"""

import argparse
import os
import random
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
from bench import api_bench as ab  # noqa: E402

SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
CACHE = os.environ.get("BENCH_CACHE_URL", "locmemcache://")
PORT = int(os.environ.get("PORT", 8899))
CONCURRENCY = int(os.environ.get("CONCURRENCY", 2))


def get(path, cookie):
    conn = HTTPConnection("127.0.0.1", PORT, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def measure(make_path, cookie, seconds):
    latencies, statuses, queries, lock = [], {}, [], threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            status, headers, _ = get(make_path(), cookie)
            with lock:
                latencies.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1
                queries.append(int(headers.get("X-Query-Count", 0)))

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - began, latencies, statuses, queries


def against_bare(make_path, cookie, seconds):
    bare, mine = [], []
    for _ in range(int(seconds)):
        bare.append(measure(lambda: "/bench/bare", cookie, 1.0))
        mine.append(measure(make_path, cookie, 1.0))
    return ab._figures(bare), ab._figures(mine)


def after_load(every: int = 100):
    """What COPY leaves out: whether each incident is active (the column's default says
    yes), and one incident in ``every`` named as a responder would search for it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE incidents_incident i SET is_active = s.category IN ('triage', 'live', 'paused') "
            "FROM incidents_incidentstatus s WHERE s.id = i.status_id AND i.is_active <> (s.category IN ('triage', 'live', 'paused'))"
        )
        cursor.execute(
            "UPDATE incidents_incident SET name = 'Primary database disk full on db-' || reference_number "
            "WHERE reference_number %% %s = 0 AND name LIKE 'Bench incident %%'",
            [every],
        )
        cursor.execute("ANALYZE incidents_incident")


def log_in() -> str:
    """A superuser's session cookie, as the login form would set it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.create_superuser("bench-admin", "bench-admin@example.com", "bench-pw-123")
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def scenarios(cookie):
    from incidents.models import Incident

    page = min(500, Incident.objects.count() // 50)  # page 500, or the last at 10,000
    ids = list(Incident.objects.order_by("?").values_list("pk", flat=True)[:200])
    rng = random.Random(11)
    for pk in ids:  # each page once before measuring: the steady state
        get(f"/admin/incidents/incident/{pk}/change/", cookie)
    return [
        ("list, first page", lambda: "/admin/incidents/incident/"),
        (f"list, page {page}", lambda: f"/admin/incidents/incident/?p={page}"),
        ("search by name", lambda: "/admin/incidents/incident/?q=database+disk"),
        ("one incident's page", lambda: f"/admin/incidents/incident/{rng.choice(ids)}/change/"),
    ]


def run(label, cookie, seconds):
    rows = []
    for name, make_path in scenarios(cookie):
        status, headers, _ = get(make_path(), cookie)
        assert status == 200, (name, status)
        against_bare(make_path, cookie, 2)  # warm-up
        bare, mine = against_bare(make_path, cookie, seconds)
        rows.append((label, name, mine["rps"] / bare["rps"], mine["p50_ms"], bare["p50_ms"], mine["max_queries"], mine["statuses"]))
        ab.log(f"{label} | {name}: {mine['rps'] / bare['rps']:.3f}x bare ({mine['rps']:.1f} vs {bare['rps']:.0f} rps); "
               f"p50 {mine['p50_ms']:.0f} ms (bare {bare['p50_ms']:.1f}); queries {mine['max_queries']}; {mine['statuses']}")
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=300_000)
    parser.add_argument("--seconds", type=float, default=6)
    args = parser.parse_args()
    database_url, config = ab.prepare(SERVER, "h_admin_bench", CACHE, args.incidents)
    after_load()
    cookie = log_in()
    rows = []
    server = ab.start_gunicorn(database_url, CACHE, PORT, 4)
    try:
        rows += run(f"{args.incidents:,}", cookie, args.seconds)
    finally:
        server.terminate()
        server.wait()
    if args.big > args.incidents:
        started = time.perf_counter()
        ab.load_incidents(config, args.big - args.incidents, args.incidents + 1)
        after_load()
        ab.log(f"grew to {args.big:,} incidents in {time.perf_counter() - started:.1f}s")
        server = ab.start_gunicorn(database_url, CACHE, PORT, 4)
        try:
            rows += run(f"{args.big:,}", cookie, args.seconds)
        finally:
            server.terminate()
            server.wait()
    print("\n| incidents | scenario | rps ratio to bare | p50 ms | bare p50 ms | queries |")
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for label, name, ratio, p50, bare_p50, queries, _ in rows:
        print(f"| {label} | {name} | {ratio:.3f}x | {p50:.0f} | {bare_p50:.1f} | {queries} |")


if __name__ == "__main__":
    main()
