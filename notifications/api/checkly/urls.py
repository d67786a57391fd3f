"""Routes of Checkly's subscription operations (config/urls.py includes them beside the
rest of the dialect's, statuspages.api.checkly.urls). ``subscriptions/bulk`` comes before
``subscriptions/{subscriptionId}``, which would match it too (for DELETE)."""

from .views import urlpatterns

__all__ = ["urlpatterns"]
