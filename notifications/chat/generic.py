"""A plain JSON post for anything else (a bot, a pager bridge): the facts under stable
names, signed like every webhook (Standard Webhooks headers)."""

from __future__ import annotations

from .news import News


def render(news: News) -> dict:
    body = {
        "event": news.event,
        "events": list(news.events),
        "incident": {
            "id": news.incident_id,
            "reference": news.reference,
            "name": news.name,
            "severity": news.severity,
            "status": news.status,
            "lead": news.lead,
            "visibility": "private" if news.private else "public",
            "url": news.url,
        },
        "previous": {"status": news.previous_status, "severity": news.previous_severity},
        "text": news.text,
        "occurred_at": news.occurred_at.isoformat(),
    }
    if news.follow_up:
        body["follow_up"] = news.follow_up
    return body
