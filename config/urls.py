from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Incident Tracker"
admin.site.site_title = "Incident Tracker"
admin.site.index_title = "Run incidents"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("incidents.api.urls")),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]

# JSON errors in incident.io's shape on API paths, Django's HTML pages elsewhere.
handler404 = "incidents.api.errors.handler404"
handler500 = "incidents.api.errors.handler500"
