"""What the public site's catalogues must hold: every string its templates and code mark
for translation, read from the templates' own nodes and the code's gettext calls (no
xgettext needed), and the catalogues themselves (polib)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
from django.template import engines
from django.templatetags.i18n import BlockTranslateNode, TranslateNode

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = ("de", "fr", "es", "ja")
#: the public site's templates: the pages, feeds' entries, error pages, subscribers' emails
TEMPLATE_DIRS = {
    "statuspages": ROOT / "statuspages" / "templates",
    "notifications": ROOT / "notifications" / "templates",
}
TEMPLATE_GLOBS = {
    "statuspages": ["statuspages/*.html"],
    "notifications": ["notifications/*.html", "notifications/email/*.html", "notifications/email/*.txt",
                      "notifications/email/*.subject"],
}
#: the public site's code that marks strings
CODE = {
    "statuspages": ["statuspages/templatetags/status_pages.py", "statuspages/feeds.py"],
    "notifications": ["notifications/forms.py", "notifications/views.py"],
}
_GETTEXT = {"gettext": 0, "_": 0, "gettext_lazy": 0, "pgettext": 1, "pgettext_lazy": 1, "ngettext": 0, "ngettext_lazy": 0}


def template_names(app: str) -> list[str]:
    base = TEMPLATE_DIRS[app]
    return sorted(p.relative_to(base).as_posix() for pattern in TEMPLATE_GLOBS[app] for p in base.glob(pattern))


def _literal(expression) -> str | None:
    var = getattr(expression, "var", None)
    return var if isinstance(var, str) else getattr(var, "literal", None)  # a constant is kept resolved


def template_messages(name: str) -> set[tuple[str | None, str]]:
    """(context, msgid) of every ``translate`` and ``blocktranslate`` in a template."""
    nodelist = engines["django"].get_template(name).template.nodelist
    found = set()
    for node in nodelist.get_nodes_by_type(TranslateNode):
        found.add((_literal(node.message_context), _literal(node.filter_expression)))
    for node in nodelist.get_nodes_by_type(BlockTranslateNode):
        context = _literal(node.message_context) if node.message_context else None
        found.add((context, node.render_token_list(node.singular)[0]))
        if node.plural:
            found.add((context, node.render_token_list(node.plural)[0]))
    return found


def code_messages(path: str) -> set[tuple[str | None, str]]:
    """(context, msgid) of every gettext call with literal arguments in a module."""
    found = set()
    for call in ast.walk(ast.parse((ROOT / path).read_text())):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in _GETTEXT:
            args = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if call.func.id.startswith("pgettext"):
                found.add((args[0], args[1]))
            else:
                found.add((None, args[0]))
                if call.func.id.startswith("ngettext"):
                    found.add((None, args[1]))
    return found


def marked(app: str) -> set[tuple[str | None, str]]:
    found = set()
    for name in template_names(app):
        found |= template_messages(name)
    for path in CODE.get(app, []):
        found |= code_messages(path)
    return found


def catalogue(app: str, language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"))


def mo_file(app: str, language: str) -> polib.MOFile:
    return polib.mofile(str(ROOT / app / "locale" / language / "LC_MESSAGES" / "django.mo"))


_PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


def placeholders(text: str) -> list[str]:
    return sorted(a or b for a, b in _PLACEHOLDER.findall(text))
