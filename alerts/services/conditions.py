"""incident.io's condition groups and references, evaluated against one alert.

An alert's scope is ``{"alert": {title, description, severity, status, source_url,
deduplication_key, alert_source_id, metadata}}``; a reference is a dotted path into it
(``alert.metadata.labels.service``; a leading ``$.`` is dropped). Condition groups hold
when any one group holds (an empty list always holds); a group holds when every one of
its conditions does. Values compare as text.
"""

from __future__ import annotations

import re

from alerts.models import Alert
from alerts.services.documents import text_at
from core.exceptions import DomainError

#: operation -> (does it take values, the test on (subject's text, the values))
OPERATIONS = {
    "is": (True, lambda subject, values: subject in values),
    "one_of": (True, lambda subject, values: subject in values),
    "is_not": (True, lambda subject, values: subject not in values),
    "not_one_of": (True, lambda subject, values: subject not in values),
    "contains": (True, lambda subject, values: any(v in subject for v in values)),
    "does_not_contain": (True, lambda subject, values: not any(v in subject for v in values)),
    "starts_with": (True, lambda subject, values: any(subject.startswith(v) for v in values)),
    "is_set": (False, lambda subject, values: subject != ""),
    "is_blank": (False, lambda subject, values: subject == ""),
}
PLACEHOLDER = re.compile(r"\{\{\s*([\w.$\[\]\"-]+)\s*\}\}")


def scope_of(alert: Alert) -> dict:
    return {
        "alert": {
            "title": alert.title,
            "description": alert.description,
            "severity": alert.severity,
            "status": alert.status,
            "source_url": alert.source_url,
            "deduplication_key": alert.dedup_key,
            "alert_source_id": alert.source_id,
            "metadata": alert.metadata,
        }
    }


def value_of(scope: dict, reference: str) -> str:
    return text_at(scope, reference.strip().removeprefix("$."))


def _literals(param_bindings: list) -> list[str]:
    values = []
    for binding in param_bindings or ():
        if binding.get("value"):
            values.append(str(binding["value"].get("literal", "")))
        values.extend(str(item.get("literal", "")) for item in binding.get("array_value") or ())
    return values


def holds(condition_groups: list, scope: dict) -> bool:
    if not condition_groups:
        return True
    return any(
        all(
            OPERATIONS[c["operation"]][1](value_of(scope, c["subject"]), _literals(c.get("param_bindings")))
            for c in group.get("conditions") or ()
        )
        for group in condition_groups
    )


def render(template: str, scope: dict) -> str:
    """``template`` with each ``{{ reference }}`` replaced by its value (text, never code)."""
    return PLACEHOLDER.sub(lambda match: value_of(scope, match.group(1)), template)


def check_condition_groups(condition_groups, field: str) -> list:
    """The condition groups as kept (incident.io's payload shape), or DomainError."""
    if condition_groups in (None, ""):
        return []
    if not isinstance(condition_groups, list):
        raise DomainError("invalid_value", "Condition groups are a list", field=field)
    kept = []
    for group in condition_groups:
        conditions = group.get("conditions") if isinstance(group, dict) else None
        if not isinstance(conditions, list):
            raise DomainError("invalid_value", 'Each condition group is {"conditions": [...]}', field=field)
        for condition in conditions:
            if not isinstance(condition, dict) or not str(condition.get("subject", "")).startswith(("alert.", "$.alert.")):
                raise DomainError("invalid_value", "A condition's subject is a reference into the alert (alert.title)", field=field)
            operation = condition.get("operation")
            if operation not in OPERATIONS:
                raise DomainError(
                    "invalid_value", f"Operations are {', '.join(OPERATIONS)}, not {operation}", field=field
                )
            if OPERATIONS[operation][0] and not _literals(condition.get("param_bindings")):
                raise DomainError("invalid_value", f"The operation {operation} needs a literal value", field=field)
        kept.append(
            {
                "conditions": [
                    {"subject": c["subject"], "operation": c["operation"], "param_bindings": c.get("param_bindings") or []}
                    for c in conditions
                ]
            }
        )
    return kept
