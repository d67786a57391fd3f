"""Cutting text to a destination's limit cleanly: at a word boundary when there is one
near the limit, never inside an escape, always ending with an ellipsis."""

from __future__ import annotations

from collections.abc import Callable

ELLIPSIS = "…"


def cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters."""
    text = text.strip()
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    head = text[:room]
    space = head.rfind(" ", 0, room + 1) if not text[room].isspace() else room
    # A word boundary near the end (the last fifth, or 20 characters) is worth a shorter
    # text; going back over a 2 KB URL is not.
    if space > 0 and room - space <= max(room // 5, 20):
        head = head[:space]
    return head.rstrip() + ELLIPSIS


def cut_escaped(text: str, limit: int, escape: Callable[[str], str]) -> str:
    """``escape(text)`` in at most ``limit`` characters, cut before escaping so an
    entity (``&amp;``) is never split."""
    room = limit
    while True:
        escaped = escape(cut(text, room))
        if len(escaped) <= limit:
            return escaped
        room -= len(escaped) - limit
