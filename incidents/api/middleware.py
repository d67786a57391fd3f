import uuid

REQUEST_ID_HEADER = "X-Request-Id"


class RequestIdMiddleware:
    """Give every request an id (or keep a sane one from the proxy) and return it in a
    header on every response, so an error body's request_id can be found in the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = incoming if 8 <= len(incoming) <= 64 and incoming.replace("-", "").isalnum() else str(uuid.uuid4())
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        return response
