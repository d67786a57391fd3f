"""Status Page Services: the organisation's components, which any page's cards show."""

from django.urls import path
from rest_framework.response import Response

from statuspages import services
from statuspages.models import Component

from ..base import READ, WRITE, ChecklyViewSet, flag, page_of
from ..serializers import CreateOrUpdateServiceSerializer, StatusPageV2ServiceSerializer


class ServiceChecklyViewSet(ChecklyViewSet):
    roles = {"list": READ, "retrieve": READ, "create": WRITE, "update": WRITE, "destroy": WRITE}
    queryset = Component.objects.all()

    # getV1StatuspagesServices: oldest first; `paginated=false` answers every service at once.
    def list(self, request):
        paginated = flag(request.query_params.get("paginated"), True, "paginated")
        rows, next_id = self.paginate(self.get_queryset(), newest_first=False, paginated=paginated)
        return Response(page_of(StatusPageV2ServiceSerializer(rows, many=True).data, next_id))

    # getV1StatuspagesServicesServiceid
    def retrieve(self, request, pk):
        component = self.get_or_404(self.get_queryset(), pk, "service")
        return Response(StatusPageV2ServiceSerializer(component).data)

    # postV1StatuspagesServices: Checkly answers 200, not 201, here.
    def create(self, request):
        data = self.parse(CreateOrUpdateServiceSerializer)
        component = services.create_component(actor=self.key, name=data["name"])
        return Response(StatusPageV2ServiceSerializer(component).data, status=200)

    # putV1StatuspagesServicesServiceid
    def update(self, request, pk):
        component = self.get_or_404(self.get_queryset(), pk, "service")
        data = self.parse(CreateOrUpdateServiceSerializer)
        component = services.update_component(component=component, actor=self.key, name=data["name"].strip())
        return Response(StatusPageV2ServiceSerializer(component).data)

    # deleteV1StatuspagesServicesServiceid: 204, no body.
    def destroy(self, request, pk):
        component = self.get_or_404(self.get_queryset(), pk, "service")
        services.delete_component(component=component, actor=self.key)
        return Response(status=204)


collection = ServiceChecklyViewSet.as_view({"get": "list", "post": "create"})
member = ServiceChecklyViewSet.as_view({"get": "retrieve", "put": "update", "delete": "destroy"})

urlpatterns = [
    path("v1/status-pages/services", collection, name="checkly-services"),
    path("v1/status-pages/services/<str:pk>", member, name="checkly-service"),
]
