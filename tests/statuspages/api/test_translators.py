"""The dialects translate: a view parses, calls a statuspages service and renders; a
serializer checks shape and resolves the ids a body names. Neither opens a transaction
nor refuses a request for the state of the data (a service's ``DomainError`` does that),
so every rule has one home whichever dialect a request comes through."""

import ast
from pathlib import Path

import pytest

DIALECTS = Path(__file__).resolve().parents[3] / "statuspages" / "api"
TRANSLATORS = sorted(
    path for path in DIALECTS.rglob("*.py") if {"views", "serializers"} & set(path.relative_to(DIALECTS).parts[1:-1]) or path.stem in ("serializers",)
)


def _name(path: Path) -> str:
    return str(path.relative_to(DIALECTS))


def test_there_are_translators_to_check():
    assert {_name(path).split("/")[0] for path in TRANSLATORS} == {"cachet", "checkly", "incidentio"}


@pytest.mark.parametrize("path", TRANSLATORS, ids=_name)
def test_a_dialect_view_or_serializer_opens_no_transaction_and_raises_no_domain_error(path):
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.db" and any(a.name == "transaction" for a in node.names):
            found.append(f"line {node.lineno}: imports django.db.transaction")
        if isinstance(node, ast.Attribute) and node.attr in ("atomic", "on_commit"):
            found.append(f"line {node.lineno}: .{node.attr}")
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(raised, ast.Name) and raised.id.endswith("DomainError"):
                found.append(f"line {node.lineno}: raises {raised.id}")
    assert not found, f"{_name(path)} holds what a service should: {found}"
