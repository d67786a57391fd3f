"""Discord's webhooks: ``content`` and one embed (title linking to the console, the text
as description, the facts as inline fields). Discord's limits (discord.com/developers,
"Embed Limits"): content 2,000 characters, title 256, description 4,096, a field's name
256 and value 1,024, footer 2,048, and 6,000 over an embed's texts together.
``allowed_mentions`` is empty: an incident named "@everyone" pings nobody."""

from __future__ import annotations

from .news import News
from .text import cut

EMBED_TOTAL = 6000


def render(news: News) -> dict:
    title = cut(news.title, 256)
    fields = [{"name": label, "value": cut(value, 256) or "-", "inline": True} for label, value in news.facts()]
    footer = "Private incident" if news.private else "Incident tracker"
    embed = {
        "title": title,
        "url": news.url,
        "color": int(news.colour.removeprefix("#"), 16),
        "fields": fields,
        "footer": {"text": footer},
        "timestamp": news.occurred_at.isoformat(),
    }
    used = len(title) + len(footer) + sum(len(f["name"]) + len(f["value"]) for f in fields)
    if news.text:
        embed["description"] = cut(news.text, min(4096, EMBED_TOTAL - used))
    return {
        "content": cut(f"**{news.headline}**: {news.title}", 2000),
        "embeds": [embed],
        "allowed_mentions": {"parse": []},
    }
