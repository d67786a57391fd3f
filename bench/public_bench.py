"""Benchmark the public status page against a bare Django view, served the same way.

    .venv/bin/python bench/public_bench.py   (SECONDS=6 CONCURRENCY=4 PORT=8897 BENCH_DATABASE=h_public_bench in the environment)

Builds a fresh PostgreSQL database with a page of 50 components (5 groups) and two years
of history, serves it with gunicorn (bench.settings: a bare view and X-Query-Count), and
measures, alternating one-second slices with the bare view: the warm front page, the
same with If-None-Match (304), summary.json, and the page's export
(``manage.py exportstatus``) served by a real nginx with docs/recipes/nginx-status-export.conf
(NGINX_PORT, default PORT+1); queries per page cold and warm; and the renders when 200
clients ask at once right after a publish.
"""

import os
import random
import shutil
import sys
import tempfile
import threading
import time
from datetime import timedelta
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
from bench import api_bench as ab  # noqa: E402

PORT = int(os.environ.get("PORT", 8897))
CACHE = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/12")
SECONDS = float(os.environ.get("SECONDS", 6))
CONCURRENCY = int(os.environ.get("CONCURRENCY", 4))


NGINX_PORT = int(os.environ.get("NGINX_PORT", PORT + 1))


def get(path, headers=None, port=PORT):
    conn = HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def build():
    from django.utils import timezone

    from statuspages import services

    page = services.save_status_page(actor=None, name="Bench status", slug="bench", time_zone="Europe/Paris")
    components = []
    for g in range(5):
        group = services.save_group(actor=None, status_page=page, name=f"Group {g}")
        for c in range(10):
            components.append(services.create_component(actor=None, name=f"Component {g}.{c}", group=group, description="A component"))
    now = timezone.now()
    rng = random.Random(7)
    for n in range(104):  # one a week, two years
        began = now - timedelta(days=7 * n + 1, hours=rng.randint(0, 23))
        hurt = rng.sample(components, 3)
        services.publish_retrospective_incident(
            actor=None, status_page=page, name=f"Incident {n}", updates=[
                services.PastUpdate("investigating", "We are looking into it.", began, {c: rng.choice(["degraded_performance", "partial_outage", "full_outage"]) for c in hurt}),
                services.PastUpdate("identified", "Found the cause.", began + timedelta(minutes=40)),
                services.PastUpdate("resolved", "Fixed.", began + timedelta(hours=2)),
            ],
        )
    for n in range(12):
        starts = now - timedelta(days=60 * n + 3)
        services.schedule_maintenance(
            actor=None, status_page=page, name=f"Maintenance {n}", message="Planned.", published_at=starts - timedelta(days=7),
            starts_at=starts, ends_at=starts + timedelta(hours=2), status="maintenance_complete", components=components[:5],
        )
    services.schedule_maintenance(actor=None, status_page=page, name="Upcoming", message="Planned.",
                                  starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=2), components=components[:3])
    return page, components


def measure_headers(path, headers, seconds, port=PORT):
    latencies, statuses, queries, lock = [], {}, [], threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker():
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            status, h, _ = get(path, headers, port)
            with lock:
                latencies.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1
                queries.append(int(h.get("X-Query-Count", 0)))

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - began, latencies, statuses, queries


def against_bare(path, headers=None, port=PORT):
    bare, mine = [], []
    for _ in range(int(SECONDS)):
        bare.append(measure_headers("/bench/bare", None, 1.0))
        mine.append(measure_headers(path, headers() if callable(headers) else headers, 1.0, port))
    b, m = ab._figures(bare), ab._figures(mine)
    return b, m


