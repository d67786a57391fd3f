"""Status Pages: pages with their cards (our component groups on the page, each with the
components placed in it). Creating or updating a page sends its whole structure, which
``services.save_status_page`` sets with the page in one step."""

from django.urls import path
from rest_framework.response import Response

from statuspages import services

from .. import reads
from ..base import READ, WRITE, ChecklyViewSet, page_of
from ..serializers import StatusPageV2PublicApiUpdateSerializer, StatusPageV2WithIdReadSerializer


class StatusPageChecklyViewSet(ChecklyViewSet):
    roles = {"list": READ, "retrieve": READ, "create": WRITE, "update": WRITE, "destroy": WRITE}

    def get_queryset(self):
        return reads.pages_with_cards()

    def _render(self, page):
        # Re-read through the same read as the lists, so the answer shows what was stored.
        page = self.get_or_404(self.get_queryset(), page.pk, "status page")
        return StatusPageV2WithIdReadSerializer(page).data

    # getV1Statuspages: oldest first.
    def list(self, request):
        rows, next_id = self.paginate(self.get_queryset(), newest_first=False)
        return Response(page_of(StatusPageV2WithIdReadSerializer(rows, many=True).data, next_id))

    # getV1StatuspagesStatuspageid
    def retrieve(self, request, pk):
        page = self.get_or_404(self.get_queryset(), pk, "status page")
        return Response(StatusPageV2WithIdReadSerializer(page).data)

    # postV1Statuspages: 201.
    def create(self, request):
        page = services.save_status_page(actor=self.key, **self.parse(StatusPageV2PublicApiUpdateSerializer))
        return Response(self._render(page), status=201)

    # putV1StatuspagesStatuspageid: the whole page, cards included, is replaced.
    def update(self, request, pk):
        page = self.get_or_404(self.get_queryset(), pk, "status page")
        page = services.save_status_page(page=page, actor=self.key, **self.parse(StatusPageV2PublicApiUpdateSerializer, page=page))
        return Response(self._render(page))

    # deleteV1StatuspagesStatuspageid: 204, no body.
    def destroy(self, request, pk):
        page = self.get_or_404(self.get_queryset(), pk, "status page")
        services.delete_status_page(page=page, actor=self.key)
        return Response(status=204)


collection = StatusPageChecklyViewSet.as_view({"get": "list", "post": "create"})
member = StatusPageChecklyViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"})

# After every literal path under /v1/status-pages/ (urls.py orders them).
urlpatterns = [
    path("v1/status-pages", collection, name="checkly-status-pages"),
    path("v1/status-pages/<str:pk>", member, name="checkly-status-page"),
]
