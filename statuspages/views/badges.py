"""SVG status badges, for READMEs and dashboards: a page's overall status and one
component's, as text on a colour (WCAG AA: white text on each), with a ``<title>`` and an
``aria-label`` saying the same. Names are stripped of control characters (``core.text``),
which would make the SVG ill-formed XML: rows stored before the rule held still have them."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from core.text import strip_controls
from statuspages import selectors
from statuspages.models import PageComponent, StatusPage

from .serving import public_state, public_view

WORDS = {
    "operational": "operational",
    "degraded_performance": "degraded performance",
    "partial_outage": "partial outage",
    "full_outage": "major outage",
    selectors.UNDER_MAINTENANCE: "under maintenance",
}
COLOURS = {
    "operational": "#1a7f37",
    "degraded_performance": "#9a6700",
    "partial_outage": "#bc4c00",
    "full_outage": "#cf222e",
    selectors.UNDER_MAINTENANCE: "#0969da",
}
# Verdana at 11px, roughly: enough to size a badge without measuring text.
_NARROW, _WIDE = set("fijlrt.,:;'|!() "), set("mwMW@%")


def text_width(text: str) -> int:
    width = 0.0
    for char in text:
        width += 3.9 if char in _NARROW else 9.8 if char in _WIDE else 8.0 if char.isupper() or char.isdigit() else 6.6
    return round(width)


def _badge(request, label: str, status: str, title: str):
    label, title = strip_controls(label, multi_line=False), strip_controls(title, multi_line=False)
    message = WORDS[status]
    left, right = text_width(label) + 12, text_width(message) + 12
    context = {
        "label": label, "message": message, "title": title, "colour": COLOURS[status],
        "left": left, "right": right, "width": left + right, "label_x": left / 2, "message_x": left + right / 2,
    }
    return render(request, "statuspages/badge.svg", context, content_type="image/svg+xml; charset=utf-8")


@public_view("badge", cors=True)
def page_badge(request, page: StatusPage):
    """The page's overall status: the worst a component shows, or maintenance (6 queries)."""
    overview = selectors.page_overview(page, staff=public_state(request).staff, with_availability=False)
    status = selectors.worst(view.status for view in overview.components)
    if status == "operational" and overview.banner.level == "maintenance":
        status = selectors.UNDER_MAINTENANCE
    return _badge(request, page.name, status, f"{page.name}: {overview.banner.sentence}")


@public_view("component-badge", cors=True)
def component_badge(request, page: StatusPage, component_id: str):
    """One component the page shows (3 queries: where the page shows it, its status)."""
    placement = (
        PageComponent.objects.filter(status_page=page, component_id=component_id, hidden=False, component__enabled=True)
        .select_related("component", "group")
        .first()
    )
    if placement is None or (placement.group is not None and placement.group.hidden):
        raise Http404("The page shows no such component")
    status = selectors.component_statuses([placement.component_id], staff=public_state(request).staff)[placement.component_id]
    name = placement.component.name
    return _badge(request, name, status, f"{name}: {WORDS[status]}")
