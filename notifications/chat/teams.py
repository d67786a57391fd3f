"""Microsoft Teams "Workflows" webhooks (the Office 365 connectors are retired): an
Adaptive Card, schema 1.2, in the message envelope Workflows' "post to a channel when a
webhook request is received" takes. A Teams message holds about 28 KB; the text is cut
well below."""

from __future__ import annotations

from .news import News
from .text import cut

TEXT_LIMIT = 8000


def render(news: News) -> dict:
    body = [
        {"type": "TextBlock", "text": news.headline, "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": cut(news.title, 500), "wrap": True},
        {"type": "FactSet", "facts": [{"title": label, "value": cut(value, 500)} for label, value in news.facts()]},
    ]
    if news.text:
        body.append({"type": "TextBlock", "text": cut(news.text, TEXT_LIMIT), "wrap": True})
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.2",
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": "Open in the console", "url": news.url}],
    }
    return {
        "type": "message",
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}],
    }
