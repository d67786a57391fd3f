import uuid

from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.views import defaults

from core.api import errors
from core.logs import bound, request_id

REQUEST_ID_HEADER = "X-Request-Id"


class RequestIdMiddleware:
    """Give every request an id (or keep a sane one from the proxy) and return it in a
    header on every response, so an error body's request_id can be found in the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = incoming if 8 <= len(incoming) <= 64 and incoming.replace("-", "").isalnum() else str(uuid.uuid4())
        with bound(request_id, request.request_id):  # on every log line written meanwhile
            response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


class RefuseNulMiddleware:
    """Refuse a NUL character in the path or the query string, before anything reads them.

    No id, reference, filter value or cursor can hold one (PostgreSQL's text refuses it,
    so a lookup with one would fail there, while SQLite would merely find nothing), so
    it is refused once here for every dialect, the public pages and the accelerated
    paths alike: a path with one names nothing (404), a parameter with one is invalid
    (422 naming it on API paths, 400 on HTML pages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("No such page")
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            parameter = next(
                (key for key, values in request.GET.lists() if "\x00" in key or any("\x00" in value for value in values)), None
            )
            if parameter is not None:
                return _refuse_parameter(request, parameter)
        return self.get_response(request)


def _refuse_parameter(request, parameter: str):
    if not errors.is_api_path(request.path):
        return defaults.bad_request(request, SuspiciousOperation(f"NUL in the query parameter {parameter!r}"))
    error = {"code": "invalid_value", "message": f"{parameter}: must not contain a NUL character", "source": {"field": parameter}}
    return errors.dialect_response(request, errors.ApiError(422, [error]))
