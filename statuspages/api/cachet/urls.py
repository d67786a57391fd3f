"""cachet dialect routes (filled in by its package)."""

urlpatterns = []
