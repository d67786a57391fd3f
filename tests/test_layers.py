"""The layers of docs/development.md hold: every package imports only from those below it
(core, incidents, statuspages, notifications, config), and no two modules of a package
import each other, directly or round a longer circle. The contracts are import-linter's,
in pyproject.toml; an import inside a function counts as much as one at the top."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_every_import_goes_down_the_layers_and_none_goes_round_in_a_circle(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    exit_code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    output = capsys.readouterr().out
    assert exit_code == 0, output
