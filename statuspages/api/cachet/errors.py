"""Cachet's error bodies, as Laravel words them: ``{"message"}``, plus ``errors`` (field
-> messages) on a 422. The exception is classified once, by ``core.api.errors``;
only the wording is Cachet's. Paths no view matched under Cachet's routes answer the
same way (``DIALECT_ERRORS``).
"""

from __future__ import annotations

import re

from django.http import JsonResponse
from rest_framework import exceptions

from core.api import errors as api_errors
from core.api.errors import ApiError

#: what Laravel and Sanctum say, whatever made the request fail
MESSAGES = {
    401: "Unauthenticated.",  # AuthenticationException
    403: "Invalid ability provided.",  # Sanctum's MissingAbilityException
    429: "Too Many Attempts.",  # ThrottleRequestsException
    500: "Server Error",
}

#: the fields our services name, as Cachet's request bodies name them
FIELDS = {
    "component_statuses": "components",
    "affected_component_ids": "components",
    "incident_status": "status",
    "maintenance_status": "status",
    "end_at": "completed_at",
    "published_at": "occurred_at",
    "update": "update",
}

#: Laravel's wording of the rules every body checks (by DRF's code, or by DRF's message
#: for its catch-all "invalid"); other messages are ours already
RULES = {
    "is_required": "The {attribute} field is required.",
    "invalid_enum_value": "The selected {attribute} is invalid.",
    "max_length": "The {attribute} field must not be greater than {limit} characters.",
    "unchangeable": "The {attribute} of a published incident cannot be changed.",
    "min_value": "The {attribute} field must be at least {limit}.",
    "not_a_list": "The {attribute} field must be an array.",
    "not_a_dict": "The {attribute} field must be an array.",
    "A valid integer is required.": "The {attribute} field must be an integer.",
    "Must be a valid boolean.": "The {attribute} field must be true or false.",
    "Enter a valid URL.": "The {attribute} field must be a valid URL.",
    "Not a valid string.": "The {attribute} field must be a string.",
}

#: the paths of Cachet's routes (``/api/docs/`` is our Swagger UI, not Cachet's)
PREFIXES = (
    "/api/ping",
    "/api/version",
    "/api/status",
    "/api/components",
    "/api/component-groups",
    "/api/incidents",
    "/api/incident-templates",
    "/api/schedules",
    "/api/metrics",
    "/api/openapi.json",
)


class InvalidQuery(exceptions.APIException):
    """A query parameter Cachet's query builder refuses (an include, sort or filter it does
    not allow): spatie/laravel-query-builder answers 400 with its message."""

    status_code = 400
    default_code = "invalid_query"


def _field(path: str) -> str:
    """Laravel's key of a field: ``components[0].id`` -> ``components.0.id``."""
    path = re.sub(r"\[(\d+)\]", r".\1", path)
    head, _, rest = path.partition(".")
    return ".".join(part for part in (FIELDS.get(head, head), rest) if part)


def _message(error: dict, field: str) -> str:
    message = error.get("message", "")
    prefix = f"{error.get('source', {}).get('field')}: "
    message = message[len(prefix) :] if message.startswith(prefix) else message
    template = RULES.get(error.get("code")) or RULES.get(message)
    if template is None:
        return message
    limit = re.search(r"\d+", message)
    return template.format(attribute=field.replace("_", " "), limit=limit.group() if limit else "")


def validation_body(errors: list[dict]) -> dict:
    """Laravel's 422: every field's messages, and the first one (with how many more) as
    the summary."""
    fields: dict[str, list[str]] = {}
    for error in errors:
        field = _field(error.get("source", {}).get("field") or "request")
        fields.setdefault(field, []).append(_message(error, field))
    messages = [message for field_messages in fields.values() for message in field_messages]
    summary = messages[0] if messages else "The given data was invalid."
    if len(messages) > 1:
        more = len(messages) - 1
        summary += f" (and {more} more error{'s' if more > 1 else ''})"
    return {"message": summary, "errors": fields}


def respond(request, error: ApiError) -> JsonResponse:
    """Cachet's body for ``error`` (any status: the classification is incident.io's)."""
    if error.status == 422:
        body = validation_body(error.errors)
    else:
        body = {"message": MESSAGES.get(error.status) or (error.errors[0]["message"] if error.errors else "")}
    return JsonResponse(body, status=error.status, headers=error.headers)


def exception_handler(exc, context):
    """The exception handler of Cachet's views (``CachetViewSet.get_exception_handler``)."""
    return api_errors.handle_exception(exc, context, respond=respond)


def register() -> None:
    """Answer paths no view matched under Cachet's routes with Cachet's body (once)."""
    for prefix in PREFIXES:
        if (prefix, respond) not in api_errors.DIALECT_ERRORS:
            api_errors.DIALECT_ERRORS.append((prefix, respond))


register()
