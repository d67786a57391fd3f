from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as app_urlpatterns


def bare(request):
    """The baseline: Django's full stack, no database, a small JSON document."""
    return JsonResponse({"status": "ok", "items": [{"id": n, "name": f"item {n}"} for n in range(3)]})


@csrf_exempt
def bare_write(request):
    """A reference for writes, not a baseline: one row inserted and committed (durably, as
    every write is), then a small JSON document. No authentication, validation or rendering."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_write (body) VALUES (%s)", [request.body.decode()[:500]])
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/bare", bare), path("bench/bare-write", bare_write), *app_urlpatterns]
