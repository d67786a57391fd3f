"""Routes of the status pages' three API dialects (the public site's are in public_urls,
which config/urls.py routes first: it takes the crowds)."""

from django.urls import include, path

urlpatterns = [
    path("", include("statuspages.api.incidentio.urls")),
    path("", include("statuspages.api.cachet.urls")),
    path("", include("statuspages.api.checkly.urls")),
]
