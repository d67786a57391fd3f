"""docs/configuration.md, made from the declarations."""

from __future__ import annotations

import re

from config.environment.kinds import Option
from config.environment.variables import TOPICS, Variable

PREAMBLE = """# Configuration

This file is generated from the declarations in `config/environment/variables.py`: after
changing one, run `.venv/bin/python -m config.environment > docs/configuration.md` in the
checkout (it needs no database and reads no environment).
`tests/config/test_configuration_doc.py` fails while this file and the declarations differ.

Every setting is read from an environment variable when a process starts; every process
(web server, worker, `manage.py`) must be given the same ones. Each has a default that works
on one machine with nothing else installed, keeping its files under `VAR_DIR`. A value the
settings cannot use (malformed, out of range, a scheme or query option they do not know)
stops the process at start-up with a message that names the variable and the value (never a
secret, nor a URL's password). Values are taken as written (no `$VARIABLE` expansion); set
but empty, a `true`/`false` variable takes its default.
"""


_RULE = "| --- | --- | --- | --- |"


def render() -> str:
    """docs/configuration.md: a table per topic, then each URL's query options."""
    out = [PREAMBLE, " · ".join(f"[{topic.title}](#{_anchor(topic.title)})" for topic in TOPICS), ""]
    for topic in TOPICS:
        out += [f"## {topic.title}", "", topic.intro, "", "| variable | default | accepts | meaning |", _RULE]
        for variable in topic.variables:
            accepts = variable.kind.accepts + (f"; {variable.rule.says}" if variable.rule else "")
            out.append(_row(f"`{variable.name}`", _default(variable), accepts, variable.means))
        out.append("")
        for variable in topic.variables:
            out += _options_of(variable)
    return "\n".join(out).rstrip("\n") + "\n"


def _options_of(variable: Variable) -> list[str]:
    groups = variable.kind.options
    if not groups:
        return []
    out = [f"### `{variable.name}` query options", ""]
    plain = [group for group in groups if not group.options]
    if plain:
        schemes = ", ".join(f"`{name}://`" for group in plain for name in group.names)
        out += [f"{schemes}: none.", ""]
    seen: dict[tuple[Option, ...], list[str]] = {}
    for group in groups:
        if group.options:
            seen.setdefault(group.options, []).extend(group.names)
    for options, names in seen.items():
        out += [f"{', '.join(f'`{name}://`' for name in names)}:", "", "| option | default | accepts | meaning |", _RULE]
        out += [_row(f"`{option.name}`", f"`{option.default}`" if option.default is not None else "not set", option.kind.accepts,
                     option.means) for option in options]
        out.append("")
    return out


def _default(variable: Variable) -> str:
    if variable.default_text:
        return variable.default_text
    return f"`{variable.default}`" if variable.default else "none"


def _row(*cells: str) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _anchor(title: str) -> str:
    return re.sub(r"[^a-z0-9 -]", "", title.lower()).replace(" ", "-")
