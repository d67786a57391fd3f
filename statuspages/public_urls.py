"""The public site's routes (/status/...)."""

urlpatterns = []