def main():
    database_url = ab.recreate_database("postgres://postgres@127.0.0.1:5432", os.environ.get("BENCH_DATABASE", "h_public_bench"))
    os.environ["CACHE_URL"] = CACHE
    ab.setup_django(database_url)
    started = time.perf_counter()
    page, components = build()
    ab.log(f"built the page in {time.perf_counter() - started:.1f}s")
    from django.conf import settings

    from statuspages import export, services
    from tests import nginx

    exports = Path(tempfile.mkdtemp(prefix="public-bench-"))
    started = time.perf_counter()
    written = export.export_to(page, exports / "bench")
    ab.log(f"exported the page: {len(written)} files, {sum(w.size for w in written) // 1024} kB, "
           f"in {time.perf_counter() - started:.1f}s (in-process, through the views)")
    static_server = nginx.start(exports / "nginx", NGINX_PORT, exports / "bench")
    server = ab.start_gunicorn(database_url, CACHE, PORT, 4)
    try:
        status, h, body = get("/status/bench/")
        ab.log(f"front cold: {status}, {len(body)} bytes, {h['X-Query-Count']} queries")
        status, h, body = get("/status/bench/")
        ab.log(f"front warm: {status}, {h['X-Query-Count']} queries")
        for path in ("/status/bench/api/v2/summary.json", "/status/bench/history/", "/status/bench/feed.atom", "/status/bench/badge.svg"):
            cold, warm = get(path), get(path)
            ab.log(f"{path}: cold {cold[1]['X-Query-Count']} queries, warm {warm[1]['X-Query-Count']}, {len(cold[2])} bytes")
        results = {}
        gz = {"Accept-Encoding": "gzip, deflate, br"}
        ab.PAGE_FILE.write_bytes(get("/status/bench/")[2])  # the reference serves the front's bytes
        for name, path, headers, *port in (
            ("reference: the front's 495 kB from a bare view", "/bench/bare-page", None),
            ("front page, warm, gzip (as browsers ask)", "/status/bench/", gz),
            ("front page, warm, not compressed", "/status/bench/", None),
            ("front page, If-None-Match (304)", "/status/bench/", "etag"),
            ("summary.json, warm, gzip", "/status/bench/api/v2/summary.json", gz),
            ("exported front page from nginx, gzip", "/status/bench/", gz, NGINX_PORT),
            ("exported summary.json from nginx, gzip", "/status/bench/api/v2/summary.json", gz, NGINX_PORT),
        ):
            if headers == "etag":  # the reader's copy: current at each slice (the front's window is a minute)
                headers = lambda: {**gz, "If-None-Match": get("/status/bench/", gz)[1]["ETag"]}  # noqa: E731
            port = port[0] if port else PORT
            against_bare(path, headers, port)  # warm up
            b, m = against_bare(path, headers, port)
            results[name] = (b, m)
            ab.log(f"{name}: {m['rps']:.0f} rps vs bare {b['rps']:.0f} = {m['rps'] / b['rps']:.2f}x; p50 {m['p50_ms']:.1f} ms; statuses {m['statuses']}; max queries {m['max_queries']}")
        # The crowd: publish, then 200 clients at once.
        crowd = []
        for attempt in range(3):
            services.publish_incident(actor=None, status_page=page, name=f"Crowd {attempt}", message="Just now.",
                                      component_statuses={components[attempt]: "partial_outage"})
            barrier, answers, lock = threading.Barrier(200), [], threading.Lock()

            def reader():
                barrier.wait()
                status, h, body = get("/status/bench/", {"Accept-Encoding": "gzip"})
                if h.get("Content-Encoding") == "gzip":
                    import gzip
                    body = gzip.decompress(body)
                with lock:
                    answers.append((status, int(h.get("X-Query-Count", 0)), f"Crowd {attempt}".encode() in body))

            threads = [threading.Thread(target=reader) for _ in range(200)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            renders = sum(1 for _, q, _ in answers if q > 1)
            lookups = sum(1 for _, q, _ in answers if q == 1)
            ok = all(s == 200 and shown for s, _, shown in answers)
            crowd.append(renders)
            ab.log(f"crowd {attempt}: {renders} renders, {lookups} page lookups only, {200 - renders - lookups} with no query; all 200 show it: {ok}")
        print({"results": {k: (round(v[1]['rps']), round(v[0]['rps']), round(v[1]['rps'] / v[0]['rps'], 2), round(v[1]['p50_ms'], 1)) for k, v in results.items()}, "crowd": crowd, "acceleration": settings.API_ACCELERATION})
    finally:
        server.terminate()
        server.wait()
        nginx.stop(static_server)
        shutil.rmtree(exports, ignore_errors=True)


if __name__ == "__main__":
    main()
