"""The README and docs/ name only what exists, so a newcomer can follow every link and paste
every command. Read from the files, without network or database:

- every relative link (markdown links, and backticked repository paths such as
  ``bench/api_bench.py``) points at a file or folder of the repository, and a link's
  ``#anchor`` at a heading of the page it names;
- every ``manage.py <command>`` and ``python -m <module>`` in a fenced shell block names
  a command (Django's ``get_commands()``) or module that exists, and every ``--flag``
  passed to a management command or to a ``bench/`` script is one its parser takes;
- the README stays a five-minute read and carries the quick start's two commands as they
  are, and its production settings are those of docs/production.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").rglob("*.md"))]

README_MAX_LINES = 170
QUICK_START = "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]' && .venv/bin/python manage.py quickstart"
TEST_COMMAND = ".venv/bin/python -m pytest"

#: Paths the docs name that a checkout does not hold, each with the reason. An entry ending
#: in "/" also covers everything under it.
NOT_IN_THE_REPOSITORY = {
    "var/": "the embedded default's files (database, mail, static files), made on first start",
    "test-artifacts/": "the browser tests' screenshots, made when they run",
    "incidents/unresolved.json": "a URL under a status page's address (docs/dialects/statuspage-json.md)",
    **dict.fromkeys(
        ["incidents/api/hot.py", "incidents/caching.py", "config/cache.py", "config/postgresql/base.py"],
        "docs/benchmarks.md's line counts from before the speed layer moved behind API_ACCELERATION",
    ),
}
#: Top-level names that exist only on a developer's machine: paths under them are not checked.
LOCAL_ONLY = {".git", ".venv", ".pytest_cache", "build", "var", "test-artifacts"}
SHELL = {"sh", "bash", "shell", "console"}

REPOSITORY_PATH = re.compile(r"^[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*/?$")
MARKDOWN_LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
INLINE_CODE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
ENVIRONMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
SEPARATORS = {"&&", "||", ";", "|", "&", "(", ")", "$("}


@dataclass(frozen=True)
class Block:
    language: str
    line: int  # of the block's first line of content
    text: str


def _name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def _split(page: Path) -> tuple[list[tuple[int, str]], list[Block]]:
    """The page's prose lines (numbered) and its fenced blocks."""
    prose, blocks, fence = [], [], None
    for number, line in enumerate(page.read_text().splitlines(), start=1):
        if fence is None and line.lstrip().startswith("```"):
            fence = (line.strip()[3:].strip().lower(), number + 1, [])
        elif fence is not None and line.strip() == "```":
            blocks.append(Block(fence[0], fence[1], "\n".join(fence[2])))
            fence = None
        elif fence is not None:
            fence[2].append(line)
        else:
            prose.append((number, line))
    return prose, blocks


def _allowed(path: str) -> bool:
    return any(path == entry or (entry.endswith("/") and path.startswith(entry)) for entry in NOT_IN_THE_REPOSITORY)


def _roots() -> set[str]:
    """Top-level names a repository path can start with."""
    names = {p.name for p in ROOT.iterdir() if p.name not in LOCAL_ONLY and not p.name.endswith(".egg-info")}
    return names | {entry.split("/")[0] for entry in NOT_IN_THE_REPOSITORY}


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    prose, _ = _split(page)
    anchors, seen = set(), {}
    for _, line in prose:
        if match := re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line):
            slug = _slug(match.group(1))
            anchors.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
            seen[slug] = seen.get(slug, 0) + 1
    return anchors


def _link_problems(page: Path) -> list[str]:
    prose, _ = _split(page)
    roots, problems = _roots(), []
    for number, line in prose:
        where = f"{_name(page)}:{number}"
        for target in MARKDOWN_LINK.findall(line):
            if SCHEME.match(target) or target.startswith("/"):
                continue
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.is_relative_to(ROOT):
                problems.append(f"{where}: the link ({target}) leaves the repository")
                continue
            relative = linked.relative_to(ROOT).as_posix() + ("/" if path.endswith("/") else "")
            if not linked.exists():
                if not _allowed(relative):
                    problems.append(f"{where}: the link ({target}) points at {relative}, which does not exist")
                continue
            if anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                problems.append(f"{where}: the link ({target}) names #{anchor}, no heading of {relative}")
        for code in INLINE_CODE.findall(line):
            if "/" not in code or not REPOSITORY_PATH.match(code) or code.split("/")[0] not in roots:
                continue
            if not (ROOT / code).exists() and not _allowed(code):
                problems.append(f"{where}: `{code}` is not in the repository")
    return problems


