from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


def bare(request):
    """The baseline: Django's full stack, no database, a small JSON document."""
    return JsonResponse({"status": "ok", "items": [{"id": n, "name": f"item {n}"} for n in range(3)]})


urlpatterns = [path("bench/bare", bare), *app_urlpatterns]
