"""The public site's routes (/status/...)."""

from django.urls import path

from . import feeds
from .views import pages

app_name = "statuspages"

urlpatterns = [
    path("status/", pages.default_page, name="default"),
    path("status/<slug:slug>/", pages.front_page, name="page"),
    path("status/<slug:slug>/incidents/<str:incident_id>/", pages.incident_page, name="incident"),
    path("status/<slug:slug>/maintenance/<str:maintenance_id>/", pages.maintenance_page, name="maintenance"),
    path("status/<slug:slug>/history/", pages.history_page, name="history"),
    path("status/<slug:slug>/feed.atom", feeds.atom_feed, name="feed-atom"),
    path("status/<slug:slug>/feed.rss", feeds.rss_feed, name="feed-rss"),
]
