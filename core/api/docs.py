"""The browsable API documentation (Swagger UI and Redoc), served from our own static
files under the site's Content-Security-Policy (django-csp, config/settings.py), which
lets the browser load nothing from elsewhere: Redoc's bundle shows a logo from Redocly's
CDN that no option turns off, and Swagger UI may ask an online validator for a badge. The
policy stops both before any request.

The pages' inline start-up script and style carry the response's nonce
(config/templates/drf_spectacular/). Swagger UI needs nothing more; Redoc adds <style>
elements before it could be handed a nonce, sets style attributes and runs its search in
a worker built from a blob, so its page alone allows those."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

swagger_ui = SpectacularSwaggerView.as_view(url_name="openapi-v3-v1")
# A nonce beside 'unsafe-inline' would void it: Redoc's styles are allowed without one.
redoc = csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
    SpectacularRedocView.as_view(url_name="openapi-v3-v1")
)
