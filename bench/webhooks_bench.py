"""Benchmark webhook delivery: E events to N endpoints through real Celery workers,
against a plain httpx loop posting the same bodies to the same local receiver.

    .venv/bin/python bench/webhooks_bench.py [--endpoints 100] [--events 1000] [--concurrency 4]
        [--server postgres://postgres@127.0.0.1:5432] [--redis redis://127.0.0.1:6379/6]

In one run:
- seeding: N endpoints (paths of one receiver), then E incidents declared through the
  services, which record E messages and E x N deliveries (the outbox) as in production;
  the broker is set aside while seeding, so nothing is sent yet;
- baseline: a plain loop posts every delivery's body to its URL with one keep-alive
  httpx client (no signing, no database): deliveries per second;
- the project: `celery -A config worker` processes (prefork, --concurrency) are started,
  every delivery is enqueued as the receivers do (one task each) and the clock runs
  until the last is marked sent: deliveries per second, printed as a ratio to the baseline
  (floor 0.5x), and the worker's resident memory (main process and pool) when a tenth
  was sent, at the end, and at its peak;
- latency: with the bulk endpoints disabled and one endpoint to a receiver in this
  process, an incident update is posted through the services (enqueued on commit, to the
  real broker) and the time to its first POST arriving is measured (median and worst of
  --rounds).
The receiver (asyncio, its own process, keep-alive) counts requests and distinct
(path, webhook-id) pairs, so the run also checks every delivery arrived exactly once.

Needs PostgreSQL and Redis; creates and drops the `bench_webhooks` database and empties
the Celery queue of the given Redis database.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.notify_bench import Worker, free_port, log, recreate_database, rss_kb  # noqa: E402

RECEIVER = r"""
import asyncio, os, signal, sys

count, seen, stats = 0, set(), sys.argv[2]

async def handle(reader, writer):
    global count
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:] if l)}
            await reader.readexactly(int(headers.get("content-length", 0)))
            count += 1
            seen.add((path, headers.get("webhook-id", str(count))))
            keep = headers.get("connection", "").lower() != "close"
            writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n" + (b"" if keep else b"connection: close\r\n") + b"\r\nok")
            await writer.drain()
            if not keep:
                break
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    writer.close()

async def report():
    while True:
        with open(stats + ".tmp", "w") as f:
            f.write(f"{count} {len(seen)}")
        os.replace(stats + ".tmp", stats)
        if os.path.exists(stats + ".reset"):
            os.remove(stats + ".reset")
            globals().update(count=0, seen=set())
        await asyncio.sleep(0.1)

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", int(sys.argv[1]), backlog=1024)
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, stop.set_result, None)
    task = asyncio.create_task(report())
    await stop
    task.cancel()
    server.close()

