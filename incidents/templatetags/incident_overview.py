from django import template

from incidents.admin.overview import overview_charts

register = template.Library()


@register.simple_tag
def incident_overview():
    """The front page's charts (a few aggregate queries): ``{% incident_overview as charts %}``."""
    return overview_charts()
