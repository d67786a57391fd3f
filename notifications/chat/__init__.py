"""Chat messages: one module per destination, each turning the same ``News`` into the JSON
its incoming webhook takes (the shapes are in docs/webhooks.md, with their limits).

They are delivered as webhooks are (``WebhookMessage`` and ``WebhookDelivery`` rows, the
same worker, retries, attempt log and refusal to call inside): only the body differs."""

from __future__ import annotations

from ..models import EndpointKind
from . import discord, generic, mattermost, slack, teams
from .news import News

RENDERERS = {
    EndpointKind.SLACK: slack.render,
    EndpointKind.MATTERMOST: mattermost.render,
    EndpointKind.TEAMS: teams.render,
    EndpointKind.DISCORD: discord.render,
    EndpointKind.JSON: generic.render,
}


def render(kind: str, news: News) -> dict:
    """``news`` as the destination ``kind`` takes it."""
    return RENDERERS[kind](news)


__all__ = ["News", "render"]
