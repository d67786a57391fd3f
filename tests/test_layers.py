"""The layers of docs/development.md hold: every package imports only from those below it
(core, incidents, statuspages, notifications, config), no two modules of a package import
each other round a circle, and plain code never imports an ``accel`` package. The
contracts are import-linter's, in pyproject.toml; an import inside a function counts as
much as one at the top."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# In a process of its own: import-linter configures logging as it starts, which would
# silence the loggers later tests listen to.
LINT = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))"


def test_every_import_goes_down_the_layers_and_none_goes_round_in_a_circle():
    result = subprocess.run([sys.executable, "-c", LINT], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
