from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Incident Tracker"
admin.site.site_title = "Incident Tracker"
admin.site.index_title = "Run incidents"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