asyncio.run(main())
"""


class Receiver:
    def __init__(self, folder: Path):
        self.port, self.stats = free_port(), folder / "receiver.stats"
        self.process = subprocess.Popen([sys.executable, "-c", RECEIVER, str(self.port), str(self.stats)])
        while not self.stats.exists():
            time.sleep(0.05)

    def counts(self) -> tuple[int, int]:
        text = self.stats.read_text().split()
        return int(text[0]), int(text[1])

    def reset(self):
        Path(str(self.stats) + ".reset").touch()
        while self.counts() != (0, 0):
            time.sleep(0.05)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)


def use_broker(url: str) -> None:
    from config.celery import app

    app.conf.broker_url = url
    app._pool = None
    app.amqp._producer_pool = None


def seed(endpoints: int, events: int, port: int) -> None:
    from incidents.services import declare_incident
    from notifications import enqueue
    from notifications.services import webhooks

    for i in range(endpoints):
        webhooks.create_endpoint(url=f"http://127.0.0.1:{port}/hook/{i}", event_types=["public_incident.incident_created_v2"])
    for i in range(events):
        declare_incident(actor=None, name=f"Incident {i}", summary="Checkout is failing for some customers " * 4)
        if (i + 1) % 200 == 0:
            log(f"   {i + 1} events recorded")
    # What the receivers handed the background thread goes to the memory broker, not Redis.
    enqueue._background.submit(lambda: None).result(timeout=600)


def baseline_rate(receiver: Receiver) -> tuple[float, int]:
    import httpx

    from notifications.models import WebhookDelivery

    rows = list(WebhookDelivery.objects.order_by("id").values_list("endpoint__url", "message__body"))
    started = time.perf_counter()
    with httpx.Client(timeout=10) as client:
        for url, body in rows:
            client.post(url, content=body.encode(), headers={"content-type": "application/json"}).raise_for_status()
    seconds = time.perf_counter() - started
    return len(rows) / seconds, len(rows)


def project_rate(args, env: dict, folder: Path, total: int) -> dict:
    from notifications.models import DeliveryState, WebhookDelivery
    from notifications.tasks import deliver_webhook

    worker = Worker(env, args.concurrency, folder)
    worker.wait_ready()
    idle_kb = rss_kb(worker.process.pid)
    ids = list(WebhookDelivery.objects.order_by("id").values_list("pk", flat=True))
    started = time.monotonic()

    def enqueue():
        for pk in ids:
            deliver_webhook.apply_async((pk,), retry=False)

    sender = threading.Thread(target=enqueue)
    sender.start()
    tenth_kb = None
    while True:
        worker.sample()
        sent = WebhookDelivery.objects.filter(state=DeliveryState.SENT).count()
        if tenth_kb is None and sent >= total // 10:
            tenth_kb = rss_kb(worker.process.pid)
        if sent >= total:
            break
        if worker.process.poll() is not None:
            raise SystemExit(f"the worker died: see {folder / 'worker.log'}")
        time.sleep(0.5)
    elapsed = time.monotonic() - started
    sender.join()
    end_kb = rss_kb(worker.process.pid)
    return {"worker": worker, "seconds": elapsed, "rate": total / elapsed, "idle_mb": idle_kb / 1024,
            "tenth_mb": (tenth_kb or end_kb) / 1024, "end_mb": end_kb / 1024}


def first_delivery_latency(rounds: int) -> list[float]:
    """Seconds from posting an update (the service call) to its first POST arriving."""
    from incidents import services as incidents
    from notifications.models import WebhookEndpoint
    from notifications.services import webhooks

    arrived = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("content-length") or 0))
            self.send_response(200)
            self.send_header("content-length", "0")
            self.end_headers()
            arrived.set()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    WebhookEndpoint.objects.update(enabled=False)
    webhooks.create_endpoint(url=f"http://127.0.0.1:{server.server_address[1]}/latency",
                             event_types=["public_incident.incident_updated_v2"])
    incident = incidents.declare_incident(actor=None, name="Latency probe")
    times = []
    try:
        for i in range(rounds + 1):
            arrived.clear()
            started = time.perf_counter()
            incidents.post_incident_update(incident=incident, actor=None, message=f"Update {i}")
            if not arrived.wait(60):
                raise SystemExit("an update's delivery never arrived")
            if i:  # the first warms the worker's connections up
                times.append(time.perf_counter() - started)
    finally:
        server.shutdown()
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoints", type=int, default=100)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()

    import redis

    redis.Redis.from_url(args.redis).delete("celery", "unacked", "unacked_index", "unacked_mutex")
    database_url = recreate_database(args.server, "bench_webhooks")
    folder = Path(tempfile.mkdtemp(prefix="webhooks-bench-"))
    receiver = Receiver(folder)
    env = {
        **os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": args.redis, "VAR_DIR": str(folder / "var"),
        "WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "CELERY_BROKER_URL", "VAR_DIR", "WEBHOOK_ALLOWED_HOSTS")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    total = args.endpoints * args.events
    worker = None
    try:
        log(f"== seeding {args.endpoints} endpoints x {args.events} events")
        use_broker("memory://")  # recorded, not sent: the measured phase enqueues them
        seed(args.endpoints, args.events, receiver.port)
        use_broker(args.redis)
        log("   baseline: plain httpx loop")
        baseline, posted = baseline_rate(receiver)
        assert posted == total, (posted, total)
        receiver.reset()
        log("   the project: celery workers")
        result = project_rate(args, env, folder, total)
        worker = result["worker"]
        time.sleep(1)
        requests, distinct = receiver.counts()
        log("   latency: update to first delivery")
        latencies = first_delivery_latency(args.rounds)
    finally:
        if worker is not None:
            worker.stop()
        receiver.stop()

    ratio = result["rate"] / baseline
    print(f"\nWebhooks: {args.endpoints} endpoints x {args.events} events = {total} deliveries, concurrency {args.concurrency}")
    print(f"plain httpx loop: {baseline:.0f}/s; workers: {result['rate']:.0f}/s in {result['seconds']:.1f} s; ratio {ratio:.2f}x (floor 0.5x)")
    print(f"worker memory MB: idle {result['idle_mb']:.0f}, at 10% {result['tenth_mb']:.0f}, at the end {result['end_mb']:.0f}, "
          f"peak {result['worker'].peak_kb / 1024:.0f}")
    print(f"update to first delivery: median {statistics.median(latencies) * 1000:.0f} ms, worst {max(latencies) * 1000:.0f} ms "
          f"({len(latencies)} rounds)")
    print(f"received: {requests} requests, {distinct} distinct (path, webhook-id)")
    if requests != total or distinct != total:
        raise SystemExit("some delivery did not arrive exactly once")


if __name__ == "__main__":
    main()
