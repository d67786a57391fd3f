"""Status page subscriptions: a page's email subscribers, listed, added in bulk and
deleted. Addresses that left (or bounced) are not subscriptions any more: the list leaves
them out, and a bulk import skips them rather than subscribing them again."""

from django.urls import path
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from notifications import services
from notifications.models import Source, Subscriber
from statuspages.api.checkly.base import READ, WRITE, ChecklyViewSet
from statuspages.models import StatusPage

from .serializers import (
    BulkCreateSubscriptionsPayloadSerializer,
    BulkCreateSubscriptionsResponseSerializer,
    SubscriptionSerializer,
)

FIELDS = ("id", "email", "confirmed_at", "created_at", "updated_at")
#: the largest bulk body taken, about 600,000 addresses (100,000 are 5.3 MB); every other
#: request keeps Django's cap (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB)
BULK_MAX_BYTES = 32 * 1024 * 1024


class PayloadTooLarge(APIException):
    status_code = 413
    default_detail = f"The body is larger than {BULK_MAX_BYTES // (1024 * 1024)} MiB: send the addresses in several calls"
    default_code = "payload_too_large"


def read_large_body(request) -> None:
    """Read the body of a bulk call under ``BULK_MAX_BYTES`` rather than Django's cap.
    Django keeps a body it read in ``_body`` and checks its cap only when it has none, so
    the parsers then find it there."""
    raw = request._request
    if hasattr(raw, "_body"):
        return
    if int(raw.META.get("CONTENT_LENGTH") or 0) > BULK_MAX_BYTES:
        raise PayloadTooLarge()
    raw._body = raw.read()


class SubscriptionChecklyViewSet(ChecklyViewSet):
    roles = {"list": READ, "bulk": WRITE, "destroy": WRITE}

    def _page(self, status_page_id) -> StatusPage:
        return self.get_or_404(StatusPage.objects.all(), status_page_id, "status page")

    # getV1StatuspagesStatuspageidSubscriptions: every subscription at once (the contract
    # has no pagination), oldest first; two queries (the page, its subscribers).
    def list(self, request, status_page_id):
        page = self._page(status_page_id)
        rows = Subscriber.objects.filter(status_page=page, suppression="").order_by("pk").values(*FIELDS)
        return Response(SubscriptionSerializer(rows, many=True).data)

    # postV1StatuspagesStatuspageidSubscriptionsBulk: 201. autoVerify: confirmed at once,
    # no email; otherwise each new address is sent a confirmation (bulk tasks, on commit).
    def bulk(self, request, status_page_id):
        page = self._page(status_page_id)
        read_large_body(request)
        data = self.parse(BulkCreateSubscriptionsPayloadSerializer)
        result = services.import_subscribers(
            status_page=page,
            emails=data["subscriptions"],
            confirmed=data["autoVerify"],
            source=Source.API,
            field="subscriptions",
        )
        body = {"created": result.created, "skipped": result.skipped, "status": "VERIFIED" if data["autoVerify"] else "PENDING"}
        return Response(BulkCreateSubscriptionsResponseSerializer(body).data, status=201)

    # deleteV1StatuspagesStatuspageidSubscriptionsSubscriptionid: 204, no body.
    def destroy(self, request, status_page_id, pk):
        page = self._page(status_page_id)
        subscriber = self.get_or_404(Subscriber.objects.filter(status_page=page), pk, "subscription")
        services.delete_subscriber(subscriber=subscriber)
        return Response(status=204)


urlpatterns = [
    path(
        "v1/status-pages/<str:status_page_id>/subscriptions",
        SubscriptionChecklyViewSet.as_view({"get": "list"}),
        name="checkly-subscriptions",
    ),
    path(
        "v1/status-pages/<str:status_page_id>/subscriptions/bulk",
        SubscriptionChecklyViewSet.as_view({"post": "bulk"}),
        name="checkly-subscriptions-bulk",
    ),
    path(
        "v1/status-pages/<str:status_page_id>/subscriptions/<str:pk>",
        SubscriptionChecklyViewSet.as_view({"delete": "destroy"}),
        name="checkly-subscription",
    ),
]
