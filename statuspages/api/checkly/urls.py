"""Routes of Checkly's status page API, as its document spells them (no trailing slash).
The literal paths under /v1/status-pages/ (services, incidents, the document) come
before the page's ``{statusPageId}``, which would match them too."""

from .views import incidents, openapi, pages, services

urlpatterns = [
    *openapi.urlpatterns,
    *services.urlpatterns,
    *incidents.urlpatterns,
    *pages.urlpatterns,
]
