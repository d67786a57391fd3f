"""``markdown_to_text``: the plain text an email's text part carries, read from the
sanitised rendering, so nothing the sanitiser drops (a script's text) comes back."""

import pytest

from core.markdown import markdown_to_text


@pytest.mark.parametrize(
    "source, text",
    [
        ("We are **looking** into _it_.", "We are looking into it."),
        ("See [the status](https://example.com/s) now", "See the status (https://example.com/s) now"),
        ("<https://example.com/a>", "https://example.com/a"),
        ("One.\n\nTwo.", "One.\n\nTwo."),
        ("Line one  \nline two", "Line one\nline two"),
        ("- a\n- b\n    1. c\n    2. d", "- a\n- b\n  1. c\n  2. d"),
        ("1. first\n2. second", "1. first\n2. second"),
        ("> quoted\n\nafter", "> quoted\n\nafter"),
        ("```\nSELECT 1;\n```", "    SELECT 1;"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "a | b\n1 | 2"),
        ("# Heading\nBody", "Heading\n\nBody"),
        ("Fish &amp; chips, 5 < 6", "Fish & chips, 5 < 6"),
        ("Before <script>alert('x')</script>after", "Before after"),
        ("<style>body{}</style><img src=x onerror=alert(1)>Hi", "Hi"),
        ("", ""),
    ],
)
def test_markdown_read_as_text(source, text):
    assert markdown_to_text(source) == text
