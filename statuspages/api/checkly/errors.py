"""Checkly's error body, ``{"statusCode", "error", "message"}``, for every error the one
classification (``core.api.errors.describe``) makes: the dialect's views answer
through ``handle``, and paths under /v1/status-pages that no view matched through
``respond`` (registered in ``DIALECT_ERRORS``)."""

from http import HTTPStatus

from django.http import JsonResponse

from core.api.errors import DIALECT_ERRORS, ApiError, handle_exception

PREFIX = "/v1/status-pages"

#: our field names, as services and the shared plumbing name them, in Checkly's words
FIELD_NAMES = {
    "slug": "url",
    "logo_url": "logo",
    "is_public": "isPrivate",
    "component_statuses": "services",
    "incident_status": "status",
    "message": "description",
    "groups": "cards",
    "published_at": "publicIncidentUpdateDate",
}


#: our services' refusals, in Checkly's words where they differ (by the error's code)
MESSAGES = {
    "resolved_components": "A resolved incident's services cannot change: post an update to reopen it first",
}


def _message(error: dict) -> str:
    field = (error.get("source") or {}).get("field")
    message = MESSAGES.get(error.get("code"), error["message"])
    if not field:
        return message
    name = FIELD_NAMES.get(field, field)
    # The shared plumbing words a field error as "<field>: <message>" already.
    if message.startswith(f"{field}: "):
        message = message[len(field) + 2 :]
    return f"{name}: {message}"


def respond(request, error: ApiError) -> JsonResponse:
    """Checkly's body for ``error``: the status, its reason phrase (what Checkly's
    ``error`` holds: "Not Found", "Unauthorized"...) and every message in one sentence."""
    body = {
        "statusCode": error.status,
        "error": HTTPStatus(error.status).phrase,
        "message": "; ".join(_message(e) for e in error.errors) or HTTPStatus(error.status).phrase,
    }
    return JsonResponse(body, status=error.status, headers=error.headers)


def handle(exc, context):
    """The exception handler of the dialect's views."""
    return handle_exception(exc, context, respond=respond)


if (PREFIX, respond) not in DIALECT_ERRORS:
    DIALECT_ERRORS.append((PREFIX, respond))
