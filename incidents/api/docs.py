"""The browsable API documentation (Swagger UI and Redoc), served from our own static
files, with a Content Security Policy that lets the browser load nothing from elsewhere:
Redoc's bundle shows a logo from Redocly's CDN that no option turns off, and Swagger UI
may ask an online validator for a badge. The policy stops both before any request."""

from functools import wraps

from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

# The inline start-up scripts and styles both UIs write need 'unsafe-inline'; Redoc's
# search runs in a worker built from a blob.
LOCAL_ONLY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self' 'unsafe-inline' blob:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
    ]
)


def local_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = LOCAL_ONLY
        return response

    return wrapped


swagger_ui = local_only(SpectacularSwaggerView.as_view(url_name="openapi-v3-v1"))
redoc = local_only(SpectacularRedocView.as_view(url_name="openapi-v3-v1"))
