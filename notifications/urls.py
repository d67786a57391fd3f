"""The public site's subscriber pages, under each page's address (/status/<slug>/...)."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("status/<slug:slug>/subscribe/", views.subscribe, name="subscribe"),
    path("status/<slug:slug>/subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("status/<slug:slug>/subscription/<str:token>/", views.preferences, name="preferences"),
    path("status/<slug:slug>/subscription/<str:token>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