def _commands(block: Block):
    """(line, tokens) of each simple command in a shell block, without the environment
    assignments before it."""
    lines, start, pending = [], 0, ""
    for offset, line in enumerate(block.text.splitlines()):
        if not pending:
            start = offset
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        lines.append((start, pending + line))
        pending = ""
    for offset, line in lines:
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        try:
            tokens = list(lexer)
        except ValueError as exc:
            yield block.line + offset, ["<unparsable>", f"{line!r}: {exc}"]
            continue
        command: list[str] = []
        for token in [*tokens, ";"]:
            if token in SEPARATORS or set(token) <= set("&|;()"):
                while command and ENVIRONMENT.match(command[0]):
                    command.pop(0)
                if command:
                    yield block.line + offset, command
                command = []
            else:
                command.append(token)


def _is_python(token: str) -> bool:
    return re.fullmatch(r"python[0-9.]*", token.rsplit("/", 1)[-1]) is not None


def _management_command_problems(where: str, name: str, args: list[str]) -> list[str]:
    commands = get_commands()
    if name not in commands:
        return [f"{where}: `manage.py {name}` names no management command"]
    parser = load_command_class(commands[name], name).create_parser("manage.py", name)
    accepted = dict(parser._option_string_actions)
    for action in parser._actions:  # a sub-command's own flags (``webhooks add --event``)
        if isinstance(action, argparse._SubParsersAction) and args and args[0] in action.choices:
            accepted.update(action.choices[args[0]]._option_string_actions)
    flags = [arg.split("=", 1)[0] for arg in args if arg.startswith("-") and not re.fullmatch(r"-\d.*", arg)]
    unknown = [flag for flag in flags if flag not in accepted]
    if unknown:
        return [f"{where}: `manage.py {name}` takes no {', '.join(unknown)}"]
    try:
        parser.parse_args(args)
    except (CommandError, SystemExit) as exc:
        return [f"{where}: `manage.py {name} {' '.join(args)}` is refused by its parser: {exc}"]
    return []


def _script_problems(where: str, script: str, args: list[str]) -> list[str]:
    path = ROOT / script
    if not path.is_file():
        return [f"{where}: `{script}` is not in the repository"]
    if not script.startswith("bench/"):
        return []
    source = path.read_text()
    flags = [arg.split("=", 1)[0] for arg in args if arg.startswith("--")]
    return [f"{where}: `{script}` takes no {flag}" for flag in flags if f'"{flag}"' not in source]


def _command_problems(page: Path) -> list[str]:
    _, blocks = _split(page)
    problems = []
    for block in blocks:
        if block.language not in SHELL:
            continue
        for line, tokens in _commands(block):
            where = f"{_name(page)}:{line}"
            if tokens[0] == "<unparsable>":
                problems.append(f"{where}: cannot read the shell line {tokens[1]}")
                continue
            for i, token in enumerate(tokens):
                if token == "manage.py" or token.endswith("/manage.py"):
                    if i + 1 == len(tokens):
                        problems.append(f"{where}: `manage.py` without a command")
                    else:
                        problems += _management_command_problems(where, tokens[i + 1], tokens[i + 2 :])
                    break
                if _is_python(token) and i + 2 < len(tokens) and tokens[i + 1] == "-m":
                    if importlib.util.find_spec(tokens[i + 2]) is None:
                        problems.append(f"{where}: `python -m {tokens[i + 2]}` names no installed module")
                    break
                if _is_python(token) and i + 1 < len(tokens) and tokens[i + 1].endswith(".py") and not tokens[i + 1].endswith("manage.py"):
                    problems += _script_problems(where, tokens[i + 1], tokens[i + 2 :])
                    break
    return problems


def _ids(pages):
    return [_name(page) for page in pages]


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_every_relative_link_and_repository_path_exists(page):
    problems = _link_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_every_command_in_a_shell_block_exists_with_its_flags(page):
    problems = _command_problems(page)
    assert not problems, "\n".join(problems)


def test_the_readme_is_a_five_minute_read():
    lines = README.read_text().splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; at most {README_MAX_LINES}: move the rest to docs/"


def test_the_readme_carries_the_two_quick_start_commands_as_they_are():
    _, blocks = _split(README)
    shell_lines = {line.strip() for block in blocks if block.language in SHELL for line in block.text.splitlines()}
    for command in (QUICK_START, TEST_COMMAND):
        assert command in shell_lines, f"README.md: no shell block holds the line {command!r}"


def test_the_docs_index_links_every_page_of_docs():
    index = ROOT / "docs" / "README.md"
    linked = {(index.parent / target.partition("#")[0]).resolve() for target in MARKDOWN_LINK.findall(index.read_text())}
    orphans = [_name(page) for page in PAGES if page.parent != ROOT and page != index and page.resolve() not in linked]
    assert not orphans, f"docs/README.md does not link {', '.join(orphans)}"
