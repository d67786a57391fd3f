"""Slack's incoming webhooks: ``text`` (the notification's fallback) and Block Kit
``blocks``: a header, the facts as section fields, the text, a button to the console.

Block Kit's limits (api.slack.com/reference/block-kit): header text 150 characters
(plain text), a section's text 3,000 and each of at most 10 fields 2,000, a button's
text 75 and URL 3,000. Slack's mrkdwn needs ``&``, ``<`` and ``>`` escaped."""

from __future__ import annotations

from .news import News
from .text import cut, cut_escaped


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(news: News) -> dict:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": cut(f"{news.headline}: {news.title}", 150), "emoji": True}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*{label}*\n{cut_escaped(value, 1900, escape)}"} for label, value in news.facts()
            ],
        },
    ]
    if news.text:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": cut_escaped(news.text, 3000, escape)}})
    blocks.append(
        {
            "type": "actions",
            "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Open in the console"}, "url": news.url}],
        }
    )
    fallback = f"{news.headline}: {news.title} ({news.severity}, {news.status})"
    return {"text": cut_escaped(fallback, 3000, escape), "blocks": blocks}
