"""incident.io's error body, built here and nowhere else.

``{"type", "status", "request_id", "errors": [{"code", "message", "source": {"field"}}]}``
serves DRF's exception handler, Django's 404/500 handlers on API paths, authentication
and rate limiting. Views and services raise; they never build error dicts.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.utils.log import log_response
from rest_framework import exceptions

from core.exceptions import DomainError, NotFound

TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "resource_forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "request_timeout",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "invalid_request_error",
    422: "validation_error",
    429: "too_many_requests",
    500: "api_error",
}

# incident.io serves v3 of some resources (follow-ups, actions): their errors are JSON too.
API_PREFIXES = ("/v1/", "/v2/", "/v3/", "/api/")


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIXES)


def request_id(request) -> str:
    return getattr(request, "request_id", "") or ""


def _pointer(field: str) -> str:
    """JSON pointer of a field path: ``a.b[0].c`` -> ``/a/b/0/c``."""
    return "/" + "/".join(part for part in re.split(r"[.\[\]]+", field) if part)


def error_response(request, status: int, errors: list[dict], *, type_: str | None = None, headers=None, **extra) -> JsonResponse:
    for error in errors:
        source = error.get("source")
        if source and "pointer" not in source:
            source["pointer"] = _pointer(source["field"])
    body = {"type": type_ or TYPES.get(status, "api_error"), "status": status, "request_id": request_id(request), "errors": errors, **extra}
    return JsonResponse(body, status=status, headers=headers)


class RateLimited(exceptions.Throttled):
    """Raised by the rate limiter with the numbers incident.io's 429 body reports."""

    def __init__(self, *, name: str, limit: int, retry_after_seconds: int, retry_at: str):
        super().__init__(wait=retry_after_seconds)
        self.rate_limit = {"name": name, "limit": limit, "remaining": 0, "retry_after": retry_at}


def _field_errors(detail, prefix: str = "") -> list[dict]:
    """Flatten DRF's nested validation errors into incident.io's list, naming each field
    with a dotted/indexed path (``incident_role_assignments[0].assignee``)."""
    errors = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key in ("non_field_errors", "__all__"):
                errors.extend(_field_errors(value, prefix))
            else:
                # DRF keys a list's item errors by index ({0: {...}}): those are positions.
                path = f"{prefix}[{key}]" if isinstance(key, int) else f"{prefix}.{key}" if prefix else str(key)
                errors.extend(_field_errors(value, path))
    elif isinstance(detail, list):
        if all(isinstance(item, (str, exceptions.ErrorDetail)) for item in detail):
            for item in detail:
                errors.append(_one_error(item, prefix))
        else:
            for index, item in enumerate(detail):
                if item:
                    errors.extend(_field_errors(item, f"{prefix}[{index}]"))
    else:
        errors.append(_one_error(detail, prefix))
    return errors


_CODES = {"required": "is_required", "null": "is_required", "blank": "is_required", "invalid_choice": "invalid_enum_value"}


def _one_error(item, field: str) -> dict:
    code = getattr(item, "code", None) or "invalid_value"
    error = {"code": _CODES.get(code, code), "message": f"{field}: {item}" if field else str(item)}
    if field:
        error["source"] = {"field": field}
    return error


@dataclass
class ApiError:
    """What went wrong, before any dialect words it: the status, incident.io's list of
    errors (``code``, ``message``, ``source.field``), the headers the answer needs, and
    what else incident.io's body carries (a 429's ``rate_limit``)."""

    status: int
    errors: list[dict]
    headers: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


def body_limit() -> str:
    """The documented body size limit (``MAX_REQUEST_BODY_MB``), in words."""
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return f"{size} bytes ({size / 2**20:g} MiB, MAX_REQUEST_BODY_MB)"


