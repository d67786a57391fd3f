from django import template
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from core.models import RestrictedQuerySet
from incidents.admin.overview import overview_charts

register = template.Library()


@register.simple_tag(takes_context=True)
def incident_overview(context):
    """The front page's charts of the incidents the user may see (a few aggregate
    queries): ``{% incident_overview as charts %}``."""
    return overview_charts(viewer=context["request"].user)


@register.simple_tag(takes_context=True)
def visible_admin_log(context, limit: int):
    """The user's latest admin actions (the front page's "Recent actions"), leaving out
    those about rows the user may no longer see (``restrict()``): a member removed from a
    private incident finds no trace of it there."""
    user = context["request"].user
    hidden = Q()
    restricted = [model for model in apps.get_models() if isinstance(model._default_manager.all(), RestrictedQuerySet)]
    for model, content_type in ContentType.objects.get_for_models(*restricted).items():  # cached
        seen = model._default_manager.restrict(user).annotate(logged_object_id=Cast("pk", CharField())).values("logged_object_id")
        hidden |= Q(content_type=content_type) & ~Q(object_id__in=seen)
    return LogEntry.objects.filter(user=user).exclude(hidden).select_related("content_type", "user")[:limit]
