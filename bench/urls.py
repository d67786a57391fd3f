import os

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as app_urlpatterns


def bare(request):
    """The baseline: Django's full stack, no database, a small JSON document."""
    return JsonResponse({"status": "ok", "items": [{"id": n, "name": f"item {n}"} for n in range(3)]})


@csrf_exempt
def bare_write(request):
    """A reference for writes, not a baseline: one row inserted and committed (durably, as
    every write is), then a small JSON document. No authentication, validation or rendering.
    One statement in autocommit, one round trip, as a declaration is on PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_write (body) VALUES (%s)", [request.body.decode()[:500]])
    return JsonResponse({"status": "ok"})


_page = []


def bare_page(request):
    """A reference for lists, not a baseline: the bytes of a list page (the benchmark
    saves one in BENCH_PAGE_FILE before measuring), served as the bare view serves its
    document. What sending and reading a page costs, with nothing computed."""
    if not _page:
        with open(os.environ["BENCH_PAGE_FILE"], "rb") as page:
            _page.append(page.read())
    return HttpResponse(_page[0], content_type="application/json")


urlpatterns = [
    path("bench/bare", bare),
    path("bench/bare-write", bare_write),
    path("bench/bare-page", bare_page),
    *app_urlpatterns,
]
