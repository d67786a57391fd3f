"""``load()``: every declared variable read, parsed and checked, at once."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from config.environment.kinds import ENV, Getter
from config.environment.variables import VARIABLES, Variable


class Values(Mapping):
    """Every declared variable's value; asking for one not declared stops the process."""

    def __init__(self, values: dict[str, Any]):
        self._values = values

    def __getitem__(self, name: str) -> Any:
        if name not in self._values:
            raise ImproperlyConfigured(f"{name} is read by the settings but not declared in config/environment/variables.py")
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def load(source: Mapping[str, str] | None = None) -> Values:
    """Every variable parsed and checked, from ``source`` (the process's environment)."""
    source = ENV.ENVIRON if source is None else source
    values: dict[str, Any] = {}

    def get(name: str) -> Any:
        if name not in values:
            variable = VARIABLES[name]
            raw, given = _raw(variable, source, get)
            try:
                values[name] = variable.kind.parse(raw)
            except (ValueError, ImproperlyConfigured) as exc:  # ours, and django-environ's URL parsers'
                raise refusal(name, raw, str(exc) or type(exc).__name__, given=given) from None
        return values[name]

    for name in VARIABLES:
        get(name)
    for name, variable in VARIABLES.items():
        if variable.rule and not variable.rule.holds(values[name], get):
            raw, given = _raw(variable, source, get)
            raise refusal(name, raw, variable.rule.says, given=given)
    return Values(values)


def _raw(variable: Variable, source: Mapping[str, str], get: Getter) -> tuple[str, bool]:
    """The variable's text, and whether it was given (or is the default)."""
    # Taken as written: no "$OTHER_VARIABLE" expansion (django-environ's), which would
    # turn a secret that starts with "$" into another variable's value.
    raw = source.get(variable.name)
    if raw is None or (variable.kind.blank_is_unset and not raw.strip()):
        return (variable.default(get) if callable(variable.default) else variable.default), False
    return raw, True


def refusal(name: str, raw: str, reason: str, *, given: bool = True) -> ImproperlyConfigured:
    """What stops the process: the variable, its value (unless secret) and why."""
    kind = VARIABLES[name].kind
    shown = "(hidden)" if VARIABLES[name].secret else repr(kind.redact(raw) if kind.redact else raw)
    return ImproperlyConfigured(f"{name}={shown}: {reason}" if given else f"{name} (unset, so {shown}): {reason}")
