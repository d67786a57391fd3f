"""Time (and optionally profile) the API in-process, without HTTP, to see where a
request's time goes. Complements api_bench.py, whose HTTP figures are the ones that count.

    .venv/bin/python bench/profile_api.py [--incidents 5000] [--requests 500] [--profile list]

Builds the same database as api_bench.py (``bench_profile`` on the same server), then
calls Django's WSGI handler directly for each scenario, in slices alternating with the
bare view's, and prints the mean wall and CPU time per request in microseconds, each with
its ratio to the bare view's. With ``--profile NAME``, prints cProfile's top functions for
that scenario, by cumulative time (``SORT=tottime`` in the environment: by own time).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api_bench import prepare  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="bench_profile")
    parser.add_argument("--cache", default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13"))
    parser.add_argument("--incidents", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--profile", choices=["list", "show", "cold", "create"], default=None)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", nargs="*", default=None, help="scenarios to run (the bare view always runs)")
    args = parser.parse_args()

    _, config = prepare(args.server, args.database, args.cache, args.incidents)
    from django.core.handlers.wsgi import WSGIHandler

    from incidents.models import Incident

    # Few enough that the warm-up renders them all: the HTTP benchmark's show is warm too.
    everything = list(Incident.objects.order_by("?").values_list("id", flat=True))
    ids, never_shown = everything[:50], iter(everything[50:])
    handler = WSGIHandler()
    token = config["token"]
    severity = config["severities"][0]

    def call(method, path, body=None):
        path, _, query = path.partition("?")
        data = json.dumps(body).encode() if body is not None else b""
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "HTTP_HOST": "localhost",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        statuses = []
        body = b"".join(handler(environ, lambda status, headers: statuses.append(status)))
        if not statuses[0].startswith("2"):
            raise RuntimeError(f"{method} {path}: {statuses[0]} {body[:300]!r}")
        return body

    scenarios = {
        "bare": lambda: call("GET", "/bench/bare"),
        "list": lambda: call("GET", "/v2/incidents?page_size=25"),
        "show": lambda: call("GET", f"/v2/incidents/{random.choice(ids)}"),
        "cold": lambda: call("GET", f"/v2/incidents/{next(never_shown)}"),
        "create": lambda: call(
            "POST",
            "/v2/incidents",
            {"idempotency_key": str(uuid.uuid4()), "visibility": "public", "name": "Profiled", "summary": "x", "severity_id": severity},
        ),
    }
    figures, cpu = {}, {}
    bare = scenarios["bare"]
    for name, scenario in scenarios.items():
        if name == "bare" or (args.only and name not in args.only):
            continue
        for _ in range(min(300 if name != "cold" else 20, args.requests)):
            scenario()  # warm caches
        # In slices alternating with the bare view's, as api_bench.py does: this machine's
        # speed drifts within seconds.
        profiler = cProfile.Profile() if args.profile == name else None
        spent = {"bare": [0.0, 0.0], name: [0.0, 0.0]}
        slices = 10
        for _ in range(slices):
            for measured, run in (("bare", bare), (name, scenario)):
                started, started_cpu = time.perf_counter(), time.process_time()
                if profiler and measured == name:
                    profiler.enable()
                for _ in range(args.requests // slices):
                    run()
                if profiler and measured == name:
                    profiler.disable()
                spent[measured][0] += time.perf_counter() - started
                spent[measured][1] += time.process_time() - started_cpu
        count = slices * (args.requests // slices)
        (bare_wall, bare_cpu), (wall, used) = ((w / count * 1e6, c / count * 1e6) for w, c in spent.values())
        figures[name], cpu[name] = wall, used
        print(
            f"{name:>7}: {wall:8.0f} us/request ({wall / bare_wall:.1f}x the bare view's {bare_wall:.0f}), "
            f"{used:6.0f} us of this process's CPU ({used / bare_cpu:.1f}x the bare view's {bare_cpu:.0f})"
        )
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
