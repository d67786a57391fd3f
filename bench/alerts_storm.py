"""The alert storm of bench/alerts_bench.py: events sent from client threads as fast as
the server answers, through an alert route that groups them into incidents.

Before a storm, ``create_storm_route`` makes a route for the bench's source through the
service (as tests/alerts/routes/ do): grouping by ``alert.metadata.group`` within a
window far longer than any storm, declaring a live incident per group (the default
incident type, statuses and severities come from the data migration) and resolving it
when every alert of it has resolved. After a storm, what it made is counted at once
(``storm_counts``), before a resolution storm bumps the alerts' event counts:

- alerts: one per key, and no event lost (sent 2xx but neither folded nor stored);
- routing: one incident per group, every alert attached to its group's incident;
- with ``--resolve``: one resolved event per key, every alert resolved, and each
  incident closed by the route ("Every alert of this incident has resolved.").
"""

import json
import statistics
import threading
import time
from http.client import HTTPConnection

GROUPS = 20
GROUPING_KEY = "alert.metadata.group"
#: far longer than a storm: every alert of a group joins its first alert's incident
WINDOW_SECONDS = 86_400


def event(key: str, group: int, status: str = "firing") -> dict:
    return {
        "title": f"High error rate on {key}",
        "status": status,
        "deduplication_key": key,
        "description": "5xx above 2% for 5 minutes",
        "source_url": "https://grafana.example.com/d/abc",
        "metadata": {"service": f"service-{group}", "group": f"group-{group}", "severity": "critical"},
    }


def storm(port: int, path: str, secret: str, *, events: int, keys: int, prefix: str, concurrency: int = 20,
          status: str = "firing") -> dict:
    """Send ``events`` events (``status``) over ``keys`` keys from ``concurrency`` threads
    as fast as they are answered; figures of the whole."""
    counter = iter(range(events))
    lock = threading.Lock()
    latencies, statuses, queries, errors = [], {}, [], []
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}

    def worker():
        mine_lat, mine_status, mine_queries = [], {}, []
        conn = HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            k = n % keys
            body = json.dumps(event(f"{prefix}-{k}", k % GROUPS, status))
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
            for code, count in mine_status.items():
                statuses[code] = statuses.get(code, 0) + count

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
        "p99_ms": latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000,
        "queries": (min(queries), max(queries)),
    }


def create_storm_route(source, prefix: str, previous=None):
    """The route a storm's alerts go through; ``previous`` (the last storm's) is disabled
    first, so a second storm declares incidents of its own rather than joining the
    first's groups (still open: the window outlasts both)."""
    from alerts import services
    from incidents.models import IncidentStatus, IncidentType, StatusCategory

    if previous is not None:
        services.update_alert_route(route=previous, name=previous.name, enabled=False)
    # What declare_incident needs, seeded by incidents/migrations/0002_defaults.
    if not IncidentType.objects.filter(is_default=True).exists():
        raise RuntimeError("no default incident type: the data migration did not run")
    if not IncidentStatus.objects.filter(category=StatusCategory.LIVE).exists():
        raise RuntimeError("no live incident status: the data migration did not run")
    return services.create_alert_route(
        name=f"Bench {prefix}",
        sources=[(source, [])],
        grouping_keys=[GROUPING_KEY],
        grouping_window_seconds=WINDOW_SECONDS,
        window_type="rolling",
        start_in_triage=False,
        when_resolved="resolve",
        name_template="{{ alert.metadata.group }} is failing",
    )


def _links(prefix: str):
    from alerts.models import IncidentAlert

    return IncidentAlert.objects.filter(alert__dedup_key__startswith=f"{prefix}-")


def storm_counts(source, prefix: str, route) -> dict:
    """What a storm left, counted before anything resolves its alerts."""
    from django.db.models import Count, Sum

    from alerts.models import Alert, AlertEvent, AlertGroup

    made = Alert.objects.filter(source=source, dedup_key__startswith=f"{prefix}-")
    # Raw events: identical repeats are one row with a count (alerts/services/raw.py).
    stored = AlertEvent.objects.filter(source=source, dedup_key__startswith=f"{prefix}-")
    links = _links(prefix)
    groups = AlertGroup.objects.filter(route=route)
    return {
        "alerts": made.count(),
        "folded": made.aggregate(total=Sum("event_count"))["total"] or 0,
        "stored": stored.aggregate(total=Sum("repeat_count"))["total"] or 0,
        "incidents": links.values("incident_id").distinct().count(),
        "attached": links.values("alert_id").distinct().count(),
        "links": links.count(),
        "groups": groups.count(),
        "groups_with_incident": groups.filter(incident__isnull=False).values("incident_id").distinct().count(),
        "alerts_per_group": sorted(groups.annotate(n=Count("alerts")).values_list("n", flat=True)),
    }


def resolution_counts(source, prefix: str) -> dict:
    """After the resolution storm: alerts still firing, and the storm's incidents the
    route closed with its message."""
    from alerts.models import Alert, AlertStatus
    from alerts.services.grouping import ALL_RESOLVED
    from incidents.models import Incident, StatusCategory

    incidents = Incident.objects.filter(pk__in=_links(prefix).values("incident_id"))
    return {
        "firing": Alert.objects.filter(source=source, dedup_key__startswith=f"{prefix}-", status=AlertStatus.FIRING).count(),
        "closed": incidents.filter(status__category=StatusCategory.CLOSED).count(),
        "by_route": incidents.filter(status__category=StatusCategory.CLOSED, updates__message=ALL_RESOLVED).distinct().count(),
    }


