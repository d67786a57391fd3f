"""How Checkly's enums map onto ours (docs/dialects/checkly.md has the table)."""

from statuspages.models import ComponentStatus, IncidentStatus, Severity

#: Checkly's StatusPageIncidentStatus is ours upper-cased
STATUSES = {status.value.upper(): status.value for status in IncidentStatus}
#: Checkly's IncidentSeverity is ours upper-cased
SEVERITIES = {severity.value.upper(): severity.value for severity in Severity}

#: what a Checkly severity makes of the services its incident names: Checkly has no
#: component statuses of its own, so the severity decides how the page shows them
LEVELS = {
    Severity.CRITICAL: ComponentStatus.FULL_OUTAGE,
    Severity.MAJOR: ComponentStatus.PARTIAL_OUTAGE,
    Severity.MEDIUM: ComponentStatus.DEGRADED_PERFORMANCE,
    Severity.MINOR: ComponentStatus.DEGRADED_PERFORMANCE,
}
#: an incident published without a severity (through another dialect or the admin) shows
#: the one its worst component status stands for; with none, MINOR
DERIVED_SEVERITIES = {
    ComponentStatus.FULL_OUTAGE: Severity.CRITICAL,
    ComponentStatus.PARTIAL_OUTAGE: Severity.MAJOR,
    ComponentStatus.DEGRADED_PERFORMANCE: Severity.MEDIUM,
}


def checkly_status(status: str) -> str:
    return status.upper()


def checkly_severity(severity: str) -> str:
    return severity.upper()
