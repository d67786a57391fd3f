"""Cachet's incident templates, rendered the simple and safe way: ``{{ name }}`` and
``{{ incident.name }}`` are replaced by the variables' text, nothing else is evaluated.

Cachet renders templates with a sandboxed Twig; we keep only its variable substitution
(no tags, filters or expressions: ``{% if %}`` stays as written, ``{{ x|upper }}`` becomes
empty, as Twig prints an unknown variable). Nothing in a template can run code or reach
anything but the variables it is given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_VARIABLE = re.compile(r"{{\s*([^{}]*?)\s*}}")
_PATH = re.compile(r"[A-Za-z_0-9]+(?:\.[A-Za-z_0-9]+)*")


def _text(value) -> str:
    # As Twig prints them: true is "1", false and null print nothing.
    if value is True:
        return "1"
    if value is False or value is None:
        return ""
    return str(value)


def _lookup(variables: Mapping, path: str):
    value = variables
    for part in path.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return None if isinstance(value, Mapping) else value


def render(template: str, variables: Mapping) -> str:
    """``template`` with each ``{{ dotted.name }}`` replaced by its variable's text."""

    def replace(match: re.Match) -> str:
        expression = match.group(1)
        return _text(_lookup(variables, expression)) if _PATH.fullmatch(expression) else ""

    return _VARIABLE.sub(replace, template)
