"""Checkly's own OpenAPI document for the operations this dialect serves, its servers
naming this installation. It is Checkly's, unchanged otherwise (openapi.json beside this
package, checked against the reference by the tests), so Checkly's client generators
and the contract tests read the same document."""

import functools
import json
from pathlib import Path

from django.conf import settings
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from ..base import ChecklyViewSet

DOCUMENT = Path(__file__).resolve().parents[1] / "openapi.json"


@functools.cache
def checkly_document() -> dict:
    document = json.loads(DOCUMENT.read_text())
    document["servers"] = [{"url": settings.SITE_URL, "description": "This incident tracker (Checkly's status page API)"}]
    return document


# Public, as our incident.io document (/v1/openapiV3.json) is: a key may still be sent,
# and must then be valid.
class OpenApiChecklyViewSet(ChecklyViewSet):
    permission_classes = [AllowAny]

    def document(self, request):
        return Response(checkly_document())


urlpatterns = [
    path("v1/status-pages/openapi.json", OpenApiChecklyViewSet.as_view({"get": "document"}), name="checkly-openapi"),
]
