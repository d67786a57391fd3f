"""Benchmark subscriber notifications: one update fanned out to N confirmed subscribers
through real Celery workers, against a plain smtplib loop, to the same local SMTP sink.

    .venv/bin/python bench/notify_bench.py [--sizes 10000 100000] [--concurrency 4]
        [--server postgres://postgres@127.0.0.1:5432] [--redis redis://127.0.0.1:6379/5]

For each size, in one run:
- baseline: a plain smtplib loop sends the same messages (rendered by the project,
  outside the timing) to the sink over one connection: emails per second;
- the project: an update is published with notify_subscribers (its publish call timed),
  and `celery -A config worker` processes (started fresh for each size) fan it out and
  send it; emails per second from the publish to the last delivery marked sent, printed
  as a ratio to the baseline;
- the worker's peak memory (resident set of the main process and its pool, sampled);
- the publish call's latency with 0 subscribers (median of 5) and with N.
The sink (aiosmtpd, in its own process) counts messages and distinct recipients, so
the run also checks that each subscriber got exactly one.

Needs PostgreSQL and Redis; creates and drops the `bench_notifications` database, and
empties the Celery queue of the given Redis database.
"""

import argparse
import os
import signal
import smtplib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SINK = r"""
import asyncio, os, signal, sys, time
from aiosmtpd.controller import Controller

class Counter:
    def __init__(self):
        self.messages, self.recipients = 0, set()
    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        self.recipients.update(envelope.rcpt_tos)
        return "250 OK"

counter, stats = Counter(), sys.argv[2]
controller = Controller(counter, hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
stop = False
def _stop(*_):
    global stop
    stop = True
signal.signal(signal.SIGTERM, _stop)
while not stop:
    with open(stats + ".tmp", "w") as f:
        f.write(f"{counter.messages} {len(counter.recipients)}")
    os.replace(stats + ".tmp", stats)
    if os.path.exists(stats + ".reset"):
        os.remove(stats + ".reset")
        counter.messages, counter.recipients = 0, set()
    time.sleep(0.1)
controller.stop()
"""


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    def __init__(self, folder: Path):
        self.port, self.stats = free_port(), folder / "sink-stats"
        self.process = subprocess.Popen([sys.executable, "-c", SINK, str(self.port), str(self.stats)])
        while not self.stats.exists():
            time.sleep(0.05)

    def counts(self) -> tuple[int, int]:
        messages, recipients = self.stats.read_text().split()
        return int(messages), int(recipients)

    def reset(self):
        Path(str(self.stats) + ".reset").touch()
        while Path(str(self.stats) + ".reset").exists() or self.counts() != (0, 0):
            time.sleep(0.05)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def recreate_database(server_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"


def rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants (the pool's processes)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    pending += [int(child) for child in f.read().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total


class Worker:
    def __init__(self, env: dict, concurrency: int, folder: Path):
        self.log = open(folder / "worker.log", "a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", str(concurrency), "--loglevel", "INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.peak_kb = 0
        self.log_path = folder / "worker.log"

    def wait_ready(self):
        """Until the worker says it is ready (booting takes seconds on a loaded machine)."""
        while "ready." not in self.log_path.read_text():
            if self.process.poll() is not None:
                raise SystemExit(f"the worker died: see {self.log_path}")
            time.sleep(0.2)

    def sample(self) -> None:
        self.peak_kb = max(self.peak_kb, rss_kb(self.process.pid))

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()


def seed_subscribers(page, n: int) -> None:
    from django.utils import timezone

    from notifications.models import Delivery, Subscriber

    Delivery.objects.all().delete()
    Subscriber.objects.all().delete()
    now = timezone.now()
    for start in range(0, n, 5000):
        Subscriber.objects.bulk_create(
            [Subscriber(status_page=page, email=f"reader{i:06}@example.com", confirmed_at=now, source="import") for i in range(start, min(n, start + 5000))]
        )


def publish(page, notify: bool = True) -> tuple[object, float]:
    from statuspages import services

    started = time.perf_counter()
    incident = services.publish_incident(
        actor=None, status_page=page, name="Checkout is failing", message="We are **looking** into it.",
        component_statuses={page.api: "partial_outage"}, notify_subscribers=notify,
    )
    return incident, time.perf_counter() - started


def baseline_rate(page, port: int, sink: Sink) -> float:
    """A plain loop over the subscribers: build each one's message (the project's own, so
    the same bytes) and hand it to smtplib over one connection. Reading the subscribers
    is left out of the timing."""
    from notifications.models import Subscriber
    from notifications.rendering import build_message, render_update

    incident, _ = publish(page, notify=False)
    rendered = render_update(incident.updates.get())
    sent, seconds, last = 0, 0.0, ""
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        while True:
            chunk = list(Subscriber.objects.select_related("status_page").filter(pk__gt=last).order_by("pk")[:2000])
            if not chunk:
                break
            started = time.perf_counter()
            for subscriber in chunk:
                message = build_message(rendered, subscriber).message()
                smtp.sendmail(message["From"], [subscriber.email], message.as_bytes(linesep="\r\n"))
            seconds += time.perf_counter() - started
            sent, last = sent + len(chunk), chunk[-1].pk
    while sink.counts()[0] < sent:
        time.sleep(0.05)
    return sent / seconds


def run_size(n: int, page, args, env: dict, sink: Sink, folder: Path) -> dict:
    from notifications.models import Delivery, DeliveryState

    log(f"== {n} subscribers: seeding")
    seed_subscribers(page, n)
    sink.reset()
    log("   baseline: plain smtplib loop")
    baseline = baseline_rate(page, sink.port, sink)
    sink.reset()
    worker = Worker(env, args.concurrency, folder)
    try:
        worker.wait_ready()
        log("   publishing")
        incident, latency = publish(page)
        started = time.monotonic()
        update = incident.updates.get()
        while True:
            worker.sample()
            sent = Delivery.objects.filter(incident_update=update, state=DeliveryState.SENT).count()
            if sent >= n:
                break
            if worker.process.poll() is not None:
                raise SystemExit(f"the worker died: see {folder / 'worker.log'}")
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        worker.sample()
    finally:
        worker.stop()
    while sink.counts()[0] < n:
        time.sleep(0.05)
    time.sleep(1)
    messages, recipients = sink.counts()
    rate = n / elapsed
    return {
        "n": n, "baseline": baseline, "rate": rate, "ratio": rate / baseline, "seconds": elapsed,
        "peak_mb": worker.peak_kb / 1024, "publish_ms": latency * 1000, "messages": messages, "recipients": recipients,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    # Not while tests/notifications/test_worker.py runs on the same Redis database: it
    # empties the Celery queue when it starts.
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()

    import redis

    redis.Redis.from_url(args.redis).delete("celery", "unacked", "unacked_index", "unacked_mutex")
    database_url = recreate_database(args.server, "bench_notifications")
    folder = Path(tempfile.mkdtemp(prefix="notify-bench-"))
    sink = Sink(folder)
    env = {
        **os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": args.redis,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}", "VAR_DIR": str(folder / "var"),
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "VAR_DIR")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from statuspages import services

    page = services.save_status_page(actor=None, name="Acme status", slug="acme")
    page.api = services.create_component(actor=None, name="API", status_page=page)

    results = []
    try:
        # The publish call on a page nobody follows (the baseline of its latency); its
        # fan-outs, run once a worker starts, find nobody.
        quiet = services.save_status_page(actor=None, name="Quiet status", slug="quiet")
        quiet.api = services.create_component(actor=None, name="Quiet API", status_page=quiet)
        for _ in range(3):
            publish(quiet)  # warm up
        empty = statistics.median(publish(quiet)[1] for _ in range(5)) * 1000
        for n in args.sizes:
            results.append(run_size(n, page, args, env, sink, folder))
    finally:
        sink.stop()

    print(f"\nNotifications, concurrency {args.concurrency}, batch {os.environ.get('NOTIFICATIONS_BATCH_SIZE', 200)}")
    print(f"publish call, 0 subscribers: {empty:.1f} ms (median of 5)")
    print("subscribers  smtplib/s  workers/s  ratio  fan-out s  peak worker MB  publish ms  received (distinct)")
    for r in results:
        print(
            f"{r['n']:>11}  {r['baseline']:>9.0f}  {r['rate']:>9.0f}  {r['ratio']:>5.2f}  {r['seconds']:>9.1f}"
            f"  {r['peak_mb']:>14.0f}  {r['publish_ms']:>10.1f}  {r['messages']} ({r['recipients']})"
        )
    if any(r["messages"] != r["n"] or r["recipients"] != r["n"] for r in results):
        raise SystemExit("some subscriber did not get exactly one message")


if __name__ == "__main__":
    main()
