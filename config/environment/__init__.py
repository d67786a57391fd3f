"""Every environment variable the settings read, declared once.

A ``Variable`` has its name, the ``Kind`` that parses its text (and says, for the table,
what it accepts), its default spelt as the environment would spell it (parsed like any
value, so a default cannot be malformed either), what it means, and optionally a ``Rule``
that involves other variables. config/settings.py reads them through ``load()``, which
parses every one of them when the settings are imported and refuses a value it cannot
use with ImproperlyConfigured naming the variable and the value.

``python -m config.environment > docs/configuration.md`` writes the table of them all.

kinds.py: how text becomes a value; urls.py: the URL variables and their query options;
variables.py: the declarations; reading.py: ``load()``; document.py: the table.
"""

from config.environment.document import render
from config.environment.reading import Values, load, refusal
from config.environment.variables import TOPICS, VARIABLES, Rule, Topic, Variable

__all__ = ["TOPICS", "VARIABLES", "Rule", "Topic", "Values", "Variable", "load", "refusal", "render"]