def _answers(figures: dict) -> tuple[int, int]:
    accepted = sum(v for k, v in figures["statuses"].items() if 200 <= k < 300)
    return accepted, sum(v for k, v in figures["statuses"].items() if k >= 500)


def storm_report(name: str, figures: dict, counts: dict, sent: int, keys: int) -> bool:
    accepted, server_errors = _answers(figures)
    lost = accepted - min(counts["stored"], counts["folded"])
    ok = counts["alerts"] == keys and lost == 0 and server_errors == 0 and not figures["errors"] and accepted == sent
    print(
        f"| {name} | {sent} | {figures['elapsed']:.1f} | {figures['rate']:.0f} | {counts['alerts']} | {accepted} | {lost} | "
        f"{server_errors} | {len(figures['errors'])} | {figures['p50_ms']:.1f} | {figures['p99_ms']:.1f} | "
        f"{figures['queries'][0]}-{figures['queries'][1]} | {'' if ok else 'MISSED'} |"
    )
    return ok


def routing_report(name: str, counts: dict, keys: int) -> bool:
    """One incident per group, each group's alerts on it, every alert attached once."""
    groups = min(keys, GROUPS)
    unattached = counts["alerts"] - counts["attached"]
    sizes = counts["alerts_per_group"]
    ok = (
        counts["incidents"] == groups
        and counts["groups"] == groups
        and counts["groups_with_incident"] == groups
        and unattached == 0
        and counts["links"] == counts["alerts"]
    )
    print(
        f"| {name} | {groups} | {counts['groups']} | {counts['incidents']} | {counts['attached']} | {unattached} | "
        f"{counts['links'] - counts['attached']} | {min(sizes, default=0)}-{max(sizes, default=0)} | {'' if ok else 'MISSED'} |"
    )
    return ok


def resolution_report(name: str, figures: dict, resolved: dict, incidents: int, keys: int) -> bool:
    """Every key resolved, no alert left firing, every incident closed by the route."""
    accepted, server_errors = _answers(figures)
    ok = (
        accepted == keys
        and server_errors == 0
        and not figures["errors"]
        and resolved["firing"] == 0
        and resolved["by_route"] == resolved["closed"] == incidents
    )
    print(
        f"| {name} | {keys} | {figures['elapsed']:.1f} | {figures['rate']:.0f} | {accepted} | {server_errors} | "
        f"{len(figures['errors'])} | {figures['p50_ms']:.1f} | {figures['p99_ms']:.1f} | "
        f"{figures['queries'][0]}-{figures['queries'][1]} | {resolved['firing']} | {resolved['by_route']} of {incidents} | "
        f"{'' if ok else 'MISSED'} |"
    )
    return ok


def print_tables(storms: list[dict], *, events: int, keys: int) -> bool:
    """The storm's tables (alerts, routing, resolutions); whether every target was met."""
    ok = True
    print(f"\nStorm: {events} events over {keys} keys in {GROUPS} groups, 20 client threads, through an alert route "
          f"grouping by {GROUPING_KEY} (window {WINDOW_SECONDS} s, an incident per group, resolved when its alerts are)\n")
    print("| table | events | seconds | events/s | alerts made | 2xx | lost | 5xx | dropped connections | p50 ms | p99 ms | queries | |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for run in storms:
        ok &= storm_report(run["name"], run["figures"], run["counts"], events, keys)
    print("\nIncidents the route declared\n")
    print("| table | groups | alert groups | incidents made | alerts attached | not attached | attached twice | "
          "alerts per group | |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for run in storms:
        ok &= routing_report(run["name"], run["counts"], keys)
    resolving = [run for run in storms if "resolution" in run]
    if resolving:
        print(f"\nResolution: one resolved event per key ({keys}), 20 client threads\n")
        print("| table | events | seconds | events/s | 2xx | 5xx | dropped connections | p50 ms | p99 ms | queries | "
              "still firing | incidents resolved by the route | |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for run in resolving:
            ok &= resolution_report(run["name"], run["resolution"], run["resolved"], run["counts"]["incidents"], keys)
    if len(storms) == 2:
        growth = storms[1]["figures"]["p99_ms"] / storms[0]["figures"]["p99_ms"]
        print(f"\np99 with the big table against the small: {growth:.2f}x")
    return ok


def run_storm(port: int, path: str, secret: str, source, *, name: str, events: int, keys: int, prefix: str,
              resolve: bool, previous=None) -> dict:
    """A route, the storm through it, its counts and, with ``resolve``, the resolutions."""
    route = create_storm_route(source, prefix, previous)
    run = {"name": name, "route": route}
    run["figures"] = storm(port, path, secret, events=events, keys=keys, prefix=prefix)
    run["counts"] = storm_counts(source, prefix, route)
    if resolve:
        run["resolution"] = storm(port, path, secret, events=keys, keys=keys, prefix=prefix, status="resolved")
        run["resolved"] = resolution_counts(source, prefix)
    return run
