"""Markdown to safe HTML: Python-Markdown renders, nh3 (ammonia) strips anything unsafe."""

from html.parser import HTMLParser

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}


def render_markdown(text: str) -> SafeString:
    html = md.markdown(text or "", extensions=["fenced_code", "tables", "sane_lists"], output_format="html")
    return mark_safe(nh3.clean(html, tags=_TAGS, attributes={"a": {"href", "title"}}, link_rel="noopener noreferrer nofollow"))


class _TextWriter(HTMLParser):
    """Sanitised HTML (``render_markdown``'s) as plain text for an email's text part:
    paragraphs and blocks apart, list items marked, links followed by their address,
    emphasis and code as their words; nothing of a tag the sanitiser dropped."""

    BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "blockquote", "table", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line = ""
        self.lists: list[list] = []  # [kind, next number]
        self.quote = 0
        self.pre = False
        self.href: list[str | None] = []
        self.link_text: list[str] = []
        self.cells: list[str] | None = None

    def _prefix(self) -> str:
        return "> " * self.quote

    def _flush(self) -> None:
        if self.line.strip():
            self.lines.append(self._prefix() + self.line.rstrip())
        self.line = ""

    def _gap(self) -> None:
        self._flush()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS and not (tag in ("ul", "ol") and self.lists):
            self._gap()
        if tag in ("ul", "ol"):
            self._flush()
            self.lists.append([tag, 1])
        elif tag == "li":
            self._flush()
            depth = "  " * (len(self.lists) - 1)
            kind = self.lists[-1] if self.lists else ["ul", 1]
            self.line = f"{depth}{kind[1]}. " if kind[0] == "ol" else f"{depth}- "
            kind[1] += 1
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre = True
        elif tag == "br":
            self._flush()
        elif tag == "hr":
            self.lines.append("----")
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))
            self.link_text.append("")
        elif tag == "tr":
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag == "a" and self.href:
            href, words = self.href.pop(), self.link_text.pop()
            if href and href != words.strip() and not href.startswith("#"):
                self._write(f" ({href})")
        elif tag in ("td", "th") and self.cells is not None:
            pass
        elif tag == "tr" and self.cells is not None:
            self._flush()
            self.line = " | ".join(cell.strip() for cell in self.cells)
            self.cells = None
            self._flush()
        elif tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._gap()
        elif tag == "li":
            self._flush()
        elif tag == "blockquote":
            self._flush()
            self.quote = max(0, self.quote - 1)
            self._gap()
        elif tag == "pre":
            self.pre = False
            self._gap()
        elif tag in self.BLOCKS:
            self._gap()

    def _write(self, text: str) -> None:
        if self.cells is not None and self.cells:
            self.cells[-1] += text
            return
        for n, part in enumerate(text.split("\n")):
            if n:
                self._flush()
            self.line += part

    def handle_data(self, data):
        if self.link_text:
            self.link_text[-1] += data
        if self.pre:
            self._write("\n".join("    " + line for line in data.rstrip("\n").split("\n")) if data.strip() else data)
            return
        text = " ".join(data.split())
        if not text:
            if data and self.line and not self.line.endswith(" "):
                self.line += " "
            return
        if data[:1].isspace() and self.line and not self.line.endswith(" "):
            text = " " + text
        if data[-1:].isspace():
            text += " "
        self._write(text)

    def text(self) -> str:
        self.close()
        self._flush()
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(line.rstrip() for line in self.lines)


def markdown_to_text(text: str) -> str:
    """The plain text of ``text``'s markdown as ``render_markdown`` would show it (what a
    sanitiser removes, a ``<script>`` and its text included, is gone here too)."""
    writer = _TextWriter()
    writer.feed(str(render_markdown(text)))
    return writer.text()
