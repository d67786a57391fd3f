"""Routes of the status pages: the public site and the three API dialects."""

from django.urls import include, path

urlpatterns = [
    path("", include("statuspages.api.incidentio.urls")),
    path("", include("statuspages.api.cachet.urls")),
    path("", include("statuspages.api.checkly.urls")),
    path("", include("statuspages.public_urls")),
]
