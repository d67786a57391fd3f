"""Mattermost's incoming webhooks take Slack's JSON, but draw ``attachments`` (not Block
Kit): ``text`` in Mattermost's markdown, an attachment with a colour, a title linking to
the console, the facts as short fields, the text. A post holds 16,383 characters."""

from __future__ import annotations

from .news import News
from .text import cut

#: our share of a post's 16,383 characters, the facts and titles leaving plenty
TEXT_LIMIT = 12000


def render(news: News) -> dict:
    title = cut(news.title, 500)
    attachment = {
        "fallback": cut(f"{news.headline}: {news.title}", 500),
        "color": news.colour,
        "title": title,
        "title_link": news.url,
        "fields": [{"short": True, "title": label, "value": cut(value, 500)} for label, value in news.facts()],
    }
    if news.text:
        attachment["text"] = cut(news.text, TEXT_LIMIT)
    return {"text": f"**{news.headline}**: [{title}]({news.url})", "attachments": [attachment]}