def describe(exc) -> ApiError | None:
    """The one classification of every exception an API view raises (None: not ours to
    answer, and logged as a 500 by the caller)."""
    if isinstance(exc, RequestDataTooBig):
        return ApiError(413, [{"code": "request_too_large", "message": f"The request body is larger than the limit of {body_limit()}"}])
    if isinstance(exc, SuspiciousOperation):
        # Django's refusals of a request (too many parameters, a malformed one): the client's fault.
        return ApiError(400, [{"code": "invalid_request", "message": str(exc) or "Malformed request"}])
    if isinstance(exc, NotFound):
        return ApiError(404, [exc.as_error()])
    if isinstance(exc, DomainError):
        return ApiError(422, [exc.as_error()])
    if isinstance(exc, Http404):
        return ApiError(404, [{"code": "not_found", "message": str(exc) or "Not found"}])
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, RateLimited):
        return ApiError(
            429,
            [{"code": "too_many_requests", "message": "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests."}],
            headers={"Retry-After": str(int(exc.wait or 1))},
            extra={"rate_limit": exc.rate_limit},
        )
    if isinstance(exc, exceptions.ValidationError):
        return ApiError(422, _field_errors(exc.detail) or [{"code": "invalid_value", "message": "Invalid request"}])
    if isinstance(exc, exceptions.ParseError):
        return ApiError(400, [{"code": "invalid_json", "message": str(exc.detail)}])
    if isinstance(exc, exceptions.APIException):
        status = exc.status_code
        code = {
            401: "missing_authorization_material" if isinstance(exc, exceptions.NotAuthenticated) else "invalid_authorization_material",
            403: "insufficient_permissions",
            405: "method_not_allowed",
            406: "not_acceptable",
            415: "unsupported_media_type",
        }.get(status, exc.default_code)
        headers = {}
        if getattr(exc, "auth_header", None):
            # DRF sets this on 401s from the view's authenticator: RFC 9110 wants it there.
            headers["WWW-Authenticate"] = exc.auth_header
        if status == 429 and getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        return ApiError(status, [{"code": code, "message": str(exc.detail)}], headers=headers)
    return None


INTERNAL_ERROR = ApiError(500, [{"code": "internal_error", "message": "Something went wrong on our side"}])


def incident_io_response(request, error: ApiError) -> JsonResponse:
    """incident.io's body for ``error``."""
    return error_response(request, error.status, error.errors, headers=error.headers, **error.extra)


def handle_exception(exc, context, respond=incident_io_response):
    """An API view's exception as ``respond(request, ApiError)`` words it (a dialect's
    body; incident.io's by default); unexpected ones are logged and answered as a 500."""
    request = context["request"]
    error = describe(exc)
    if error is None:
        response = respond(request, INTERNAL_ERROR)
        # Logged once, as Django logs a 500 it answers itself (django.request, with the
        # traceback; the request id comes from core/logs.py); Django then knows not to
        # log this response again.
        log_response("%s: %s", response.reason_phrase, request.path, response=response, request=getattr(request, "_request", request), exception=exc)
        return response
    return respond(request, error)


def api_exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: every exception a view raises, one body."""
    return handle_exception(exc, context)


#: (path prefix, respond) of the dialects that word errors their own way on paths no view
#: matched (statuspages registers Cachet's and Checkly's); incident.io's otherwise
DIALECT_ERRORS: list[tuple[str, object]] = []


def _respond_for(path: str):
    return next((respond for prefix, respond in DIALECT_ERRORS if path.startswith(prefix)), incident_io_response)


def dialect_response(request, error: ApiError) -> JsonResponse:
    """``error`` in the body of the dialect whose path the request names, for answers
    made before (or without) a view."""
    return _respond_for(request.path)(request, error)


def handler404(request, exception=None):
    """Django's 404 for paths no view matched: JSON on API paths, HTML elsewhere."""
    if is_api_path(request.path):
        return _respond_for(request.path)(request, ApiError(404, [{"code": "not_found", "message": f"No route for {request.method} {request.path}"}]))
    from django.views import defaults

    return defaults.page_not_found(request, exception)


def handler400(request, exception=None):
    """Django's 400 for requests refused outside the API views (a body past the size limit
    read by middleware, too many parameters...): the dialect's JSON on API paths (413 for
    the size limit), HTML elsewhere."""
    if is_api_path(request.path):
        error = describe(exception) if exception is not None else None
        if error is None or error.status >= 500:
            error = ApiError(400, [{"code": "invalid_request", "message": "Malformed request"}])
        return _respond_for(request.path)(request, error)
    from django.views import defaults

    return defaults.bad_request(request, exception)


def handler500(request):
    if is_api_path(request.path):
        return _respond_for(request.path)(request, INTERNAL_ERROR)
    from django.views import defaults

    return defaults.server_error(request)
