"""How drf-spectacular reads our views (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"])."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import is_list_serializer
from rest_framework import serializers

from core.api.errors import TYPES

#: incident.io documents these error answers on every operation (ErrorResponse bodies)
ERROR_RESPONSES = {
    400: "invalid_request_error: There was a problem with the request, like malformed JSON or too many parameters.",
    401: "authentication_error: Authentication failed.",
    403: "resource_forbidden: Access to this resource is forbidden for the authenticated user.",
    404: "not_found: The referenced resource could not be found.",
    405: "method_not_allowed: The endpoint does not support this operation for the specified resource.",
    406: "not_acceptable: Requested a media type this endpoint does not support.",
    408: "request_timeout: The request took too long to process.",
    409: "conflict: Request conflicted with current state of the resource.",
    412: "precondition_failed: A required condition hasn't been met.",
    413: "payload_too_large: The request body is larger than MAX_REQUEST_BODY_MB.",
    422: "validation_error: A required field was not provided, or the provided data was invalid.",
    429: "too_many_requests: Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
    500: "api_error: Something went wrong and has been reported internally.",
}


class ErrorSourceSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Field name that is the source of the error")
    pointer = serializers.CharField(help_text="JSON pointer to the request field that is the source of the error")


class ErrorSingleSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable identifier for this specific error")
    message = serializers.CharField(help_text="Human readable description of the error")
    source = ErrorSourceSerializer(required=False)


class ErrorRateLimitSerializer(serializers.Serializer):
    limit = serializers.IntegerField(help_text="The maximum number of requests that the consumer is permitted to make per minute")
    name = serializers.CharField(help_text="Which rate limit was exceeded")
    remaining = serializers.IntegerField(help_text="The number of requests remaining in the current rate limit window")
    retry_after = serializers.CharField(required=False, help_text="When the client can retry")


class ErrorResponseSerializer(serializers.Serializer):
    """incident.io's error body (built by ``core.api.errors``), as documented."""

    type = serializers.ChoiceField(choices=sorted(set(TYPES.values())), help_text="Machine-readable identifier for the general category of error")
    status = serializers.IntegerField(help_text="HTTP status of the response")
    request_id = serializers.CharField(help_text="Unique identifier of the request")
    errors = ErrorSingleSerializer(many=True, help_text="List of errors that caused this request to fail")
    rate_limit = ErrorRateLimitSerializer(required=False)


class AutoSchema(SpectacularAutoSchema):
    """incident.io answers every list with one object holding the page
    (``{"severities": [...], "pagination_meta": {...}}``), so the response serializer
    a ``list`` action names is the whole body: drf-spectacular would otherwise wrap it in
    an array. A ``many=True`` serializer is still an array.

    Every operation also documents the error answers incident.io documents, with their
    ErrorResponse body, as our error handler words them."""

    def _is_list_view(self, serializer=None) -> bool:
        if serializer is not None and not isinstance(serializer, dict):
            return is_list_serializer(serializer)
        return super()._is_list_view(serializer)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status, description in ERROR_RESPONSES.items():
            if str(status) not in responses:
                response = self._get_response_for_code(ErrorResponseSerializer, str(status), direction=direction)
                response["description"] = description
                responses[str(status)] = response
        return responses
