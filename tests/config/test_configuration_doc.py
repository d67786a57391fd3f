"""docs/configuration.md is generated from the declarations (config/environment), and the
settings read the environment through them only: neither can drift from the other."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.environment import TOPICS, VARIABLES, load

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "configuration.md"
SETTINGS = ROOT / "config" / "settings.py"
#: the settings module and those it takes a group of settings from, each passed ``env``
SETTINGS_FILES = (SETTINGS, ROOT / "config" / "sign_in.py")


def test_the_configuration_doc_is_what_the_declarations_generate():
    # As on a fresh checkout: no settings module, and an environment the settings would
    # refuse, which the generator must not read.
    env = {k: v for k, v in os.environ.items() if k not in VARIABLES and k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = "nosuchdb://x"
    result = subprocess.run([sys.executable, "-m", "config.environment"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout == DOC.read_text(), (
        "docs/configuration.md differs from the declarations: run "
        "`.venv/bin/python -m config.environment > docs/configuration.md`"
    )


def test_every_variable_has_one_row_in_the_doc():
    rows = [line.split(" | ")[0] for line in DOC.read_text().splitlines() if line.startswith("| `")]
    assert sorted(name for name in rows if name.strip("| `").isupper()) == sorted(f"| `{name}`" for name in VARIABLES)


def _names_the_settings_read() -> set[str]:
    """Every name the settings (``SETTINGS_FILES``) read from ``env`` (what load()
    returned) or name in a refusal; any other use of ``env`` fails, but handing it whole
    to a ``*_settings`` function of those files, so that nothing is read out of this test's
    sight."""
    read = set()
    for path in SETTINGS_FILES:
        read |= _names_read_in(path)
    return read


def _names_read_in(path: Path) -> set[str]:
    where = path.relative_to(ROOT)
    tree = ast.parse(path.read_text())
    read, seen = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "env":
            assert isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str), (
                f"{where}:{node.lineno} reads env[...] with a name that is not a literal"
            )
            read.add(node.slice.value)
            seen.add(id(node.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "refusal":
            read.add(node.args[0].value)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.endswith("_settings"):
            seen.update(id(arg) for arg in node.args if isinstance(arg, ast.Name) and arg.id == "env")
        elif isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["env"]:
            seen.add(id(node.targets[0]))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id == "env":
            assert id(node) in seen, f"{where}:{node.lineno} uses env other than env['NAME']"
    return read


def test_the_settings_read_no_variable_that_is_not_declared():
    assert _names_the_settings_read() - set(VARIABLES) == set()


def test_every_declared_variable_is_read_by_the_settings():
    # or has a rule, all it exists for (REQUIRE_SECRET_KEY)
    ruled = {name for name, variable in VARIABLES.items() if variable.rule}
    assert set(VARIABLES) - _names_the_settings_read() - ruled == set()


def test_a_name_that_is_not_declared_stops_the_settings():
    with pytest.raises(ImproperlyConfigured, match="NOT_DECLARED is read by the settings but not declared"):
        load({})["NOT_DECLARED"]


def test_every_default_is_a_value_its_own_kind_accepts():
    values = load({})
    assert set(values) == set(VARIABLES)


def test_each_variable_is_declared_once_with_a_one_line_meaning():
    declared = [variable for topic in TOPICS for variable in topic.variables]
    assert len(declared) == len(VARIABLES)
    assert all(variable.means and "\n" not in variable.means for variable in declared)


# Where the environment may be read outside config/environment: Django's own entry points
# naming the settings module.
ALLOWED = {
    ("manage.py", 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")'),
    ("config/wsgi.py", 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")'),
    ("config/asgi.py", 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")'),
    ("config/celery.py", 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")'),
    # the one Env, and the one place its environment is read
    ("config/environment/kinds.py", "ENV = environ.Env()"),
    ("config/environment/reading.py", "source = ENV.ENVIRON if source is None else source"),
    # the quick start hands the server and worker it starts their environment, with SITE_URL
    # from --addrport when it is not set there
    ("incidents/management/commands/quickstart.py", "site_url, env = site_url_for(addrport, os.environ)"),
}
OUTSIDE = {".venv", "tests", "bench", "var", "build", "node_modules"}


def test_nothing_else_reads_the_environment():
    found = set()
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if OUTSIDE & set(relative.parts) or any(part.endswith(".egg-info") for part in relative.parts):
            continue
        source = path.read_text()
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            reads = (isinstance(node, ast.Attribute) and node.attr in {"environ", "environb", "getenv", "ENVIRON", "Env"}) or (
                isinstance(node, ast.ImportFrom) and node.module == "os" and {a.name for a in node.names} & {"environ", "getenv"}
            )
            if reads:
                found.add((str(relative), lines[node.lineno - 1].strip()))
    assert found == ALLOWED
