from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from core.api import docs

admin.site.site_header = "Incident Tracker"
admin.site.site_title = "Incident Tracker"
admin.site.index_title = "Run incidents"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Signing in through the company's identity provider (404 while OIDC_ISSUER is empty).
    path("", include("core.sign_in.urls")),
    # Our own OpenAPI document (served at incident.io's /v1/openapiV3.json), browsable.
    path("api/docs/", docs.swagger_ui, name="api-docs"),
    path("api/docs/redoc/", docs.redoc, name="api-docs-redoc"),
    # Django tries patterns in order and the paths are disjoint: the public status pages
    # (which take the crowds) first, then the incidents API's hot routes, then the rest.
    path("", include("statuspages.public_urls")),
    path("", include("notifications.urls")),
    path("", include("incidents.api.urls")),
    path("", include("statuspages.urls")),
    path("", include("alerts.api.urls")),
    path("", include("notifications.api.checkly.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]

# JSON errors in incident.io's shape on API paths, the public site's own 404 and 500 pages
# under /status/ (statuspages.views.errors), Django's HTML pages elsewhere.
handler400 = "core.api.errors.handler400"
handler404 = "statuspages.views.errors.handler404"
handler500 = "statuspages.views.errors.handler500"
