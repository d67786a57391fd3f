"""Placeholder module filled in by its resource work."""

urlpatterns = []
