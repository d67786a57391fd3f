"""Status Pages: pages with their cards (our component groups on the page, each with the
components placed in it). Creating or updating a page sends its whole structure, which
``arrange_status_page`` sets in one step."""

from django.db import transaction
from django.urls import path
from rest_framework.response import Response

from core.exceptions import DomainError
from statuspages import services
from statuspages.models import Component, ComponentGroup
from statuspages.services.pages import GroupLayout, arrange_status_page

from .. import reads
from ..base import READ, WRITE, ChecklyViewSet, page_of
from ..serializers import StatusPageV2PublicApiUpdateSerializer, StatusPageV2WithIdReadSerializer


def page_fields(data: dict) -> dict:
    """Our page's fields from Checkly's body: an optional field left out keeps its value
    (what we do not store is listed in docs/dialects/checkly.md)."""
    fields = {"name": data["name"].strip(), "slug": data["url"]}
    if "description" in data:
        fields["description"] = data["description"] or ""
    if "logo" in data:
        fields["logo_url"] = data["logo"] or ""
    if "isPrivate" in data:
        fields["is_public"] = not data["isPrivate"]
    return fields


def layout(cards: list[dict], page=None) -> list[GroupLayout]:
    """The cards as a page structure: a card's id keeps one of the page's groups; the
    services are looked up at once (2 queries); an unknown one is refused, naming it."""
    wanted = [service["id"] for card in cards for service in card["services"]]
    components = {component.pk: component for component in Component.objects.filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in components]
    if missing:
        raise DomainError("invalid_value", f"No service with id {missing[0]}", field="cards")
    groups = {}
    if page is not None:
        ids = [card["id"] for card in cards if card.get("id")]
        groups = {group.pk: group for group in ComponentGroup.objects.filter(status_page=page, pk__in=ids)}
    return [
        GroupLayout(
            name=card["name"],
            components=[components[service["id"]] for service in card["services"]],
            group=groups.get(card.get("id")),
        )
        for card in cards
    ]


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
        data = self.parse(StatusPageV2PublicApiUpdateSerializer)
        groups = layout(data["cards"])
        with transaction.atomic():
            page = services.save_status_page(actor=self.key, **page_fields(data))
            arrange_status_page(actor=self.key, status_page=page, groups=groups)
        return Response(self._render(page), status=201)

    # putV1StatuspagesStatuspageid: the whole page, cards included, is replaced.
    def update(self, request, pk):
        page = self.get_or_404(self.get_queryset(), pk, "status page")
        data = self.parse(StatusPageV2PublicApiUpdateSerializer)
        groups = layout(data["cards"], page)
        with transaction.atomic():
            page = services.save_status_page(page=page, actor=self.key, **page_fields(data))
            arrange_status_page(actor=self.key, status_page=page, groups=groups)
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
